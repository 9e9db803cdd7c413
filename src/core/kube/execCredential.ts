// Runs a kubeconfig exec credential plugin (users[].user.exec) ourselves: client-node spawns it with no way
// to stop it, and a plugin that waits (for a browser login, a hardware key, a hung network) must die when
// the user cancels. The plugin runs in its own process group so that its children go with it.
import { spawn } from 'node:child_process';
import type { Cluster } from '@kubernetes/client-node';

export interface ExecConfig {
  readonly command: string;
  readonly args?: readonly string[];
  readonly env?: ReadonlyArray<{ readonly name: string; readonly value: string }> | null;
  readonly apiVersion?: string;
  readonly provideClusterInfo?: boolean;
}

export interface ExecCredentialStatus {
  readonly token?: string;
  readonly clientCertificateData?: string;
  readonly clientKeyData?: string;
  readonly expirationTimestamp?: string;
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

  constructor(exec: ExecConfig, cluster: Cluster) {
    this.result = new Promise((resolve, reject) => {
      const child = spawn(exec.command, [...(exec.args ?? [])], { env: pluginEnv(exec, cluster), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      this.#pid = child.pid;
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (data: string) => (stdout += data));
      child.stderr.setEncoding('utf8').on('data', (data: string) => (stderr += data));
      child.on('error', (error) => {
        this.#exited = true;
        reject(error);
      });
      child.on('close', (code, signal) => {
        this.#exited = true;
        if (code !== 0) return reject(new Error(stderr.trim() || `the credential plugin ${exec.command} ended with ${signal ?? `exit code ${code}`}`));
        try {
          const status = (JSON.parse(stdout) as { status?: ExecCredentialStatus }).status;
          if (!status) throw new Error('no status');
          resolve(status);
        } catch {
          reject(new Error(`the credential plugin ${exec.command} did not print an ExecCredential`));
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

/** What kubectl passes: the parent environment, the kubeconfig's env entries, and KUBERNETES_EXEC_INFO. */
function pluginEnv(exec: ExecConfig, cluster: Cluster): NodeJS.ProcessEnv {
  const spec: Record<string, unknown> = { interactive: false };
  if (exec.provideClusterInfo) {
    spec.cluster = { server: cluster.server, 'certificate-authority-data': cluster.caData, 'insecure-skip-tls-verify': cluster.skipTLSVerify, 'tls-server-name': cluster.tlsServerName };
  }
  const info = { apiVersion: exec.apiVersion ?? 'client.authentication.k8s.io/v1', kind: 'ExecCredential', spec };
  const env: NodeJS.ProcessEnv = { ...process.env, KUBERNETES_EXEC_INFO: JSON.stringify(info) };
  for (const entry of exec.env ?? []) env[entry.name] = entry.value;
  return env;
}

const cached = new Map<string, ExecCredentialStatus>();
const running = new Map<string, PluginRun>();

function fresh(status: ExecCredentialStatus | undefined): status is ExecCredentialStatus {
  return status !== undefined && (!status.expirationTimestamp || Date.parse(status.expirationTimestamp) > Date.now());
}

const keyOf = (exec: ExecConfig, cluster: Cluster): string => JSON.stringify([exec, cluster.server]);

/** The server refused the credential (401): the next request runs the plugin again, as client-go does. */
export function forgetExecCredential(exec: ExecConfig, cluster: Cluster): void {
  cached.delete(keyOf(exec, cluster));
}

/** The plugin's credential: cached until it expires, one run at a time per plugin configuration. */
export async function execCredential(exec: ExecConfig, cluster: Cluster, signal?: AbortSignal): Promise<ExecCredentialStatus> {
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
