// The TLS registry behind a certificate from a CA that nothing trusts: a registry whose CA the kaniko image lacks,
// so a push fails with Go's x509 error (the executor image trusts the sandbox CA itself, see kaniko-image.ts).
import type { AddressInfo, Socket } from 'node:net';
import { connect, createServer } from 'node:tls';
import type { ServingCertificate } from './certificates.ts';

export interface UntrustedProxy {
  host: string;
  stop(): Promise<void>;
}

export async function startUntrustedProxy(certificate: ServingCertificate & { certPem: string; keyPem: string }, upstream: { host: string; caPem: string }): Promise<UntrustedProxy> {
  const [upstreamHost, upstreamPort] = upstream.host.split(':');
  const sockets = new Set<Socket>();
  const server = createServer({ cert: certificate.certPem, key: certificate.keyPem }, (client) => {
    const backend = connect({ host: upstreamHost, port: Number(upstreamPort), ca: upstream.caPem });
    for (const socket of [client, backend]) {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      socket.once('error', () => (socket === client ? backend : client).destroy());
    }
    client.pipe(backend).pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
