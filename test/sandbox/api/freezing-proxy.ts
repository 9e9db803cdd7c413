// A TCP proxy in front of the API server that can go silent the way a NAT or firewall that dropped its state does:
// the connections open at freeze() stay open but carry nothing more, in either direction, and never close; new
// connections pass. It binds 127.0.0.1 and forwards only to the API server's own address.
import { createServer, connect } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';

export interface FreezingProxy {
  /** `https://127.0.0.1:PORT`, to put in a kubeconfig in place of the API server's address. */
  readonly server: string;
  /** Every connection open now stops forwarding, silently and for good. */
  freeze(): void;
  /** How many connections are frozen. */
  readonly frozen: number;
  stop(): Promise<void>;
}

export async function startFreezingProxy(apiServer: string): Promise<FreezingProxy> {
  const target = new URL(apiServer);
  if (target.hostname !== '127.0.0.1') throw new Error('the freezing proxy forwards only to 127.0.0.1');
  const open = new Set<{ client: Socket; upstream: Socket; frozen: boolean }>();
  const server = createServer((client) => {
    const upstream = connect(Number(target.port), '127.0.0.1');
    const pair = { client, upstream, frozen: false };
    open.add(pair);
    // Data is dropped, not paused: a paused socket would push back and the peer's writes would stall visibly.
    client.on('data', (chunk) => pair.frozen || upstream.write(chunk));
    upstream.on('data', (chunk) => pair.frozen || client.write(chunk));
    const close = (): void => {
      if (pair.frozen) return;
      open.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      socket.on('error', close);
      socket.on('end', close);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    freeze() {
      for (const pair of open) pair.frozen = true;
    },
    get frozen() {
      return [...open].filter((pair) => pair.frozen).length;
    },
    async stop() {
      for (const { client, upstream } of open) {
        client.destroy();
        upstream.destroy();
      }
      open.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
