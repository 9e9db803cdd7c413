// Files over 8 GiB: the ustar size field (11 octal digits) cannot hold them, so the header
// must use GNU's base-256 size. Packing a real 9 GiB file takes ~100 s here (gzip of 9 GiB),
// too slow for a unit test, so this checks the header the packager writes for such a file
// with GNU tar itself, on a sparse tar file (header + 9 GiB of holes + end blocks).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import tar from 'tar-stream';
import { tarHeader } from '../../../src/core/context/tar-header.ts';
import type { WalkEntry } from '../../../src/core/context/walk.ts';
import { removeDir, run, tempDir } from './fixtures.ts';

async function headerBlock(entry: WalkEntry): Promise<Buffer> {
  const pack = tar.pack();
  pack.entry(tarHeader(entry, false));
  for await (const chunk of pack) {
    pack.destroy();
    return Buffer.from(chunk as Uint8Array).subarray(0, 512);
  }
  throw new Error('no header emitted');
}

describe('entries over 8 GiB', () => {
  const dirs: string[] = [];
  after(async () => {
    for (const dir of dirs) await removeDir(dir);
  });

  it('get a base-256 size that GNU tar reads back exactly', async () => {
    const size = 9 * 1024 ** 3 + 5;
    const header = await headerBlock({ rel: 'data/huge.bin', abs: '/unused', kind: 'file', mode: 0o640, size, mtime: new Date() });
    assert.equal(header[124], 0x80, 'size field must be base-256 encoded');
    assert.equal(header.readBigUInt64BE(128), BigInt(size));

    const dir = await tempDir();
    dirs.push(dir);
    const archive = join(dir, 'huge.tar');
    await writeFile(archive, header);
    await truncate(archive, 512 + Math.ceil(size / 512) * 512 + 1024);
    const listing = await run('tar', ['-tvf', archive, '--numeric-owner', '--utc']);
    assert.equal(listing.code, 0, listing.stderr);
    assert.equal(listing.stdout.trim(), `-rw-r----- 0/0      ${size} 1970-01-01 00:00 data/huge.bin`);
  });

  it('sizes below 8 GiB keep the plain octal field', async () => {
    const header = await headerBlock({ rel: 'f', abs: '/unused', kind: 'file', mode: 0o644, size: 8 * 1024 ** 3 - 1, mtime: new Date() });
    assert.equal(header.subarray(124, 136).toString('latin1'), '77777777777 ');
  });
});
