// HTTPS and WebSocket helpers for the sandbox's own tests: requests with a token against the sandbox CA.
import { request as httpsRequest } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import WebSocket from 'ws';

export interface Target {
  server: string;
  caPem: string;
}

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json(): any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export function call(target: Target, method: string, path: string, options: { token?: string; body?: unknown; accept?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const req = httpsRequest(`${target.server}${path}`, {
      method,
      ca: target.caPem,
      headers: {
        ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
        ...(body ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } : {}),
        ...(options.accept ? { Accept: options.accept } : {}),
      },
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Watch events as they arrive; `ready` resolves once the server answered, `next()` with the next event, `close()` stops the stream. */
export function watch(target: Target, path: string, token: string, accept?: string): { ready: Promise<void>; next(): Promise<any>; ended: Promise<void>; close(): void } { // eslint-disable-line @typescript-eslint/no-explicit-any
  const queue: unknown[] = [];
  const waiters: Array<(event: unknown) => void> = [];
  let buffer = '';
  let endedResolve: () => void = () => undefined;
  const ended = new Promise<void>((resolve) => (endedResolve = resolve));
  let readyResolve: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (readyResolve = resolve));
  const req = httpsRequest(`${target.server}${path}`, { ca: target.caPem, headers: { Authorization: `Bearer ${token}`, ...(accept ? { Accept: accept } : {}) } });
  req.on('response', (res) => {
    readyResolve();
    res.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      for (let index = buffer.indexOf('\n'); index >= 0; index = buffer.indexOf('\n')) {
        const event = JSON.parse(buffer.slice(0, index));
        buffer = buffer.slice(index + 1);
        const waiter = waiters.shift();
        if (waiter) waiter(event);
        else queue.push(event);
      }
    });
    res.on('end', endedResolve);
    res.on('close', endedResolve);
  });
  req.on('error', endedResolve);
  req.end();
  return {
    ready,
    next: () => (queue.length ? Promise.resolve(queue.shift()) : new Promise((resolve) => waiters.push(resolve))),
    ended,
    close: () => req.destroy(),
  };
}

export interface ExecResult {
  protocol: string;
  frames: Buffer[];
  closeCode: number;
}

/** A raw exec WebSocket: sends the given frames after the first server frame and records every frame received. */
export function rawExec(target: Target, path: string, token: string, protocols: string[], send: (ws: WebSocket) => void): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${target.server.replace('https', 'wss')}${path}`, protocols, { ca: target.caPem, headers: { Authorization: `Bearer ${token}` } });
    const frames: Buffer[] = [];
    ws.on('message', (data: Buffer) => {
      frames.push(data);
      if (frames.length === 1) send(ws);
    });
    ws.on('close', (code) => resolve({ protocol: ws.protocol, frames, closeCode: code }));
    ws.on('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') })));
    });
    ws.on('error', reject);
  });
}
