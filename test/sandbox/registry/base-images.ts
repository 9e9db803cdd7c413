// Base images made here and pushed to a sandbox registry, so that Dockerfiles say `FROM <registry>/library/busybox:1.36`
// and the real kaniko pulls them as it would from any registry: one layer of Debian's busybox-static with its
// applets in /bin, and a variant whose config runs as a non-root USER.
import { execFile } from 'node:child_process';
import type { IncomingMessage } from 'node:http';
import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { registryRequest, type RegistryEndpoint } from './http.ts';

const run = promisify(execFile);

/** Repository and tag of each base image, as Dockerfiles name them after the registry's host. */
export const baseImages = {
  busybox: 'library/busybox:1.36',
  /** busybox with `USER nobody` in its config (uid 65534). */
  nonroot: 'library/busybox-nonroot:1.36',
} as const;

const path = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const created = '2026-01-01T00:00:00Z';
const etc = {
  passwd: 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n',
  group: 'root:x:0:\nnobody:x:65534:\n',
};

const sha256 = (data: Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

/** The busybox layer as an uncompressed tar: same bytes every time (sorted, zero times and owners). */
async function busyboxLayer(): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'base-image-'));
  try {
    // mkdtemp's 0700 would become the image's "/": no other user could reach /bin.
    await chmod(dir, 0o755);
    for (const sub of ['bin', 'etc', 'root', 'tmp', 'home']) await mkdir(join(dir, sub), { mode: 0o755 });
    await chmod(join(dir, 'tmp'), 0o1777);
    await run('cp', ['/usr/bin/busybox', join(dir, 'bin', 'busybox')]);
    const { stdout } = await run('/usr/bin/busybox', ['--list']);
    for (const applet of stdout.split('\n').filter((name) => name && name !== 'busybox')) await symlink('busybox', join(dir, 'bin', applet));
    for (const [name, content] of Object.entries(etc)) await writeFile(join(dir, 'etc', name), content);
    const { stdout: tar } = await run('tar', ['--sort=name', '--mtime=@0', '--owner=0', '--group=0', '--numeric-owner', '-cf', '-', '-C', dir, '.'], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
    return tar;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function expectStatus(response: Promise<IncomingMessage>, wanted: number, what: string): Promise<IncomingMessage> {
  const answer = await response;
  answer.resume();
  if (answer.statusCode !== wanted) throw new Error(`${what}: registry answered ${answer.statusCode}`);
  return answer;
}

/** Monolithic blob upload (distribution's POST then PUT ?digest=). */
async function pushBlob(registry: RegistryEndpoint, repository: string, blob: Buffer): Promise<string> {
  const digest = sha256(blob);
  const started = await expectStatus(registryRequest(registry, 'POST', `/v2/${repository}/blobs/uploads/`), 202, `upload to ${repository}`);
  const location = new URL(String(started.headers.location), `http://${registry.host}`);
  location.searchParams.set('digest', digest);
  await expectStatus(registryRequest(registry, 'PUT', location.pathname + location.search, { 'content-type': 'application/octet-stream' }, undefined, blob), 201, `blob ${digest}`);
  return digest;
}

async function pushImage(registry: RegistryEndpoint, reference: string, layerTar: Buffer, user: string | undefined): Promise<void> {
  const [repository, tag] = reference.split(':');
  const layer = gzipSync(layerTar);
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      created,
      config: { Env: [`PATH=${path}`], Cmd: ['sh'], ...(user ? { User: user } : {}) },
      rootfs: { type: 'layers', diff_ids: [sha256(layerTar)] },
      history: [{ created, created_by: 'kaniko-build sandbox: Debian busybox-static', author: 'kaniko-build sandbox' }],
    }),
  );
  const layerDigest = await pushBlob(registry, repository, layer);
  const configDigest = await pushBlob(registry, repository, config);
  const mediaType = 'application/vnd.oci.image.manifest.v1+json';
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: layerDigest, size: layer.length }],
    }),
  );
  await expectStatus(registryRequest(registry, 'PUT', `/v2/${repository}/manifests/${tag}`, { 'content-type': mediaType }, undefined, manifest), 201, `manifest ${reference}`);
}

/** Pushes every base image to the registry (which must accept anonymous pushes). */
export async function pushBaseImages(registry: RegistryEndpoint): Promise<void> {
  const layer = await busyboxLayer();
  await pushImage(registry, baseImages.busybox, layer, undefined);
  await pushImage(registry, baseImages.nonroot, layer, 'nobody');
}
