// The exec WebSocket's masking key as it crosses the wire: all zeros over TLS (ws then skips the byte-by-byte
// masking), random over plain HTTP, where a proxy on the path could read the frames. Servers on 127.0.0.1
// answer the upgrade by hand so the test sees the client's raw frame.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '../../../src/core/kube/kubeconfig.ts';
import { openExec } from '../../../src/core/kube/exec.ts';
import { makeServingCertificate } from '../../sandbox/registry/certificates.ts';
import { localKubeconfig } from './local-kubeconfig.ts';

const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

interface Frame {
  readonly key: Buffer;
  readonly payload: Buffer;
}

/** Accepts the upgrade and resolves with the client's first frame, unmasked with its own key. */
function firstFrame(server: Server): Promise<Frame> {
  return new Promise((resolve) => {
    server.once('upgrade', (req: IncomingMessage, socket: Duplex) => {
      const accept = createHash('sha1').update(`${String(req.headers['sec-websocket-key'])}${WEBSOCKET_GUID}`).digest('base64');
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\nSec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n`);
      let received = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        received = Buffer.concat([received, chunk]);
        // Small frames only: 2 header bytes (mask bit and a 7-bit length), the 4-byte key, the payload.
        const length = (received[1] ?? 0) & 0x7f;
        if (received.length < 6 + length) return;
        const key = received.subarray(2, 6);
        const payload = Buffer.from(received.subarray(6, 6 + length).map((byte, i) => byte ^ (key[i % 4] ?? 0)));
        assert.equal((received[1] ?? 0) & 0x80, 0x80, 'a client frame must have the mask bit set');
        resolve({ key: Buffer.from(key), payload });
        socket.destroy();
      });
    });
  });
}

let dir: string;
let plain: Server;
let secure: Server;

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

async function sendHello(server: Server, scheme: 'http' | 'https'): Promise<Frame> {
  const port = await listen(server);
  const config = join(dir, `${scheme}.kubeconfig`);
  writeFileSync(config, localKubeconfig(port, '{token: t}').replace('server: http:', `server: ${scheme}:`));
  const frame = firstFrame(server);
  const session = await openExec(connect({ kubeconfig: config }), 'ns', 'pod', 'c', ['cat'], { stdin: true });
  await session.writeFrame(Buffer.from('\x00hello'));
  const seen = await frame;
  session.terminate();
  return seen;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'exec-mask-'));
  const certificate = await makeServingCertificate(dir);
  plain = createHttpServer();
  secure = createHttpsServer({ cert: readFileSync(certificate.certFile), key: readFileSync(certificate.keyFile) });
});
after(() => {
  plain.close();
  secure.close();
  rmSync(dir, { recursive: true, force: true });
});

test('over TLS the stdin frame carries the all-zero key', async () => {
  const frame = await sendHello(secure, 'https');
  assert.deepEqual([...frame.key], [0, 0, 0, 0]);
  assert.deepEqual(frame.payload, Buffer.from('\x00hello'));
});

test('over plain HTTP the stdin frame is masked with a random key', async () => {
  const frame = await sendHello(plain, 'http');
  assert.notDeepEqual([...frame.key], [0, 0, 0, 0]);
  assert.deepEqual(frame.payload, Buffer.from('\x00hello'));
});
