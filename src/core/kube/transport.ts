// One transport for every call to the API server (JSON, watch, logs, exec): the kubeconfig's TLS and
// credentials (connection-options.ts), plus bounded retries.
import http from 'node:http';
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { KubeConnection, UserEntry } from './kubeconfig.ts';
import { connectionOptions } from './connection-options.ts';
import { unauthorized } from './credentials.ts';
import { KubeError, isTransient } from './errors.ts';
import { forgetExecCredential } from './execCredential.ts';
import { delay } from './delay.ts';

export { connectionOptions };

export interface RequestInit {
  readonly method?: string;
  readonly body?: unknown;
  readonly signal?: AbortSignal;
  /** Extra headers, e.g. Accept for logs. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Per-attempt timeout for getting the response head; streams stay open after it. */
  readonly timeoutMs?: number;
  /**
   * False for a request that must not be sent twice blindly (a create): a timeout or a 5xx may come after the server
   * acted on it, so the caller decides how to retry (gateway.createPod adopts what the first try created).
   */
  readonly retry?: boolean;
}

function describe(method: string, path: string): string {
  return `${method} ${path.split('?')[0]}`;
}

/** A Status body's reason and message, else the HTTP status text; a 401 names the credential `user` sent. */
export function errorFromResponse(status: number, body: string, request: string, user: UserEntry): KubeError {
  let reason = http.STATUS_CODES[status]?.replace(/\s+/g, '') ?? 'Unknown';
  let message = body.trim() || `${status} ${http.STATUS_CODES[status] ?? ''}`.trim();
  try {
    const parsed = JSON.parse(body) as { reason?: string; message?: string };
    if (parsed.reason) reason = parsed.reason;
    if (parsed.message) message = parsed.message;
  } catch {
    // Not a Status object (e.g. a proxy's HTML page): keep the text.
  }
  if (status === 401) {
    const refused = unauthorized(user);
    return new KubeError(status, reason, refused.message, request, refused.fix);
  }
  if (status === 403 && user.impersonate && /cannot impersonate/.test(message)) {
    return new KubeError(status, reason, `${message} (the kubeconfig user "${user.name}" impersonates "${user.impersonate}" with as/as-groups)`, request,
      'Remove as/as-groups from the user entry, or ask the cluster administrator for the impersonate right (a ClusterRole with verb impersonate on users and groups).');
  }
  return new KubeError(status, reason, message, request);
}

function transportError(error: NodeJS.ErrnoException, connection: KubeConnection, request: string): KubeError {
  const code = error.code ?? '';
  const server = connection.cluster.server;
  const where = `the cluster "${connection.cluster.name}" of the kube context "${connection.context}"`;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const name = connection.cluster.tlsServerName ?? new URL(server).hostname;
    return new KubeError(0, 'TLSError', `The TLS certificate of the API server ${server} is not valid for the name ${name} (${code}).`, request,
      `Use the server address the certificate names, or set tls-server-name of ${where} to a name in it (openssl s_client -connect <host:port> shows it).`);
  }
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) {
    return new KubeError(0, 'TLSError', `The TLS certificate of the API server ${server} is not trusted (${code}): it does not match the certificate-authority of ${where}.`, request,
      'Log in again to refresh the kubeconfig (oc login / your cloud CLI), or correct certificate-authority-data of that cluster in the kubeconfig.');
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new KubeError(0, code === 'ENOTFOUND' ? 'HostNotFound' : 'DNSFailure', `The host name of the API server ${server} cannot be resolved (${code}).`, request,
      `Check the server address of ${where} (kubectl config view --minify) and your DNS or VPN connection.`);
  }
  return new KubeError(0, 'ConnectionFailed', `Cannot reach the API server ${server}: ${error.message}`, request,
    'Check your network or VPN connection and that the cluster is up (kubectl cluster-info), then retry.');
}

/** One attempt: resolves with the response head (any status); the body is left to the caller. */
async function attempt(connection: KubeConnection, path: string, init: RequestInit): Promise<IncomingMessage> {
  const method = init.method ?? 'GET';
  const options = await connectionOptions(connection, init.signal);
  const url = new URL(connection.cluster.server.replace(/\/+$/, '') + path);
  const body = init.body === undefined ? undefined : Buffer.from(JSON.stringify(init.body));
  const headers: http.OutgoingHttpHeaders = {
    ...options.headers,
    Accept: 'application/json',
    ...init.headers,
    ...(body ? { 'Content-Type': 'application/json', 'Content-Length': body.length } : {}),
  };
  const request = describe(method, path);
  const send = url.protocol === 'http:' ? http.request : https.request;
  return new Promise((resolve, reject) => {
    const req = send(url, { ...options, method, headers, signal: init.signal }, (response) => {
      // The timeout guards the wait for an answer; watch and log streams may then stay quiet for long.
      req.setTimeout(0);
      resolve(response);
    });
    // TCP keepalive notices a peer that vanished (a rebooted node, a dropped VPN) on connections that wait long.
    req.on('socket', (socket) => socket.setKeepAlive(true, KEEPALIVE_MS));
    if (init.timeoutMs) {
      req.setTimeout(init.timeoutMs, () => req.destroy(Object.assign(new Error(`no answer within ${init.timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    }
    req.on('error', (error: NodeJS.ErrnoException) => reject(error.name === 'AbortError' ? error : transportError(error, connection, request)));
    req.end(body);
  });
}

async function readBody(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export const RETRY_DELAYS_MS = [250, 500, 1000, 2000];
/** client-go's dialer keeps connections alive with probes after 30 s of silence. */
const KEEPALIVE_MS = 30_000;

/**
 * Retries transient failures (connection errors, 5xx, 429) with backoff, a bounded number of times,
 * then throws the last error. Returns a response with a 2xx status (or 204), body unread.
 */
export async function kubeRequest(connection: KubeConnection, path: string, init: RequestInit = {}): Promise<IncomingMessage> {
  const request = describe(init.method ?? 'GET', path);
  for (let n = 0; ; n++) {
    let error: KubeError;
    try {
      const response = await attempt(connection, path, { timeoutMs: 30_000, ...init });
      const status = response.statusCode ?? 0;
      if (status < 400) return response;
      const exec = connection.user.exec;
      if (status === 401 && exec) forgetExecCredential(exec, connection.cluster);
      error = errorFromResponse(status, await readBody(response), request, connection.user);
    } catch (caught) {
      if (!(caught instanceof KubeError)) throw caught;
      error = caught;
    }
    if (init.retry === false || !isTransient(error) || n >= RETRY_DELAYS_MS.length) {
      if (isTransient(error) && n > 0) error.message += ` (gave up after ${n + 1} attempts)`;
      throw error;
    }
    await delay(RETRY_DELAYS_MS[n], init.signal);
  }
}

export async function kubeJson<T>(connection: KubeConnection, path: string, init: RequestInit = {}): Promise<T> {
  const response = await kubeRequest(connection, path, init);
  const text = await readBody(response);
  if (text === '') return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new KubeError(response.statusCode ?? 0, 'NotKubernetes', `${connection.cluster.server} did not answer like a Kubernetes API server (not JSON).`, describe(init.method ?? 'GET', path));
  }
}
