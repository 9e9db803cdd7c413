// followLog against a real local HTTP server that answers like the API server: 204, 400 while the
// container waits, then a stream cut in the middle, resumed with sinceTime without duplicates.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '../../../src/core/kube/kubeconfig.ts';
import { followLog, splitTimestamp } from '../../../src/core/kube/logs.ts';
import { localKubeconfig } from './local-kubeconfig.ts';

const LINES = [
  '2026-11-26T17:00:00.100000000Z a',
  '2026-11-26T17:00:00.200000000Z b',
  '2026-11-26T17:00:01.100000000Z c',
  '2026-11-26T17:00:01.500000000Z d',
  '2026-11-26T17:00:02.000000000Z e',
];

let server: Server;
let dir: string;
let kubeconfig: string;
const requests: string[] = [];

before(async () => {
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    assert.equal(req.headers.authorization, 'Bearer test-token');
    const n = requests.length;
    if (n === 1) return void res.writeHead(204).end();
    if (n === 2) {
      res.writeHead(400, { 'Content-Type': 'application/json' });
      return void res.end(JSON.stringify({ kind: 'Status', status: 'Failure', reason: 'BadRequest', code: 400, message: 'container "kaniko" in pod "p" is waiting to start: PodInitializing' }));
    }
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    if (n === 3 || n === 4) {
      // Three lines and half of a fourth, then the connection drops (first) or the stream ends early (second).
      res.write(`${LINES.slice(0, 3).join('\n')}\n2026-11-26T17:00:01.5`);
      setTimeout(() => (n === 3 ? res.socket?.destroy() : res.end()), 20);
      return;
    }
    const since = new URL(req.url ?? '', 'http://x').searchParams.get('sinceTime') ?? '';
    res.end(`${LINES.filter((l) => l.slice(0, 19) >= since.slice(0, 19)).join('\n')}\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  dir = mkdtempSync(join(tmpdir(), 'logs-'));
  kubeconfig = join(dir, 'config');
  writeFileSync(kubeconfig, localKubeconfig(port, '{token: test-token}', 'ns'));
});
after(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

test('timestamps are split off the kubelet prefix', () => {
  assert.deepEqual(splitTimestamp('2026-11-26T17:00:00.1Z hello world'), { timestamp: '2026-11-26T17:00:00.1Z', text: 'hello world' });
  assert.deepEqual(splitTimestamp('no timestamp'), { text: 'no timestamp' });
});

test('waits out 204 and 400, resumes a cut stream with sinceTime, no line twice or lost', async () => {
  const lines: string[] = [];
  let checks = 0;
  await followLog(connect({ kubeconfig }), 'ns', 'p', 'kaniko', {
    signal: new AbortController().signal,
    retryMs: 10,
    onLine: (line) => lines.push(line),
    isFinished: async () => ++checks > 3,
  });
  assert.deepEqual(lines, ['a', 'b', 'c', 'd', 'e']);
  assert.match(requests[0], /\/api\/v1\/namespaces\/ns\/pods\/p\/log\?container=kaniko&follow=true&timestamps=true$/);
  assert.match(requests[3], /sinceTime=2026-11-26T17%3A00%3A01Z/);
  // A cut (reset) and a clean early end were both resumed; the last read, sent once the container had ended
  // and bringing nothing new, tells a complete log from a cut one.
  assert.equal(requests.length, 6);
});
