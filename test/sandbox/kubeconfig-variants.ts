// The kubeconfigs of the differential test (kubeconfig-oracle.test.ts): each is a folder of files as a user
// would have them (kubeconfig, token file, certificates, credential plugin) and what kubectl must make of it.
// Kubeconfigs are written as JSON, which is YAML and which kubectl reads like any other kubeconfig.
import { join } from 'node:path';

export interface Fixture {
  server: string;
  caPem: string;
  /** A CA that did not sign the API server's certificate. */
  otherCaPem: string;
  tokens: { admin: string; restricted: string };
  /** Signed by the API server's client CA: CN alice, O devs and system:masters. */
  cert: { certPem: string; keyPem: string };
  /** Signed by the client CA, returned by a credential plugin: CN plugin-user, O system:masters. */
  pluginCert: { certPem: string; keyPem: string };
  proxyUrl: string;
  /** Bearer tokens of the user oidc-user, shaped as OIDC ID tokens: one valid until 2100, one expired in 2020. */
  idTokens: { valid: string; expired: string };
}

/** kubectl's verdict: who the server saw, or the cause our own message must name. */
export type Expectation =
  | { readonly user: string; readonly groups?: readonly string[]; readonly namespace?: string; readonly viaProxy?: boolean }
  | { readonly fails: RegExp };

export interface Variant {
  readonly name: string;
  /** Files in the variant's folder; those starting with `#!` are made executable. */
  readonly files: Readonly<Record<string, string>>;
  /** KUBECONFIG's entries, relative to the folder ('' stays an empty segment); default `config`. */
  readonly kubeconfigEnv?: readonly string[];
  /** --kubeconfig (kubectl) and kaniko.kubeconfig (ours), relative to the folder. */
  readonly explicit?: string;
  /** More of the shell's environment (HTTPS_PROXY, NO_PROXY …), the same for kubectl and ours. */
  readonly env?: Readonly<Record<string, string>>;
  readonly expect: Expectation;
}

type Json = Record<string, unknown>;

const b64 = (text: string): string => Buffer.from(text).toString('base64');

interface ConfigParts {
  cluster?: Json;
  user?: Json;
  namespace?: string;
  /** Names of the entries, for merge cases; default `sandbox`/`me`/`main`. */
  names?: { cluster?: string; user?: string; context?: string };
  currentContext?: string | null;
}

