// The packer reads file content into a few reused slabs (buffer-pool.ts) and reuses each once the consumer
// is done with it: checked on real files, the archive read back by GNU tar, for a consumer that copies
// every chunk (as the exec's stdin does) and for one that keeps the chunks it got.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { packContext } from '../../../src/core/context/index.ts';
import { buildTree, packToBuffer, readTree, removeDir, run, tempDir } from './fixtures.ts';
import type { TreeSpec } from './fixtures.ts';

const SMALL_FILES = 300;
const LARGE_FILES = 4;

/** Bytes that differ from file to file and along each file, so a reused piece read too early shows. */
function content(seed: number, size: number): Buffer {
  const bytes = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) bytes[i] = (seed * 31 + i * 7 + (i >> 9)) & 0xff;
  return bytes;
}

function spec(): TreeSpec {
  const tree: TreeSpec = { 'Dockerfile': 'FROM scratch\nCOPY . /app\n', 'empty.txt': '' };
  for (let i = 0; i < SMALL_FILES; i++) tree[`small/${i % 7}/f${i}.bin`] = { content: content(i, 8_000 + ((i * 4099) % 40_000)) };
  for (let i = 0; i < LARGE_FILES; i++) tree[`large/l${i}.bin`] = { content: content(1000 + i, 1_500_000 + i * 333) };
  return tree;
}

/**
 * Copies each chunk as the exec's stdin does, but as late as it may: a turn later (a socket's wait), just
 * before the write's callback; a piece reused any earlier shows as wrong bytes. Notes which ArrayBuffer
 * each chunk lay in.
 */
function copyingSink(): { sink: Writable; archive(): Buffer; contentBuffers: Set<ArrayBufferLike> } {
  const copies: Buffer[] = [];
  const contentBuffers = new Set<ArrayBufferLike>();
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      // Headers and padding are at most 512 bytes; file content here is larger.
      if (chunk.length > 512) contentBuffers.add(chunk.buffer);
      nextTurn().then(() => {
        copies.push(Buffer.from(chunk));
        callback();
      }, callback);
    },
  });
  return { sink, archive: () => Buffer.concat(copies), contentBuffers };
}

async function untar(archive: Buffer): Promise<string> {
  const dir = await tempDir('ctx-out-');
  const result = await run('tar', ['-xf', '-', '-C', dir], archive);
  assert.equal(result.code, 0, result.stderr);
  return dir;
}

describe('pooled file content', () => {
  let root: string;
  const cleanup: string[] = [];

  before(async () => {
    root = await tempDir();
    cleanup.push(root);
    await buildTree(root, spec());
  });

  after(async () => {
    for (const dir of cleanup) await removeDir(dir);
  });

  it('reaches a copying consumer in a handful of reused buffers, not one per file or chunk, and GNU tar reads it back exactly', async () => {
    const { sink, archive, contentBuffers } = copyingSink();
    const manifest = await packContext({ contextDir: root, dockerfile: join(root, 'Dockerfile') }, sink, { compressionLevel: 0, outCopiesChunks: true });
    assert.equal(manifest.files, SMALL_FILES + LARGE_FILES + 2);
    // Without the pool every small file and every 256 KiB chunk of a large one came in a Buffer of its own.
    assert.ok(contentBuffers.size < 10, `file content arrived in ${contentBuffers.size} distinct buffers`);
    const out = await untar(archive());
    cleanup.push(out);
    assert.deepEqual(await readTree(out), await readTree(root));
  });

  it('reaches a consumer that keeps its chunks as copies, so the reused slabs do not change what it kept', async () => {
    const { archive } = await packToBuffer({ contextDir: root, dockerfile: join(root, 'Dockerfile') }, { compressionLevel: 0 });
    const out = await untar(archive);
    cleanup.push(out);
    assert.deepEqual(await readTree(out), await readTree(root));
  });

  it('is gzip\'d from the reused slabs exactly (the coalescer copies before the slab is reused)', async () => {
    const { archive } = await packToBuffer({ contextDir: root, dockerfile: join(root, 'Dockerfile') }, { compressionLevel: 1 });
    const dir = await tempDir('ctx-out-');
    cleanup.push(dir);
    const result = await run('tar', ['-xzf', '-', '-C', dir], archive);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(await readTree(dir), await readTree(root));
  });
});
