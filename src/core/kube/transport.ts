// One transport for every call to the API server (JSON, watch, logs, exec): the kubeconfig's
// auth (token, client cert, exec plugin, OIDC via client-node) and TLS, plus bounded retries.
import http from 'node:http';
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { KubeConnection } from './kubeconfig.ts';
import { KubeError, KubeconfigError, isTransient } from './errors.ts';

export interface RequestInit {
  readonly method?: string;
  readonly body?: unknown;
  readonly signal?: AbortSignal;
  /** Extra headers, e.g. Accept for logs. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Per-attempt timeout for getting the response head; streams stay open after it. */
  readonly timeoutMs?: number;
}

/** The options `https.request`/`ws` need to reach this cluster as this user. */
export async function connectionOptions(connection: KubeConnection): Promise<https.RequestOptions> {
  const options: https.RequestOptions = {};
  try {
    await connection.config.applyToHTTPSOptions(options);
  } catch (error) {
    if (/HTTP protocol is not allowed/.test((error as Error).message)) {
      throw new KubeconfigError(`The kube context "${connection.context}" reaches its API server over plain http (${connection.cluster.server}).`, 'Use the https:// address of the API server, or set insecure-skip-tls-verify: true for a local test cluster.');
    }
    throw new KubeError(0, 'AuthenticationFailed', `Cannot get credentials for the kube context "${connection.context}": ${(error as Error).message}`, 'credentials');
  }
  return options;
}

function describe(method: string, path: string): string {
  return `${method} ${path.split('?')[0]}`;
}

/** A Status body's reason and message, else the HTTP status text. */
export function errorFromResponse(status: number, body: string, request: string): KubeError {
  let reason = http.STATUS_CODES[status]?.replace(/\s+/g, '') ?? 'Unknown';
  let message = body.trim() || `${status} ${http.STATUS_CODES[status] ?? ''}`.trim();
  try {
    const parsed = JSON.parse(body) as { reason?: string; message?: string };
    if (parsed.reason) reason = parsed.reason;
    if (parsed.message) message = parsed.message;
  } catch {
    // Not a Status object (e.g. a proxy's HTML page): keep the text.
  }
  if (status === 401) message = 'The cluster did not accept your credentials (401 Unauthorized); the token may have expired.';
  return new KubeError(status, reason, message, request);
}

function transportError(error: NodeJS.ErrnoException, server: string, request: string): KubeError {
  const code = error.code ?? '';
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) {
    return new KubeError(0, 'TLSError', `The TLS certificate of ${server} is not trusted (${code}): check certificate-authority in your kubeconfig.`, request);
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new KubeError(0, 'DNSFailure', `The host of ${server} cannot be resolved (${code}).`, request);
  return new KubeError(0, 'ConnectionFailed', `Cannot reach the API server ${server}: ${error.message}`, request);
}

/** A credential plugin may never return (client-node gives it no timeout); a cancelled build must not wait for it. */
function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    void promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** One attempt: resolves with the response head (any status); the body is left to the caller. */
async function attempt(connection: KubeConnection, path: string, init: RequestInit): Promise<IncomingMessage> {
  const method = init.method ?? 'GET';
  const options = await unlessAborted(connectionOptions(connection), init.signal);
  const url = new URL(connection.cluster.server.replace(/\/+$/, '') + path);
  const body = init.body === undefined ? undefined : Buffer.from(JSON.stringify(init.body));
  const headers: Record<string, string | number> = {
    ...(options.headers as Record<string, string> | undefined),
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
    if (init.timeoutMs) {
      req.setTimeout(init.timeoutMs, () => req.destroy(Object.assign(new Error(`no answer within ${init.timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    }
    req.on('error', (error: NodeJS.ErrnoException) => reject(error.name === 'AbortError' ? error : transportError(error, connection.cluster.server, request)));
    req.end(body);
  });
}

async function readBody(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const RETRY_DELAYS_MS = [250, 500, 1000, 2000];

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });
}

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
      error = errorFromResponse(status, await readBody(response), request);
    } catch (caught) {
      if (!(caught instanceof KubeError)) throw caught;
      error = caught;
    }
    if (!isTransient(error) || n >= RETRY_DELAYS_MS.length || error.reason === 'TLSError') {
      if (isTransient(error) && n > 0) error.message += ` (gave up after ${n + 1} attempts)`;
      throw error;
    }
    await sleep(RETRY_DELAYS_MS[n], init.signal);
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
