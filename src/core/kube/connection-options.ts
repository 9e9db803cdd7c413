// The TLS settings and credentials of a connection as `https.request`/`ws` options, built from the kubeconfig
// as client-go's rest.Config is (clientcmd's client_config.go): CA, insecure-skip-tls-verify, tls-server-name,
// proxy-url, token / token file / username-password / client certificate / exec plugin / auth provider, and
// the impersonation headers of `as`, `as-uid`, `as-groups`, `as-user-extra`.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { OutgoingHttpHeaders } from 'node:http';
import type https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeError, KubeconfigError } from './errors.ts';
import { PluginError, execCredential } from './execCredential.ts';
import type { ExecConfig, KubeConnection, UserEntry } from './kubeconfig.ts';
import { proxyAgent } from './proxy-agent.ts';

export type ConnectionOptions = Omit<https.RequestOptions, 'headers'> & { headers: OutgoingHttpHeaders };

const fromBase64 = (data: string): Buffer => Buffer.from(data, 'base64');

/** `-data` wins over the file, as client-go's dataFromSliceOrFile does. */
function pem(data: string | undefined, file: string | undefined): Buffer | undefined {
  if (data) return fromBase64(data);
  return file ? readFileSync(file) : undefined;
}

function credentialError(connection: KubeConnection, source: string, error: unknown, fix = 'Check the user entry of that context (kubectl config view --minify) and log in again with the tool that wrote it.'): KubeError {
  return new KubeError(0, 'AuthenticationFailed', `Cannot get credentials from ${source} for the kube context "${connection.context}": ${(error as Error).message}`, 'credentials', fix);
}

/** What to do when the exec plugin could not give a credential. Its args are not shown: they may hold a client secret. */
function execFix(exec: ExecConfig, error: unknown): string {
  const kind = error instanceof PluginError ? error.kind : 'failed';
  if (kind === 'notFound') return 'Install the plugin, or correct exec.command in the kubeconfig (a command with / is relative to the kubeconfig\'s folder, one without is looked up in PATH).';
  if (kind === 'needsTerminal') return 'Log in first with the tool the plugin belongs to (so it needs no prompt), or set interactiveMode: IfAvailable in the kubeconfig.';
  return `Run the plugin yourself (${exec.command} with the args of the kubeconfig's exec section) to see what it needs; usually: log in again with the tool it belongs to (oc login, your cloud CLI).`;
}

/** client-go's rest.ImpersonationConfig as headers (transport/round_trippers.go: NewImpersonatingRoundTripper). */
function impersonation(user: UserEntry): OutgoingHttpHeaders {
  if (!user.impersonate) return {};
  const headers: OutgoingHttpHeaders = { 'Impersonate-User': user.impersonate };
  if (user.impersonateUid) headers['Impersonate-Uid'] = user.impersonateUid;
  if (user.impersonateGroups?.length) headers['Impersonate-Group'] = [...user.impersonateGroups];
  for (const [key, values] of Object.entries(user.impersonateUserExtra ?? {})) headers[`Impersonate-Extra-${encodeURIComponent(key)}`] = [...values];
  return headers;
}

/** OIDC, Azure, GCP and the like, as client-node applies them; only their Authorization header is kept. */
async function authProviderHeader(connection: KubeConnection): Promise<string | undefined> {
  const { cluster, user } = connection;
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [{ name: cluster.name, server: cluster.server, skipTLSVerify: true }],
    users: [{ name: user.name, authProvider: user.authProvider }],
    contexts: [{ name: 'provider', cluster: cluster.name, user: user.name }],
    currentContext: 'provider',
  });
  const options: https.RequestOptions = {};
  await config.applyToHTTPSOptions(options);
  return (options.headers as Record<string, string> | undefined)?.Authorization;
}

