// Reading request bodies and writing JSON answers, on ordinary responses and on raw upgrade sockets.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { KubeObject } from '../contract.ts';
import { decodeObject, isProtobuf } from './protobuf.ts';
import { ApiError, badRequest } from './status.ts';

const maxBody = 3 * 1024 * 1024; // etcd's default request limit is about this size

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBody) throw new ApiError(413, 'Request entity too large', 'RequestEntityTooLarge');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export async function readJson(req: IncomingMessage): Promise<KubeObject> {
  const body = await readBody(req);
  if (isProtobuf(req.headers['content-type'])) {
    try {
      return decodeObject(body);
    } catch (error) {
      throw new ApiError(415, (error as Error).message, 'UnsupportedMediaType');
    }
  }
  const text = body.toString('utf8');
  if (!text.trim()) return { metadata: {} };
  try {
    const parsed = JSON.parse(text);
    parsed.metadata ??= {};
    return parsed;
  } catch (error) {
    throw badRequest(`the body of the request was in an unknown format - accepted media types include: application/json: ${(error as Error).message}`);
  }
}

export function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private' });
  res.end(text);
}

export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(500, `Internal error occurred: ${(error as Error)?.message ?? String(error)}`);
}

/** An HTTP answer written straight onto the socket of an upgrade request that is refused. */
export function refuseUpgrade(socket: Duplex, error: unknown): void {
  const { code, body } = asApiError(error);
  const text = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${code} ${STATUS_CODES[code] ?? ''}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
  );
}
