// Exec over the WebSocket channel protocol, written here because client-node's Exec has no stdin
// backpressure and loses the exit status on v4. Channels: 0 stdin, 1 stdout, 2 stderr, 3 status,
// 255 close (v5 only: `[255, 0]` half-closes stdin so the command sees EOF and still reports its status).
import WebSocket from 'ws';
import type { KubeConnection } from './kubeconfig.ts';
import { KubeError } from './errors.ts';
import { connectionOptions, errorFromResponse } from './transport.ts';

export const EXEC_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'channel.k8s.io'];

export interface ExecStatus {
  readonly exitCode: number;
  readonly message?: string;
}

export interface ExecOptions {
  readonly stdin: boolean;
  readonly onStdout?: (chunk: Buffer) => void;
  readonly onStderr?: (chunk: Buffer) => void;
  readonly signal?: AbortSignal;
}

/** Stop writing while this much is queued in the socket; keeps memory flat for any upload size. */
export const HIGH_WATER = 1024 * 1024;

export class ExecSession {
  readonly protocol: string;
  /** Resolves with the command's status; rejects if the socket closes without one. */
  readonly status: Promise<ExecStatus>;
  #ws: WebSocket;
  #error: Error | undefined;

  constructor(ws: WebSocket, status: Promise<ExecStatus>) {
    this.#ws = ws;
    this.protocol = ws.protocol;
    this.status = status;
    status.catch((error: Error) => {
      this.#error = error;
    });
  }

  /** v5 can end stdin and still read the exit status; older protocols can only close the socket. */
  get canHalfClose(): boolean {
    return this.protocol === 'v5.channel.k8s.io';
  }

  /**
   * Sends one stdin frame: byte 0 is the channel (0), the rest is data. Resolves at once while less than
   * HIGH_WATER is queued, else when this frame has been written out (backpressure without a round trip per
   * frame). `onWritten` runs once the socket no longer needs the frame, so its buffer may be reused.
   */
  async writeFrame(frame: Buffer, onWritten?: () => void): Promise<void> {
    if (this.#error) throw this.#error;
    if (this.#ws.readyState !== WebSocket.OPEN) throw new KubeError(0, 'ExecClosed', 'The exec connection closed while sending data.', 'exec');
    const sent = new Promise<void>((resolve, reject) => this.#ws.send(frame, (error) => {
      if (error) return reject(error);
      onWritten?.();
      resolve();
    }));
    if (this.#ws.bufferedAmount < HIGH_WATER) {
      sent.catch((error: Error) => {
        this.#error ??= error;
      });
      return;
    }
    await sent;
  }

  /** Half-closes stdin on v5; on older protocols returns false (the caller must close instead). */
  endStdin(): boolean {
    if (!this.canHalfClose) return false;
    this.#ws.send(Buffer.from([255, 0]));
    return true;
  }

  close(): void {
    this.#ws.close();
  }

  terminate(): void {
    this.#ws.terminate();
  }
}

function parseStatus(text: string): ExecStatus {
  const status = JSON.parse(text) as { status?: string; message?: string; reason?: string; details?: { causes?: Array<{ reason?: string; message?: string }> } };
  if (status.status === 'Success') return { exitCode: 0 };
  const code = status.details?.causes?.find((c) => c.reason === 'ExitCode')?.message;
  return { exitCode: code !== undefined ? Number(code) : -1, message: status.message ?? status.reason };
}

/**
 * RFC 6455 masks a client's frames so that script in a browser cannot choose the bytes that a proxy on the
 * path reads as plaintext (section 10.3). Over TLS no proxy reads them, and ws masks in JavaScript, byte by
 * byte: ~0.5 s of CPU per 200 MB uploaded. So over wss the key is all zeros, which ws then skips applying.
 */
function maskOptions(url: string): WebSocket.ClientOptions {
  return url.startsWith('wss:') ? { generateMask: (mask: Buffer) => { mask.fill(0); } } : {};
}

export async function openExec(connection: KubeConnection, namespace: string, pod: string, container: string, command: readonly string[], options: ExecOptions): Promise<ExecSession> {
  const query = new URLSearchParams({ container, stdout: 'true', stderr: 'true', stdin: String(options.stdin), tty: 'false' });
  for (const part of command) query.append('command', part);
  const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/exec?${query}`;
  const url = connection.cluster.server.replace(/\/+$/, '').replace(/^http/, 'ws') + path;
  const tls = await connectionOptions(connection);
  const ws = new WebSocket(url, EXEC_PROTOCOLS, { ...(tls as WebSocket.ClientOptions), ...maskOptions(url), perMessageDeflate: false });
  const request = `exec ${container} in ${namespace}/${pod}`;
  // Errors are reported through the promises below; this keeps a late one from crashing the process.
  ws.on('error', () => undefined);

  // Listen before 'open': the server's first frames can follow the upgrade immediately.
  const status = new Promise<ExecStatus>((resolve, reject) => {
    let result: ExecStatus | undefined;
    ws.on('message', (data: Buffer) => {
      if (data.length === 0) return;
      const payload = data.subarray(1);
      if (data[0] === 1 && payload.length) options.onStdout?.(payload);
      else if (data[0] === 2 && payload.length) options.onStderr?.(payload);
      else if (data[0] === 3 && payload.length) result = parseStatus(payload.toString('utf8'));
    });
    ws.on('close', () => (result ? resolve(result) : reject(new KubeError(0, 'ExecClosed', `The connection for ${request} closed before the command reported its exit status.`, request))));
  });
  status.catch(() => undefined);

  await new Promise<void>((resolve, reject) => {
    options.signal?.addEventListener('abort', () => ws.terminate(), { once: true });
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        reject(errorFromResponse(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'), request, connection.user));
        req.destroy();
      });
    });
    ws.once('error', (error) => reject(new KubeError(0, 'ConnectionFailed', `Cannot open ${request}: ${error.message}`, request)));
  });
  return new ExecSession(ws, status);
}
