// Runs a kubeconfig exec credential plugin (users[].user.exec) ourselves: client-node spawns it with no way
// to stop it, and a plugin that waits (for a browser login, a hardware key, a hung network) must die when
// the user cancels. The plugin runs in its own process group so that its children go with it.
// Rules from client-go's plugin/pkg/client/auth/exec/exec.go (refreshCredsLocked, isInteractive).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { ClusterEntry, ExecConfig } from './kubeconfig-file.ts';

export type { ExecConfig };

const V1 = 'client.authentication.k8s.io/v1';
/** What a plugin's stderr may add to a message: enough for its own explanation, not a dump. */
const STDERR_LIMIT = 500;

export interface ExecCredentialStatus {
  readonly token?: string;
  readonly clientCertificateData?: string;
  readonly clientKeyData?: string;
  readonly expirationTimestamp?: string;
}

/** Why a plugin gave no credential: it is not installed, it would need a terminal, or it ran and failed. */
export class PluginError extends Error {
  readonly kind: 'notFound' | 'needsTerminal' | 'failed';
  constructor(kind: PluginError['kind'], message: string) {
    super(message);
    this.name = 'PluginError';
    this.kind = kind;
  }
}

/** After SIGTERM, a plugin gets this long to exit before SIGKILL. */
const KILL_GRACE_MS = 1000;

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** One run of a plugin, shared by the requests that wait for it; killed when every waiter has given up. */
class PluginRun {
  readonly result: Promise<ExecCredentialStatus>;
  #waiters = 0;
  #exited = false;
  #killed = false;
  #pid: number | undefined;

  constructor(exec: ExecConfig, cluster: ClusterEntry) {
    this.result = new Promise((resolve, reject) => {
      // isInteractive: the plugin never gets a terminal here (a build runs in the background), so Always cannot be served.
      if (exec.interactiveMode === 'Always') return reject(new PluginError('needsTerminal', 'its interactiveMode is Always, but a build gives it no terminal to ask you in'));
      const child = spawn(exec.command, [...(exec.args ?? [])], { env: pluginEnv(exec, cluster), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      this.#pid = child.pid;
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (data: string) => (stdout += data));
      child.stderr.setEncoding('utf8').on('data', (data: string) => (stderr += data));
      child.on('error', (error: NodeJS.ErrnoException) => {
        this.#exited = true;
        reject(error.code === 'ENOENT' ? new PluginError('notFound', `${exec.command} was not found${exec.installHint ? `. ${exec.installHint}` : ''}`) : error);
      });
      child.on('close', (code, signal) => {
        this.#exited = true;
        const said = stderr.trim().slice(-STDERR_LIMIT);
        if (code !== 0) return reject(new PluginError('failed', `${exec.command} failed with ${signal ?? `exit code ${code}`}${said ? `: ${said}` : ''}`));
        try {
          resolve(parseCredential(stdout, exec.apiVersion ?? V1));
        } catch (error) {
          reject(new PluginError('failed', `${exec.command} did not print a usable ExecCredential: ${(error as Error).message}`));
        }
      });
    });
    this.result.catch(() => undefined);
  }

  wait(signal: AbortSignal | undefined): Promise<ExecCredentialStatus> {
    this.#waiters++;
    if (!signal) return this.result;
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        reject(signal.reason as Error);
        if (--this.#waiters === 0) this.#kill();
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      void this.result.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  /** A run being killed serves no new request. */
  get killed(): boolean {
    return this.#killed;
  }

  #kill(): void {
    const pid = this.#pid;
    if (this.#exited || pid === undefined) return;
    this.#killed = true;
    killGroup(pid, 'SIGTERM');
    setTimeout(() => {
      if (!this.#exited) killGroup(pid, 'SIGKILL');
    }, KILL_GRACE_MS).unref();
  }
}

/** refreshCredsLocked's checks: the configured apiVersion, a token or a certificate/key pair, never half a pair. */
function parseCredential(stdout: string, apiVersion: string): ExecCredentialStatus {
  let credential: { apiVersion?: string; status?: ExecCredentialStatus };
  try {
    credential = JSON.parse(stdout) as typeof credential;
  } catch {
    throw new Error('its output is not JSON');
  }
  if (credential.apiVersion !== apiVersion) throw new Error(`the kubeconfig asks for apiVersion ${apiVersion}, the plugin answered ${String(credential.apiVersion)}`);
  const status = credential.status;
  if (!status) throw new Error('it has no status');
  if (!status.token && !status.clientCertificateData && !status.clientKeyData) throw new Error('it has neither a token nor a client certificate and key');
  if (!status.clientCertificateData !== !status.clientKeyData) throw new Error('it has a client certificate or key, not both');
  return status;
}

/** The cluster as clientauthentication's Cluster: what provideClusterInfo passes (exec.go: ConfigToExecCluster). */
function clusterInfo(cluster: ClusterEntry): Record<string, unknown> {
  let caData = cluster.certificateAuthorityData;
  if (!caData && cluster.certificateAuthority) caData = readFileSync(cluster.certificateAuthority).toString('base64');
  return {
    server: cluster.server,
    ...(cluster.tlsServerName ? { 'tls-server-name': cluster.tlsServerName } : {}),
    ...(cluster.insecureSkipTlsVerify ? { 'insecure-skip-tls-verify': true } : {}),
    ...(caData ? { 'certificate-authority-data': caData } : {}),
    ...(cluster.proxyUrl ? { 'proxy-url': cluster.proxyUrl } : {}),
    ...(cluster.disableCompression ? { 'disable-compression': true } : {}),
  };
}

/** What kubectl passes: the parent environment, the kubeconfig's env entries, and KUBERNETES_EXEC_INFO. */
function pluginEnv(exec: ExecConfig, cluster: ClusterEntry): NodeJS.ProcessEnv {
  const spec: Record<string, unknown> = { interactive: false };
  if (exec.provideClusterInfo) spec.cluster = clusterInfo(cluster);
  const info = { apiVersion: exec.apiVersion ?? V1, kind: 'ExecCredential', spec };
  const env: NodeJS.ProcessEnv = { ...process.env, KUBERNETES_EXEC_INFO: JSON.stringify(info) };
  for (const entry of exec.env ?? []) env[entry.name] = entry.value;
  return env;
}

const cached = new Map<string, ExecCredentialStatus>();
const running = new Map<string, PluginRun>();

function fresh(status: ExecCredentialStatus | undefined): status is ExecCredentialStatus {
  return status !== undefined && (!status.expirationTimestamp || Date.parse(status.expirationTimestamp) > Date.now());
}

const keyOf = (exec: ExecConfig, cluster: ClusterEntry): string => JSON.stringify([exec, cluster.server]);

/** The server refused the credential (401): the next request runs the plugin again, as client-go does. */
export function forgetExecCredential(exec: ExecConfig, cluster: ClusterEntry): void {
  cached.delete(keyOf(exec, cluster));
}

/** The plugin's credential: cached until it expires, one run at a time per plugin configuration. */
export async function execCredential(exec: ExecConfig, cluster: ClusterEntry, signal?: AbortSignal): Promise<ExecCredentialStatus> {
  signal?.throwIfAborted();
  const key = keyOf(exec, cluster);
  const known = cached.get(key);
  if (fresh(known)) return known;
  let run = running.get(key);
  if (!run || run.killed) {
    const started = new PluginRun(exec, cluster);
    running.set(key, started);
    void started.result.then((status) => cached.set(key, status), () => undefined).finally(() => {
      if (running.get(key) === started) running.delete(key);
    });
    run = started;
  }
  return run.wait(signal);
}
