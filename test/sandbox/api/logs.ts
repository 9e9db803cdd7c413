// GET pods/NAME/log: the kubelet's log stream as chunked text/plain; 204 while unscheduled.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Kubelet, KubeObject, LogOptions } from '../contract.ts';
import { KubeletError } from '../contract.ts';
import { chooseContainer } from './pod-containers.ts';
import { ApiError } from './status.ts';

export function serveLogs(req: IncomingMessage, res: ServerResponse, url: URL, pod: KubeObject, kubelet: Kubelet): void {
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
  stream.pipe(res);
  stream.on('error', () => res.destroy());
  req.on('close', () => stream.destroy());
}
