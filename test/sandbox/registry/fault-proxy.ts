// A pass-through HTTP proxy in front of the plain registry that can answer manifest pushes with 500 on demand.
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FaultProxy {
  host: string;
  /** The next `count` manifest uploads (the last step of a push) get a 500 from the "registry". */
  failPushes(count: number): void;
  stop(): Promise<void>;
}

export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  let failures = 0;
  const [upstreamHost, upstreamPort] = upstream.split(':');
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (failures > 0 && req.method === 'PUT' && /\/manifests\/[^/]+$/.test(req.url ?? '')) {
      failures--;
      req.resume();
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ code: 'UNKNOWN', message: 'unknown error', detail: 'sandbox fault: manifest upload refused' }] }) + '\n');
      return;
    }
    // The Host header passes through unchanged, so the registry's Location headers point back at the proxy.
    const forward = request({ hostname: upstreamHost, port: Number(upstreamPort), method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.once('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    failPushes(count) {
      failures = count;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