async function applyCredentials(connection: KubeConnection, options: ConnectionOptions, signal?: AbortSignal): Promise<void> {
  const { user } = connection;
  const token = bearerToken(connection);
  if (token) options.headers.Authorization = `Bearer ${token}`;
  else if (user.username || user.password) options.headers.Authorization = `Basic ${Buffer.from(`${user.username ?? ''}:${user.password ?? ''}`).toString('base64')}`;
  try {
    options.cert = pem(user.clientCertificateData, user.clientCertificate);
    options.key = pem(user.clientKeyData, user.clientKey);
  } catch (error) {
    throw credentialError(connection, `the client certificate ${user.clientCertificate ?? ''}`.trim(), error);
  }
  if (user.authProvider) {
    const source = `the auth provider ${user.authProvider.name}`;
    const fix = `Log in again with the ${user.authProvider.name} provider's tool (e.g. kubectl oidc-login) for a new token.`;
    const header = await authProviderHeader(connection).catch((error: unknown) => {
      throw credentialError(connection, source, error, fix);
    });
    // kubectl stops here too ("No valid id-token, and cannot refresh without refresh-token") rather than asking anonymously.
    if (!header) throw credentialError(connection, source, new Error('it has no valid token and nothing to refresh one with (an expired id-token without refresh-token)'), fix);
    options.headers.Authorization = header;
  }
  if (user.exec) {
    // The plugin's certificate replaces the kubeconfig's: both go into the request options, never into an agent built before.
    const exec = user.exec;
    const credential = await execCredential(exec, connection.cluster, signal).catch((error: unknown) => {
      throw signal?.aborted ? error : credentialError(connection, `the exec credential plugin ${basename(exec.command)}`, error, execFix(exec, error));
    });
    if (credential.token) options.headers.Authorization = `Bearer ${credential.token}`;
    if (credential.clientCertificateData) {
      options.cert = credential.clientCertificateData;
      options.key = credential.clientKeyData;
    }
  }
}

/**
 * client-go's NewBearerAuthWithRefreshRoundTripper: a readable token file wins (re-read as it rotates, as kubectl
 * does every minute); the token is the fallback when the file cannot be read, and without a token that is an error.
 */
function bearerToken(connection: KubeConnection): string | undefined {
  const { token, tokenFile } = connection.user;
  if (!tokenFile) return token;
  try {
    return readFileSync(tokenFile, 'utf8').trim();
  } catch (error) {
    if (token) return token;
    throw new KubeconfigError(`The token file ${tokenFile} of the user "${connection.user.name}" (kube context "${connection.context}") cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`,
      'Restore that file, or correct tokenFile in the kubeconfig (relative paths start at the kubeconfig\'s folder).');
  }
}

/** The options `https.request`/`ws` need to reach this cluster as this user; `signal` stops a waiting exec plugin. */
export async function connectionOptions(connection: KubeConnection, signal?: AbortSignal): Promise<ConnectionOptions> {
  const { cluster } = connection;
  const plain = cluster.server.startsWith('http:');
  if (plain && !cluster.insecureSkipTlsVerify) {
    throw new KubeconfigError(`The kube context "${connection.context}" reaches its API server over plain http (${cluster.server}).`, 'Use the https:// address of the API server (kubectl cluster-info shows it).');
  }
  const options: ConnectionOptions = { headers: impersonation(connection.user) };
  try {
    const ca = pem(cluster.certificateAuthorityData, cluster.certificateAuthority);
    if (ca) options.ca = ca;
  } catch (error) {
    throw new KubeconfigError(`The certificate-authority ${cluster.certificateAuthority} of the cluster "${cluster.name}" cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`, 'Restore that file or correct certificate-authority in the kubeconfig.');
  }
  if (cluster.insecureSkipTlsVerify) options.rejectUnauthorized = false;
  if (cluster.tlsServerName) options.servername = cluster.tlsServerName;
  if (cluster.proxyUrl && plain) throw new KubeconfigError(`The cluster "${cluster.name}" has a proxy-url and a plain http server; kaniko-build tunnels only https through a proxy.`, 'Use the https:// address of the API server.');
  if (connection.proxyUrl) options.agent = proxyAgent(connection.proxyUrl, cluster.name);
  await applyCredentials(connection, options, signal);
  return options;
}
