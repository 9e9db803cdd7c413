// An HTTP proxy on 127.0.0.1 that tunnels CONNECT requests, as a corporate proxy named by a kubeconfig's
// `proxy-url` does; it counts tunnels so a test can tell that a client went through it.
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { connect } from 'node:net';

export interface ConnectProxy {
  url: string;
  /** CONNECT requests served so far. */
  readonly tunnels: number;
  close(): Promise<void>;
}

export async function startConnectProxy(): Promise<ConnectProxy> {
  let tunnels = 0;
  const sockets = new Set<Socket>();
  const server = createServer((_req, res) => res.writeHead(405).end('CONNECT only\n'));
  server.on('connect', (req, client: Socket, head: Buffer) => {
    const [name, port] = (req.url ?? '').split(':');
    // Only the sandbox's own address: the proxy contacts nothing else. Names under sandbox.test resolve here alone
    // (as a corporate proxy resolves internal names a laptop cannot), so a test can tell HTTPS_PROXY was used.
    const host = name.endsWith('.sandbox.test') ? '127.0.0.1' : name;
    if (host !== '127.0.0.1') return void client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    tunnels++;
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => client.destroy());
      socket.on('close', () => {
        sockets.delete(socket);
        upstream.destroy();
        client.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get tunnels() {
      return tunnels;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
