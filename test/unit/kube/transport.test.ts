// The transport against a real local server: exec-plugin credentials, bounded retries of 5xx,
// Status bodies mapped to KubeError, and a server that is not a Kubernetes API.
import { getEventListeners } from 'node:events';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '../../../src/core/kube/kubeconfig.ts';
import { KubeError } from '../../../src/core/kube/errors.ts';
import { kubeJson, kubeRequest } from '../../../src/core/kube/transport.ts';
import { KubeGateway } from '../../../src/core/kube/gateway.ts';
import { localKubeconfig } from './local-kubeconfig.ts';

let server: Server;
let dir: string;
let port: number;
const seen: Array<{ url: string; auth?: string }> = [];
let failures = 0;
let secretCreates = 0;

before(async () => {
  server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', auth: req.headers.authorization });
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/flaky') {
      if (failures-- > 0) return json(503, { kind: 'Status', status: 'Failure', reason: 'ServiceUnavailable', message: 'etcd is busy', code: 503 });
      return json(200, { ok: true });
    }
    if (req.url === '/api/v1/namespaces/ns/secrets' && req.method === 'POST') {
      // The first create is stored but answered 503 (an etcd timeout after the write); the retry meets the secret.
      secretCreates += 1;
      if (secretCreates === 1) return json(503, { kind: 'Status', status: 'Failure', reason: 'ServiceUnavailable', message: 'etcd timeout', code: 503 });
      return json(409, { kind: 'Status', status: 'Failure', reason: 'AlreadyExists', message: 'secrets "s1" already exists', code: 409 });
    }
    if (req.url === '/api/v1/namespaces/ns/secrets/s1') return json(200, { kind: 'Secret', metadata: { name: 's1' } });
    if (req.url === '/html') {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      return void res.end('<html>login page</html>');
    }
    if (req.url?.split('?')[0] === '/api/v1/namespaces/ns/pods/x') return json(404, { kind: 'Status', status: 'Failure', reason: 'NotFound', message: 'pods "x" not found', code: 404 });
    if (req.url === '/unauthorized') return void res.writeHead(401).end();
    if (req.url === '/apis') return json(200, { groups: [{ name: 'apps' }, { name: 'security.openshift.io' }] });
    json(200, { gitVersion: 'v1.32.0' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
  dir = mkdtempSync(join(tmpdir(), 'transport-'));
  const plugin = join(dir, 'credential-plugin.sh');
  writeFileSync(plugin, '#!/bin/sh\necho \'{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"from-plugin"}}\'\n');
  chmodSync(plugin, 0o755);
  writeFileSync(join(dir, 'config'), localKubeconfig(port, `
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: ${plugin}
      interactiveMode: Never`));
});
after(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

test('exec-plugin credentials become the bearer token', async () => {
  const connection = connect({ kubeconfig: join(dir, 'config') });
  assert.equal(connection.namespace, 'default');
  assert.deepEqual(await kubeJson(connection, '/version'), { gitVersion: 'v1.32.0' });
  assert.equal(seen.at(-1)?.auth, 'Bearer from-plugin');
});

test('a token file is read for every request, so a rotated token (a projected service-account token) is used at once', async () => {
  writeFileSync(join(dir, 'rotating.kubeconfig'), localKubeconfig(port, '{tokenFile: tokens/current}'));
  mkdirSync(join(dir, 'tokens'), { recursive: true });
  writeFileSync(join(dir, 'tokens', 'current'), 'first-token\n');
  const connection = connect({ kubeconfig: join(dir, 'rotating.kubeconfig') });
  await kubeJson(connection, '/version');
  assert.equal(seen.at(-1)?.auth, 'Bearer first-token');
  writeFileSync(join(dir, 'tokens', 'current'), 'second-token\n');
  await kubeJson(connection, '/version');
  assert.equal(seen.at(-1)?.auth, 'Bearer second-token');
});

test('5xx is retried with backoff, then succeeds; too many give a clear error', async () => {
  const connection = connect({ kubeconfig: join(dir, 'config') });
  failures = 2;
  assert.deepEqual(await kubeJson(connection, '/flaky'), { ok: true });
  failures = 99;
  await assert.rejects(kubeJson(connection, '/flaky'), (e: unknown) => e instanceof KubeError && e.status === 503 && /etcd is busy \(gave up after 5 attempts\)/.test(e.message));
  failures = 0;
});

test('Status bodies, 401 without a body, and a server that is not Kubernetes', async () => {
  const connection = connect({ kubeconfig: join(dir, 'config') });
  const gateway = new KubeGateway(connection);
  await assert.rejects(gateway.getPod('ns', 'x'), (e: unknown) => e instanceof KubeError && e.status === 404 && e.reason === 'NotFound' && e.message === 'pods "x" not found');
  await gateway.deletePod('ns', 'x'); // a pod already gone counts as deleted
  assert.equal(seen.at(-1)?.url, '/api/v1/namespaces/ns/pods/x?gracePeriodSeconds=0');
  await assert.rejects(kubeJson(connection, '/unauthorized'), (e: unknown) => e instanceof KubeError && e.status === 401 && /exec credential plugin credential-plugin\.sh of the user "u"/.test(e.message) && /Run the plugin yourself \(credential-plugin.sh with the args/.test(e.fix ?? ""));
  await assert.rejects(kubeJson(connection, '/html'), (e: unknown) => e instanceof KubeError && e.reason === 'NotKubernetes');
  assert.equal(await gateway.isOpenShift(), true);
});

test('a quiet stream stays open past the request timeout (watches and logs may be silent for long)', async () => {
  const quiet = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.write('{"type":"ADDED"}\n');
    setTimeout(() => res.end('{"type":"DELETED"}\n'), 400);
  });
  await new Promise<void>((resolve) => quiet.listen(0, '127.0.0.1', resolve));
  const quietPort = (quiet.address() as { port: number }).port;
  const file = join(dir, 'quiet');
  writeFileSync(file, `apiVersion: v1\nkind: Config\ncurrent-context: q\nclusters:\n- name: c\n  cluster: {server: 'http://127.0.0.1:${quietPort}', insecure-skip-tls-verify: true}\ncontexts:\n- name: q\n  context: {cluster: c, user: u}\nusers:\n- name: u\n  user: {token: t}\n`);
  try {
    const response = await kubeRequest(connect({ kubeconfig: file }), '/watch', { timeoutMs: 100 });
    let body = '';
    for await (const chunk of response) body += String(chunk);
    assert.equal(body, '{"type":"ADDED"}\n{"type":"DELETED"}\n');
  } finally {
    quiet.close();
  }
});

test('retries leave no abort listener behind on the build\'s signal (one per retry piled up before)', async () => {
  const connection = connect({ kubeconfig: join(dir, 'config') });
  const controller = new AbortController();
  failures = 3;
  await kubeJson(connection, '/flaky', { signal: controller.signal });
  assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
});

test('a secret create retried after an ambiguous 503 and answered 409 is the secret the first try created', async () => {
  const gateway = new KubeGateway(connect({ kubeconfig: join(dir, 'config') }));
  const secret = await gateway.createSecret('ns', { metadata: { name: 's1' }, type: 'Opaque' });
  assert.equal(secret.metadata.name, 's1');
  assert.equal(secretCreates, 2, 'sent twice: once stored, once refused as existing');
});
