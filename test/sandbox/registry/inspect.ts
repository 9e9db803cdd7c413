// Checks an image in a registry: manifest present, every blob's sha256 right, and the files its layers leave behind.
import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import type { Readable, Writable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import { registryGet, type RegistryAuth, type RegistryEndpoint } from './http.ts';

const manifestTypes = ['application/vnd.oci.image.manifest.v1+json', 'application/vnd.docker.distribution.manifest.v2+json'];

export interface ImageFile {
  type: 'file' | 'directory' | 'symlink' | 'link' | 'other';
  mode: number;
  size: number;
  /** sha256 hex of the content, for regular files. */
  sha256?: string;
  linkname?: string;
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
}

export interface InspectedImage {
  digest: string;
  manifest: { mediaType?: string; config: Descriptor; layers: Descriptor[]; [key: string]: unknown };
  config: { config?: { Env?: string[]; Cmd?: string[]; Entrypoint?: string[]; Labels?: Record<string, string>; WorkingDir?: string }; rootfs?: { diff_ids: string[] }; [key: string]: unknown };
  /** The filesystem after applying every layer in order (whiteouts honoured); paths without a leading slash. */
  files: Map<string, ImageFile>;
}

export async function inspectImage(registry: RegistryEndpoint, repository: string, reference: string, auth?: RegistryAuth): Promise<InspectedImage> {
  const manifestBody = await fetchBuffer(registry, `/v2/${repository}/manifests/${reference}`, { accept: manifestTypes.join(', ') }, auth);
  const digest = `sha256:${createHash('sha256').update(manifestBody).digest('hex')}`;
  if (reference.startsWith('sha256:') && reference !== digest) throw new Error(`manifest ${reference} has digest ${digest}`);
  const manifest = JSON.parse(manifestBody.toString('utf8')) as InspectedImage['manifest'];
  if (!manifest.config || !Array.isArray(manifest.layers)) throw new Error(`${repository}:${reference} is not a single-image manifest (${manifest.mediaType})`);
  const configBody = await fetchBuffer(registry, `/v2/${repository}/blobs/${manifest.config.digest}`, {}, auth);
  checkDigest(manifest.config.digest, `sha256:${createHash('sha256').update(configBody).digest('hex')}`);
  const config = JSON.parse(configBody.toString('utf8')) as InspectedImage['config'];
  const files = new Map<string, ImageFile>();
  for (const [index, layer] of manifest.layers.entries()) {
    const diffId = await applyLayer(registry, repository, layer, files, auth);
    const expected = config.rootfs?.diff_ids?.[index];
    if (expected && expected !== diffId) throw new Error(`layer ${layer.digest}: diff_id ${diffId} but the config says ${expected}`);
  }
  return { digest, manifest, config, files };
}

async function fetchBody(registry: RegistryEndpoint, path: string, headers: Record<string, string>, auth?: RegistryAuth): Promise<Readable> {
  const response = await registryGet(registry, path, headers, auth);
  if (response.statusCode !== 200) {
    const chunks: Buffer[] = [];
    for await (const chunk of response) chunks.push(chunk as Buffer);
    throw new Error(`GET ${path}: ${response.statusCode} ${Buffer.concat(chunks).toString('utf8').trim()}`);
  }
  return response;
}

async function fetchBuffer(registry: RegistryEndpoint, path: string, headers: Record<string, string>, auth?: RegistryAuth): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await fetchBody(registry, path, headers, auth)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function checkDigest(expected: string, actual: string): void {
  if (expected !== actual) throw new Error(`blob ${expected} has content digest ${actual}`);
}

/** Streams one gzip layer: checks its digest, returns its diff_id, and applies its entries to files. */
async function applyLayer(registry: RegistryEndpoint, repository: string, layer: Descriptor, files: Map<string, ImageFile>, auth?: RegistryAuth): Promise<string> {
  const body = await fetchBody(registry, `/v2/${repository}/blobs/${layer.digest}`, {}, auth);
  const compressedHash = createHash('sha256');
  const uncompressedHash = createHash('sha256');
  body.on('data', (chunk: Buffer) => compressedHash.update(chunk));
  const gunzip = createGunzip();
  gunzip.on('data', (chunk: Buffer) => uncompressedHash.update(chunk));
  const tar = extract();
  tar.on('entry', (header, stream, next) => {
    const contentHash = createHash('sha256');
    stream.on('data', (chunk: unknown) => void contentHash.update(chunk as Buffer));
    stream.on('end', () => {
      applyEntry(files, header, contentHash.digest('hex'));
      next();
    });
    stream.resume();
  });
  const done = new Promise<void>((resolve, reject) => {
    tar.on('finish', resolve);
    tar.on('error', reject);
  });
  await Promise.all([pipeline(body, gunzip, tar as unknown as Writable), done]);
  checkDigest(layer.digest, `sha256:${compressedHash.digest('hex')}`);
  return `sha256:${uncompressedHash.digest('hex')}`;
}

function applyEntry(files: Map<string, ImageFile>, header: { name: string; type?: string | null; mode?: number; size?: number; linkname?: string | null }, sha256: string): void {
  const path = header.name.replace(/^(\.\/|\/)+/, '').replace(/\/+$/, '');
  if (path === '' || path === '.') return;
  const slash = path.lastIndexOf('/');
  const dir = slash < 0 ? '' : path.slice(0, slash);
  const base = path.slice(slash + 1);
  if (base === '.wh..wh..opq') {
    for (const key of [...files.keys()]) if (key.startsWith(dir + '/')) files.delete(key);
    return;
  }
  if (base.startsWith('.wh.')) {
    const removed = (dir ? dir + '/' : '') + base.slice(4);
    for (const key of [...files.keys()]) if (key === removed || key.startsWith(removed + '/')) files.delete(key);
    return;
  }
  const type = header.type === 'file' || header.type === 'contiguous-file' ? 'file' : header.type === 'directory' ? 'directory' : header.type === 'symlink' ? 'symlink' : header.type === 'link' ? 'link' : 'other';
  const entry: ImageFile = { type, mode: (header.mode ?? 0) & 0o7777, size: header.size ?? 0 };
  if (type === 'file') entry.sha256 = sha256;
  if (header.linkname) entry.linkname = header.linkname;
  files.set(path, entry);
}
