// The sandbox registries are real docker-registry processes; inspectImage checks what lands in them.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { registryGet } from '../registry/http.ts';
import { startRegistries, type Registries } from '../registry/index.ts';
import { inspectImage } from '../registry/inspect.ts';

const run = promisify(execFile);
let dir: string;
let registries: Registries;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sandbox-registry-test-'));
  registries = await startRegistries(join(dir, 'registries'));
});

after(async () => {
  await registries?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Builds FROM scratch + COPY with buildah and pushes it; returns the content of the copied file. */
async function buildAndPush(image: string, pushArgs: string[]): Promise<string> {
  const context = await mkdtemp(join(dir, 'context-'));
  const content = `hello ${image}\n`;
  await mkdir(join(context, 'sub'));
  await writeFile(join(context, 'sub', 'hello.txt'), content);
  await writeFile(join(context, 'Dockerfile'), 'FROM scratch\nCOPY sub/ /app/\n');
  const storage = ['--root', join(dir, 'buildah-root'), '--runroot', join(dir, 'buildah-runroot'), '--storage-driver', 'vfs'];
  await run('buildah', [...storage, 'bud', '--isolation', 'chroot', '-q', '-t', image, context]);
  await run('buildah', [...storage, 'push', ...pushArgs, image]);
  return content;
}

test('an image pushed to the plain registry is inspected file by file', async () => {
  const content = await buildAndPush(`${registries.plain.host}/demo/plain:v1`, ['--tls-verify=false']);
  const image = await inspectImage(registries.plain, 'demo/plain', 'v1');
  assert.match(image.digest, /^sha256:[0-9a-f]{64}$/);
  const file = image.files.get('app/hello.txt');
  assert.equal(file?.type, 'file');
  assert.equal(file?.sha256, createHash('sha256').update(content).digest('hex'));
  assert.equal((await inspectImage(registries.plain, 'demo/plain', image.digest)).digest, image.digest);
});

test('the TLS registry wants its credentials and serves with them', async () => {
  const authfile = join(dir, 'auth.json');
  const auth = Buffer.from(`${registries.tls.user}:${registries.tls.password}`).toString('base64');
  await writeFile(authfile, JSON.stringify({ auths: { [registries.tls.host]: { auth } } }));
  const certDir = join(dir, 'certs');
  await mkdir(certDir, { recursive: true });
  await writeFile(join(certDir, 'ca.crt'), registries.tls.caPem);
  await buildAndPush(`${registries.tls.host}/demo/secure:v1`, ['--authfile', authfile, '--cert-dir', certDir]);
  const response = await registryGet(registries.tls, '/v2/demo/secure/manifests/v1');
  response.resume();
  assert.equal(response.statusCode, 401);
  await assert.rejects(inspectImage(registries.tls, 'demo/secure', 'v1'), /401 .*UNAUTHORIZED/);
  const image = await inspectImage(registries.tls, 'demo/secure', 'v1', registries.tls);
  assert.ok(image.files.has('app/hello.txt'));
  await registries.rejectCredentials(true);
  await assert.rejects(inspectImage(registries.tls, 'demo/secure', 'v1', registries.tls), /401/);
  await registries.rejectCredentials(false);
  assert.equal((await inspectImage(registries.tls, 'demo/secure', 'v1', registries.tls)).digest, image.digest);
});

function blobFile(digest: string): string {
  const hex = digest.slice('sha256:'.length);
  return join(registries.plain.storageDir, 'docker/registry/v2/blobs/sha256', hex.slice(0, 2), hex, 'data');
}

test('a corrupted blob is detected', async () => {
  await buildAndPush(`${registries.plain.host}/demo/corrupt:v1`, ['--tls-verify=false']);
  const image = await inspectImage(registries.plain, 'demo/corrupt', 'v1');
  // Same length, valid JSON, other bytes: only the digest check can notice.
  const config = await readFile(blobFile(image.manifest.config.digest), 'utf8');
  assert.match(config, /"amd64"/);
  await writeFile(blobFile(image.manifest.config.digest), config.replace('"amd64"', '"arm64"'));
  await assert.rejects(inspectImage(registries.plain, 'demo/corrupt', 'v1'), /blob sha256:[0-9a-f]+ has content digest sha256:/);
  await writeFile(blobFile(image.manifest.config.digest), config);
  const layer = await readFile(blobFile(image.manifest.layers[0].digest));
  layer[layer.length - 1] ^= 0xff; // the gzip trailer's length field
  await writeFile(blobFile(image.manifest.layers[0].digest), layer);
  await assert.rejects(inspectImage(registries.plain, 'demo/corrupt', 'v1'), /length check|has content digest/);
});

test('stop() ends both registries and removes their folder', async () => {
  const own = await startRegistries(join(dir, 'stopping'));
  const hosts = [own.plain.host, own.tls.host];
  await own.stop();
  for (const host of hosts) await assert.rejects(registryGet({ host }, '/v2/'), /ECONNREFUSED/);
  assert.equal(existsSync(join(dir, 'stopping')), false);
});
