// One kubeconfig file, read into the fields client-go knows (clientcmd/api/v1/types.go), with relative paths
// resolved against the file's folder as clientcmd's ResolveLocalPaths does.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, sep } from 'node:path';
import { load, YAMLException } from 'js-yaml';
import { KubeconfigError } from './errors.ts';

export interface ClusterEntry {
  readonly name: string;
  readonly server: string;
  readonly certificateAuthority?: string;
  /** Base64 of PEM, as written in the kubeconfig. */
  readonly certificateAuthorityData?: string;
  readonly insecureSkipTlsVerify: boolean;
  readonly tlsServerName?: string;
  readonly proxyUrl?: string;
  readonly disableCompression: boolean;
}

export interface ExecConfig {
  readonly command: string;
  readonly args?: readonly string[];
  readonly env?: ReadonlyArray<{ readonly name: string; readonly value: string }>;
  readonly apiVersion?: string;
  readonly provideClusterInfo?: boolean;
  readonly interactiveMode?: string;
  readonly installHint?: string;
}

export interface UserEntry {
  readonly name: string;
  readonly token?: string;
  readonly tokenFile?: string;
  readonly clientCertificate?: string;
  readonly clientCertificateData?: string;
  readonly clientKey?: string;
  readonly clientKeyData?: string;
  readonly username?: string;
  readonly password?: string;
  readonly impersonate?: string;
  readonly impersonateUid?: string;
  readonly impersonateGroups?: readonly string[];
  readonly impersonateUserExtra?: Readonly<Record<string, readonly string[]>>;
  readonly exec?: ExecConfig;
  readonly authProvider?: { readonly name: string; readonly config?: Readonly<Record<string, string>> };
}

export interface ContextEntry {
  readonly name: string;
  readonly cluster: string;
  readonly user: string;
  readonly namespace?: string;
}

export interface KubeconfigFile {
  readonly clusters: readonly ClusterEntry[];
  readonly users: readonly UserEntry[];
  readonly contexts: readonly ContextEntry[];
  readonly currentContext?: string;
}

type Raw = Record<string, unknown>;

const isObject = (value: unknown): value is Raw => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const strings = (value: unknown): string[] | undefined => (Array.isArray(value) ? value.map(String) : undefined);

/** Named entries (`- name: x\n  cluster: {...}`), skipping malformed ones as client-go's decoder leaves them empty. */
function named(list: unknown, key: string): Array<{ name: string; body: Raw }> {
  if (!Array.isArray(list)) return [];
  return list.filter(isObject).map((item) => ({ name: String(item.name ?? ''), body: isObject(item[key]) ? item[key] : {} }));
}

/** clientcmd's ResolvePaths: a relative path is joined to the kubeconfig's folder. */
function resolve(base: string, path: string | undefined): string | undefined {
  return path === undefined || isAbsolute(path) ? path : join(base, path);
}

function cluster(name: string, body: Raw, base: string): ClusterEntry {
  return {
    name,
    server: text(body.server) ?? '',
    certificateAuthority: resolve(base, text(body['certificate-authority'])),
    certificateAuthorityData: text(body['certificate-authority-data']),
    insecureSkipTlsVerify: body['insecure-skip-tls-verify'] === true,
    tlsServerName: text(body['tls-server-name']),
    proxyUrl: text(body['proxy-url']),
    disableCompression: body['disable-compression'] === true,
  };
}

function exec(body: unknown, base: string): ExecConfig | undefined {
  if (!isObject(body)) return undefined;
  const command = text(body.command) ?? '';
  return {
    // GetAuthInfoFileReferences: only a command with a path separator is resolved; a bare name is looked up in PATH.
    command: command.includes(sep) ? (resolve(base, command) ?? command) : command,
    args: strings(body.args),
    env: Array.isArray(body.env) ? body.env.filter(isObject).map((e) => ({ name: String(e.name ?? ''), value: String(e.value ?? '') })) : undefined,
    apiVersion: text(body.apiVersion),
    provideClusterInfo: body.provideClusterInfo === true,
    interactiveMode: text(body.interactiveMode),
    installHint: text(body.installHint),
  };
}

function user(name: string, body: Raw, base: string): UserEntry {
  const extra = isObject(body['as-user-extra']) ? Object.fromEntries(Object.entries(body['as-user-extra']).map(([k, v]) => [k, strings(v) ?? []])) : undefined;
  const provider = isObject(body['auth-provider']) ? body['auth-provider'] : undefined;
  return {
    name,
    token: text(body.token),
    tokenFile: resolve(base, text(body.tokenFile)),
    clientCertificate: resolve(base, text(body['client-certificate'])),
    clientCertificateData: text(body['client-certificate-data']),
    clientKey: resolve(base, text(body['client-key'])),
    clientKeyData: text(body['client-key-data']),
    username: text(body.username),
    password: text(body.password),
    impersonate: text(body.as),
    impersonateUid: text(body['as-uid']),
    impersonateGroups: strings(body['as-groups']),
    impersonateUserExtra: extra,
    exec: exec(body.exec, base),
    authProvider: provider ? { name: String(provider.name ?? ''), config: isObject(provider.config) ? (provider.config as Record<string, string>) : undefined } : undefined,
  };
}

/**
 * Parses YAML (or JSON). A syntax error reports only js-yaml's reason and the position: its default message
 * quotes the neighbouring lines, which in a kubeconfig are tokens, keys and passwords.
 */
export function parseKubeconfig(content: string, file: string): KubeconfigFile {
  let document: unknown;
  try {
    document = load(content);
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    const where = error.mark ? ` at line ${error.mark.line + 1}, column ${error.mark.column + 1}` : '';
    throw new KubeconfigError(`The kubeconfig file ${file} is not valid YAML: ${error.reason}${where}.`, `Correct the file at that position (kubectl config view shows whether kubectl can read it).`);
  }
  if (document === undefined || document === null) return { clusters: [], users: [], contexts: [] };
  if (!isObject(document)) throw new KubeconfigError(`The kubeconfig file ${file} is not a kubeconfig (no clusters, users and contexts).`, 'Choose a kubeconfig file (kubectl config view shows the one kubectl uses).');
  const base = dirname(file);
  return {
    clusters: named(document.clusters, 'cluster').map((c) => cluster(c.name, c.body, base)),
    users: named(document.users, 'user').map((u) => user(u.name, u.body, base)),
    contexts: named(document.contexts, 'context').map(({ name, body }) => ({ name, cluster: String(body.cluster ?? ''), user: String(body.user ?? ''), ...(text(body.namespace) ? { namespace: String(body.namespace) } : {}) })),
    currentContext: text(document['current-context']),
  };
}

export function readKubeconfigFile(file: string): KubeconfigFile {
  return parseKubeconfig(readFileSync(file, 'utf8'), file);
}