/** `folder(name)` is where the variant of that name is written, for kubeconfigs that hold absolute paths. */
export function variants(f: Fixture, folder: (name: string) => string): Variant[] {
  const cluster = (extra: Json = {}): Json => ({ server: f.server, 'certificate-authority-data': b64(f.caPem), ...extra });
  const config = (parts: ConfigParts = {}): string => {
    const names = { cluster: 'sandbox', user: 'me', context: 'main', ...parts.names };
    return JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: names.cluster, cluster: parts.cluster ?? cluster() }],
      users: [{ name: names.user, user: parts.user ?? { token: f.tokens.admin } }],
      contexts: [{ name: names.context, context: { cluster: names.cluster, user: names.user, ...(parts.namespace ? { namespace: parts.namespace } : {}) } }],
      ...(parts.currentContext === null ? {} : { 'current-context': parts.currentContext ?? names.context }),
    }, null, 2);
  };
  const admin = { user: 'sandbox-admin', groups: ['system:authenticated'] } as const;
  const certUser = { user: 'alice', groups: ['devs', 'system:masters', 'system:authenticated'] } as const;
  const pluginUser = { user: 'plugin-user', groups: ['system:masters', 'system:authenticated'] } as const;

  /** A credential plugin: a shell script that prints `status` when `check` (a shell condition) holds. */
  const plugin = (status: Json, options: { apiVersion?: string; check?: string } = {}): string => {
    const credential = JSON.stringify({ apiVersion: options.apiVersion ?? 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status });
    const guard = options.check ? `if ! ${options.check}; then echo "plugin: the expected input is missing" >&2; exit 1; fi\n` : '';
    return `#!/bin/sh\n${guard}cat <<'EOF'\n${credential}\nEOF\n`;
  };
  const oidc = (idToken: string): Json => ({ 'auth-provider': { name: 'oidc', config: { 'idp-issuer-url': 'https://issuer.invalid', 'client-id': 'kaniko', 'id-token': idToken } } });
  const execUser = (exec: Json): Json => ({ exec: { apiVersion: 'client.authentication.k8s.io/v1', interactiveMode: 'Never', ...exec } });
  const token = { token: f.tokens.admin };
  const certData = { 'client-certificate-data': b64(f.cert.certPem), 'client-key-data': b64(f.cert.keyPem) };

  return [
    // Static credentials.
    { name: 'token', files: { config: config() }, expect: { ...admin, namespace: 'default' } },
    { name: 'token, context namespace', files: { config: config({ namespace: 'team-a' }) }, expect: { ...admin, namespace: 'team-a' } },
    { name: 'token refused by the server', files: { config: config({ user: { token: 'not-a-valid-token' } }) }, expect: { fails: /did not accept the token in the kubeconfig.*may have expired/ } },
    { name: 'tokenFile relative', files: { config: config({ user: { tokenFile: 'token' } }), token: `${f.tokens.admin}\n` }, expect: admin },
    { name: 'tokenFile absolute', files: { config: config({ user: { tokenFile: join(folder('tokenFile absolute'), 'token') } }), token: f.tokens.admin }, expect: admin },
    { name: 'tokenFile missing', files: { config: config({ user: { tokenFile: 'missing-token' } }) }, expect: { fails: /token file .*missing-token/i } },
    // client-go reads a token file even when a token is given, and prefers it (NewBearerAuthWithRefreshRoundTripper).
    { name: 'tokenFile wins over token', files: { config: config({ user: { token: f.tokens.admin, tokenFile: 'restricted-token' } }), 'restricted-token': f.tokens.restricted }, expect: { user: 'restricted' } },
    { name: 'token beside a missing tokenFile', files: { config: config({ user: { token: f.tokens.admin, tokenFile: 'gone' } }) }, expect: admin },
    { name: 'client certificate data', files: { config: config({ user: certData }) }, expect: certUser },
    { name: 'client certificate relative files', files: { config: config({ user: { 'client-certificate': 'tls/alice.crt', 'client-key': 'tls/alice.key' } }), 'tls/alice.crt': f.cert.certPem, 'tls/alice.key': f.cert.keyPem }, expect: certUser },
    { name: 'client certificate as file and data', files: { config: config({ user: { ...certData, 'client-certificate': 'alice.crt', 'client-key': 'alice.key' } }), 'alice.crt': f.cert.certPem, 'alice.key': f.cert.keyPem }, expect: { fails: /both client-certificate-data and client-certificate/ } },
    { name: 'client certificate without key', files: { config: config({ user: { 'client-certificate-data': b64(f.cert.certPem) } }) }, expect: { fails: /client-key/ } },
    { name: 'username/password (basic auth)', files: { config: config({ user: { username: 'admin', password: 'secret-password' } }) }, expect: { fails: /basic auth|username\/password/i } },
    { name: 'no credentials at all', files: { config: config({ user: {} }) }, expect: { fails: /no credentials|anonymous|Unauthorized/i } },
    // An OIDC auth-provider with an ID token still valid is used as it is; the issuer (.invalid) is never contacted.
    { name: 'auth-provider oidc', files: { config: config({ user: oidc(f.idTokens.valid) }) }, expect: { user: 'oidc-user' } },
    { name: 'auth-provider oidc, token expired, no refresh token', files: { config: config({ user: oidc(f.idTokens.expired) }) }, expect: { fails: /auth provider oidc .*no valid token/ } },
    // Impersonation.
    { name: 'as + as-groups', files: { config: config({ user: { ...token, as: 'bob', 'as-groups': ['g1', 'g2'] } }) }, expect: { user: 'bob', groups: ['g1', 'g2', 'system:authenticated'] } },
    { name: 'as, not allowed to impersonate', files: { config: config({ user: { token: f.tokens.restricted, as: 'bob' } }) }, expect: { fails: /impersonate/ } },
    { name: 'as-groups without as', files: { config: config({ user: { ...token, 'as-groups': ['g1'] } }) }, expect: { fails: /without impersonating a user|as-groups/ } },
    // TLS and the way to the server.
    { name: 'certificate-authority relative', files: { config: config({ cluster: { server: f.server, 'certificate-authority': 'certs/ca.crt' } }), 'certs/ca.crt': f.caPem }, expect: admin },
    { name: 'certificate-authority and its -data both', files: { config: config({ cluster: cluster({ 'certificate-authority': 'ca.crt' }) }), 'ca.crt': f.caPem }, expect: { fails: /both certificate-authority-data and certificate-authority/ } },
    { name: 'certificate-authority missing', files: { config: config({ cluster: { server: f.server, 'certificate-authority': 'certs/none.crt' } }) }, expect: { fails: /certificate-authority.*none\.crt/ } },
    { name: 'certificate-authority of another CA', files: { config: config({ cluster: cluster({ 'certificate-authority-data': b64(f.otherCaPem) }) }) }, expect: { fails: /not trusted/ } },
    { name: 'insecure-skip-tls-verify without CA', files: { config: config({ cluster: { server: f.server, 'insecure-skip-tls-verify': true } }) }, expect: admin },
    { name: 'insecure-skip-tls-verify with a CA', files: { config: config({ cluster: cluster({ 'insecure-skip-tls-verify': true }) }) }, expect: { fails: /insecure-skip-tls-verify.*certificate-authority|certificate-authority.*insecure-skip-tls-verify/ } },
    { name: 'tls-server-name localhost', files: { config: config({ cluster: cluster({ 'tls-server-name': 'localhost' }) }) }, expect: admin },
    { name: 'tls-server-name not in the certificate', files: { config: config({ cluster: cluster({ 'tls-server-name': 'api.example.test' }) }) }, expect: { fails: /not valid for the name api\.example\.test/ } },
    { name: 'proxy-url', files: { config: config({ cluster: cluster({ 'proxy-url': f.proxyUrl }) }) }, expect: { ...admin, viaProxy: true } },
    // HTTPS_PROXY / NO_PROXY (client-go: net/http's ProxyFromEnvironment). The server's name resolves only in the proxy,
    // which maps names under sandbox.test to 127.0.0.1, so a client that ignores HTTPS_PROXY cannot reach it.
    ...((): Variant[] => {
      const named = cluster({ server: f.server.replace('127.0.0.1', 'kubernetes.sandbox.test'), 'tls-server-name': 'localhost' });
      return [
        { name: 'HTTPS_PROXY for a server named only the proxy knows', files: { config: config({ cluster: named }) }, env: { HTTPS_PROXY: f.proxyUrl }, expect: { ...admin, viaProxy: true } },
        { name: 'https_proxy in lower case', files: { config: config({ cluster: named }) }, env: { https_proxy: f.proxyUrl.replace('http://', '') }, expect: { ...admin, viaProxy: true } },
        { name: 'NO_PROXY naming the server domain (direct: the name does not resolve)', files: { config: config({ cluster: named }) }, env: { HTTPS_PROXY: f.proxyUrl, NO_PROXY: 'example.com,.sandbox.test' }, expect: { fails: /cannot be resolved|ENOTFOUND/ } },
        { name: 'HTTPS_PROXY unreachable, loopback server (never proxied)', files: { config: config() }, env: { HTTPS_PROXY: 'http://127.0.0.1:9' }, expect: { ...admin, viaProxy: false } },
        { name: 'proxy-url wins over HTTPS_PROXY', files: { config: config({ cluster: { ...named, 'proxy-url': f.proxyUrl } }) }, env: { HTTPS_PROXY: 'http://127.0.0.1:9' }, expect: { ...admin, viaProxy: true } },
      ];
    })(),
    { name: 'disable-compression', files: { config: config({ cluster: cluster({ 'disable-compression': true }) }) }, expect: admin },
    // Exec credential plugins.
    { name: 'exec ./plugin relative', files: { config: config({ user: execUser({ command: './bin/plugin.sh' }) }), 'bin/plugin.sh': plugin(token) }, expect: admin },
    { name: 'exec absolute command', files: { config: config({ user: execUser({ command: join(folder('exec absolute command'), 'plugin.sh') }) }), 'plugin.sh': plugin(token) }, expect: admin },
    { name: 'exec args and env', files: { config: config({ user: execUser({ command: './plugin.sh', args: ['--for', 'admin'], env: [{ name: 'PLUGIN_MODE', value: 'ci' }] }) }), 'plugin.sh': plugin(token, { check: '[ "$1 $2 $PLUGIN_MODE" = "--for admin ci" ]' }) }, expect: admin },
    { name: 'exec provideClusterInfo', files: { config: config({ user: execUser({ command: './plugin.sh', provideClusterInfo: true }) }), 'plugin.sh': plugin(token, { check: `echo "$KUBERNETES_EXEC_INFO" | grep -q '"server":"${f.server}"'` }) }, expect: admin },
    { name: 'exec interactiveMode IfAvailable', files: { config: config({ user: execUser({ command: './plugin.sh', interactiveMode: 'IfAvailable' }) }), 'plugin.sh': plugin(token, { check: `echo "$KUBERNETES_EXEC_INFO" | grep -q '"interactive":false'` }) }, expect: admin },
    { name: 'exec interactiveMode Always', files: { config: config({ user: execUser({ command: './plugin.sh', interactiveMode: 'Always' }) }), 'plugin.sh': plugin(token) }, expect: { fails: /interactive/ } },
    { name: 'exec v1 without interactiveMode', files: { config: config({ user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: './plugin.sh' } } }), 'plugin.sh': plugin(token) }, expect: { fails: /interactiveMode/ } },
    { name: 'exec v1beta1', files: { config: config({ user: { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: './plugin.sh' } } }), 'plugin.sh': plugin(token, { apiVersion: 'client.authentication.k8s.io/v1beta1' }) }, expect: admin },
    { name: 'exec answers another apiVersion', files: { config: config({ user: { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: './plugin.sh' } } }), 'plugin.sh': plugin(token) }, expect: { fails: /apiVersion|API version/ } },
    // An absolute command, so that only the certificate is at stake (client-node's agent used to drop it).
    { name: 'exec returns a client certificate', files: { config: config({ user: execUser({ command: join(folder('exec returns a client certificate'), 'plugin.sh') }) }), 'plugin.sh': plugin({ clientCertificateData: f.pluginCert.certPem, clientKeyData: f.pluginCert.keyPem }) }, expect: pluginUser },
    { name: 'exec expirationTimestamp in the past', files: { config: config({ user: execUser({ command: './plugin.sh' }) }), 'plugin.sh': plugin({ ...token, expirationTimestamp: '2020-01-01T00:00:00Z' }) }, expect: admin },
    { name: 'exec command not found', files: { config: config({ user: execUser({ command: './missing-plugin.sh' }) }) }, expect: { fails: /missing-plugin\.sh/ } },
    { name: 'exec plugin fails', files: { config: config({ user: execUser({ command: './plugin.sh' }) }), 'plugin.sh': plugin(token, { check: 'false' }) }, expect: { fails: /plugin\.sh.*expected input is missing|expected input is missing.*plugin\.sh/s } },
    // Which file, which context.
    { name: 'KUBECONFIG: missing, decoy, real', files: { decoy: config({ names: { cluster: 'decoy', user: 'decoy', context: 'decoy' }, currentContext: null }), config: config() }, kubeconfigEnv: ['missing', 'decoy', 'config'], expect: admin },
    { name: 'KUBECONFIG: duplicate names, first wins', files: { first: config({ namespace: 'first', currentContext: null }), second: config({ cluster: { server: 'https://127.0.0.1:1', 'insecure-skip-tls-verify': true }, user: { token: f.tokens.restricted }, namespace: 'second' }) }, kubeconfigEnv: ['first', 'second'], expect: { ...admin, namespace: 'first' } },
    { name: 'KUBECONFIG: current-context in a later file', files: { first: config({ currentContext: null }), second: JSON.stringify({ apiVersion: 'v1', kind: 'Config', 'current-context': 'main' }) }, kubeconfigEnv: ['first', 'second'], expect: admin },
    { name: 'KUBECONFIG with empty segments', files: { config: config() }, kubeconfigEnv: ['', 'config', ''], expect: admin },
    { name: '--kubeconfig overrides KUBECONFIG', files: { config: config({ namespace: 'explicit' }), other: config({ user: { token: f.tokens.restricted }, namespace: 'other' }) }, kubeconfigEnv: ['other'], explicit: 'config', expect: { ...admin, namespace: 'explicit' } },
    { name: '--kubeconfig missing', files: { config: config() }, explicit: 'nowhere', expect: { fails: /nowhere.*does not exist/ } },
    { name: 'context names a missing user', files: { config: config().replace('"user": "me"', '"user": "ghost"') }, expect: { fails: /ghost/ } },
    { name: 'YAML syntax error', files: { config: `apiVersion: v1\nusers:\n- name: me\n  user:\n    token: ${f.tokens.admin}\n    client-key-data: [unclosed\ncurrent-context: main\n` }, expect: { fails: /line \d+/ } },
  ];
}
