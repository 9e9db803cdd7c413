// Cancellation at several points: the promise rejects with an AbortError, `out` is destroyed,
// and no file descriptor stays open.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { packContext } from '../../../src/core/context/index.ts';
import type { PackOptions } from '../../../src/core/context/index.ts';
import { buildTree, openFds, removeDir, tempDir } from './fixtures.ts';
import type { TreeSpec } from './fixtures.ts';

describe('cancelling packContext', () => {
  let root: string;
  before(async () => {
    root = await tempDir();
    const spec: TreeSpec = { 'Dockerfile': 'FROM scratch\n', 'big/one.bin': { content: Buffer.alloc(16 * 1024 * 1024, 'z') } };
    for (let i = 0; i < 300; i++) spec[`many/f${String(i).padStart(3, '0')}.txt`] = `file ${i}\n`.repeat(50);
    await buildTree(root, spec);
  });
  after(() => removeDir(root));

  /** Packs with `abortWhen` deciding, from progress or output, when to abort. */
  async function packAndAbort(abortWhen: (controller: AbortController) => { options?: PackOptions; onWrite?: () => void }): Promise<{ error: unknown; out: Writable }> {
    const controller = new AbortController();
    const hooks = abortWhen(controller);
    const out = new Writable({ write(_chunk, _encoding, callback) { hooks.onWrite?.(); setImmediate(callback); } });
    const error = await packContext({ contextDir: root, dockerfile: join(root, 'Dockerfile') }, out, { ...hooks.options, signal: controller.signal })
      .then(() => assert.fail('packing should have been cancelled'), (e: unknown) => e);
    return { error, out };
  }

  const points: Array<[string, (c: AbortController) => { options?: PackOptions; onWrite?: () => void }]> = [
    ['before it starts', (c) => { c.abort(); return {}; }],
    ['while checking the context', (c) => { queueMicrotask(() => c.abort()); return {}; }],
    ['while walking many small files', (c) => ({ options: { onProgress: ({ files }) => { if (files === 120) c.abort(); } } })],
    ['in the middle of a large file', (c) => {
      let writes = 0;
      return { options: { compressionLevel: 1 }, onWrite: () => { if (++writes === 3) c.abort(); } };
    }],
    ['from a warning-free directory read', (c) => ({ options: { onDirectoryRead: (dir) => { if (dir === 'many') c.abort(); } } })],
  ];

  for (const [name, abortWhen] of points) {
    it(`rejects with AbortError ${name}, destroys out, leaks no fd`, async () => {
      const before = await openFds();
      const { error, out } = await packAndAbort(abortWhen);
      assert.equal((error as Error).name, 'AbortError', String(error));
      assert.ok(out.destroyed, 'out must be destroyed');
      assert.equal(out.writableFinished, false);
      // Let the destroyed streams settle, then count.
      await new Promise((resolve) => setImmediate(resolve));
      assert.ok(await openFds() <= before, "a file descriptor was left open");
    });
  }

  it('an abort after the end changes nothing', async () => {
    const controller = new AbortController();
    const out = new Writable({ write(_chunk, _encoding, callback) { callback(); } });
    const manifest = await packContext({ contextDir: root, dockerfile: join(root, 'Dockerfile') }, out, { signal: controller.signal });
    controller.abort();
    assert.equal(manifest.files, 302);
    assert.ok(out.writableFinished);
  });

  it('a failing output rejects with its error and leaks no fd', async () => {
    const before = await openFds();
    const out = new Writable({ write(_chunk, _encoding, callback) { callback(new Error('disk full')); } });
    out.on('error', () => undefined);
    const error = await packContext({ contextDir: root, dockerfile: join(root, 'Dockerfile') }, out).then(() => assert.fail('should fail'), (e: unknown) => e);
    assert.equal((error as Error).message, 'disk full');
    await new Promise((resolve) => setImmediate(resolve));
    assert.ok(await openFds() <= before, "a file descriptor was left open");
  });
});
