// GET pods/NAME/log: the kubelet's log stream as chunked text/plain; 204 while unscheduled.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { Kubelet, KubeObject, LogOptions } from '../contract.ts';
import { KubeletError } from '../contract.ts';
import type { ApiFaults } from './faults.ts';
import { chooseContainer } from './pod-containers.ts';
import { ApiError } from './status.ts';

/** Sends the stream; with a cut, ends the response after `cutBytes` bytes while the container goes on printing. */
function send(stream: Readable, res: ServerResponse, cutBytes: number | undefined): void {
  if (cutBytes === undefined) {
    stream.pipe(res);
    return;
  }
  let left = cutBytes;
  stream.on('data', (chunk: Buffer | string) => {
    const part = Buffer.from(chunk).subarray(0, left);
    left -= part.length;
    if (part.length > 0) res.write(part);
    if (left <= 0) {
      stream.destroy();
      res.end();
    }
  });
  stream.on('end', () => res.end());
}

export function serveLogs(req: IncomingMessage, res: ServerResponse, url: URL, pod: KubeObject, kubelet: Kubelet, faults: ApiFaults): void {
  const params = url.searchParams;
  const container = chooseContainer(pod, params.get('container'));
  const tail = params.get('tailLines');
  const options: LogOptions = {
    follow: params.get('follow') === 'true',
    timestamps: params.get('timestamps') === 'true',
    previous: params.get('previous') === 'true',
    ...(params.get('sinceTime') ? { sinceTime: params.get('sinceTime') as string } : {}),
    ...(tail !== null ? { tailLines: Number(tail) } : {}),
  };
  let stream;
  try {
    stream = kubelet.logs(pod.metadata.namespace, pod.metadata.name, container, options);
  } catch (error) {
    if (error instanceof KubeletError) throw new ApiError(error.status, error.message);
    throw error;
  }
  if (!stream) {
    res.writeHead(204);
    res.end();
    return;
  }
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
  send(stream, res, options.follow ? faults.logCutBytes : undefined);
  stream.on('error', () => res.destroy());
  req.on('close', () => stream.destroy());
}
