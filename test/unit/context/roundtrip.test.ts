// Round trip through GNU tar: what the packager writes extracts to exactly the tree on disk.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { join } from 'node:path';
import { utimes } from 'node:fs/promises';
import { buildTree, extractWithTar, listWithTar, packToBuffer, readTree, removeDir, run, tempDir } from './fixtures.ts';
import type { TreeSpec } from './fixtures.ts';

const longName = `${'deep/'.repeat(30)}${'n'.repeat(120)}.txt`;
const spec: TreeSpec = {
  'Dockerfile': 'FROM scratch\nCOPY . /app\n',
  'README.md': 'hello\n',
  'bin/run.sh': { content: '#!/bin/sh\necho hi\n', mode: 0o755 },
  'bin/private.key': { content: 'not a secret\n', mode: 0o600 },
  'src/app.js': 'console.log(1)\n',
  'src/empty/': { dir: true, mode: 0o750 },
  'src/link-to-app': { link: 'app.js' },
  'src/absolute-link': { link: '/etc/hostname' },
  'src/dangling': { link: 'nowhere/at/all' },
  'ünïcödé/文件.txt': 'non-ASCII names\n',
  'spaces in name/a b.txt': 'spaces\n',
  'weird/back\\slash': 'backslash in a name\n',
  'weird/c:colon': 'colon\n',
  [longName]: 'a long path (PAX)\n',
  [`links/${'l'.repeat(150)}`]: { link: `../${'t'.repeat(120)}` },
  'binary.bin': { content: Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7919) % 256)) },
  'big.bin': { content: Buffer.alloc(3 * 1024 * 1024 + 17, 'abc') },
};

describe('pack round trip through GNU tar', () => {
  let root: string;
  let socketServer: Server;
  const cleanup: string[] = [];

  before(async () => {
    root = await tempDir();
    cleanup.push(root);
    await buildTree(root, spec);
    // Special files the packager must skip with a warning.
    assert.equal((await run('mkfifo', [join(root, 'src/a-fifo')])).code, 0);
    socketServer = createServer();
    await new Promise<void>((resolve) => socketServer.listen(join(root, 'src/a-socket'), resolve));
  });

  after(async () => {
    await new Promise<void>((resolve) => socketServer.close(() => resolve()));
    for (const dir of cleanup) await removeDir(dir);
  });

  it('extracts to exactly the same paths, contents, modes and link targets', async () => {
    const warnings: string[] = [];
    const { archive, manifest } = await packToBuffer({ contextDir: root, dockerfile: join(root, 'Dockerfile') }, { onWarning: (w) => warnings.push(w) });
    const out = await extractWithTar(archive);
    cleanup.push(out);
    const expected = await readTree(root);
    assert.deepEqual(await readTree(out), expected);
    assert.equal(manifest.dockerfileInArchive, 'Dockerfile');
    assert.equal(manifest.ignoreFile, undefined);
    assert.equal(manifest.files, Object.values(expected).filter((n) => n.kind !== 'directory').length);
    assert.deepEqual(warnings.sort(), [
      'Skipped src/a-fifo: a FIFO cannot be part of a build context.',
      'Skipped src/a-socket: a socket cannot be part of a build context.',
    ]);
  });

  it('stores owner 0:0 without names and the fixed mtime', async () => {
    const { archive } = await packToBuffer({ contextDir: root, dockerfile: join(root, 'Dockerfile') });
    const listing = await run('tar', ['-tvzf', '-', '--numeric-owner', '--full-time'], archive);
    assert.equal(listing.code, 0, listing.stderr);
    const lines = listing.stdout.trim().split('\n');
    assert.ok(lines.length > 20);
    for (const line of lines) {
      assert.match(line, /^\S+ 0\/0 +\d+ 1970-01-01 00:00:00 /, line);
    }
    const verbose = await run('tar', ['-tvzf', '-'], archive);
    assert.doesNotMatch(verbose.stdout, /root/);
  });

  it('lists entries depth first, siblings in byte order, directories with a trailing slash', async () => {
    const { archive } = await packToBuffer({ contextDir: root, dockerfile: join(root, 'Dockerfile') });
    const names = await listWithTar(archive);
    assert.deepEqual(names.slice(0, 6), ['Dockerfile', 'README.md', 'big.bin', 'bin/', 'bin/private.key', 'bin/run.sh']);
    assert.ok(names.includes('src/empty/'));
    assert.ok(names.includes(longName));
    assert.ok(names.indexOf('ünïcödé/') < names.indexOf('ünïcödé/文件.txt'));
  });

  it('gives byte-identical archives for identical trees whatever their mtimes', async () => {
    const first = await packToBuffer({ contextDir: root, dockerfile: join(root, 'Dockerfile') });
    const copy = await tempDir();
    cleanup.push(copy);
    await buildTree(copy, spec, new Date('2001-02-03T04:05:06Z'));
    await utimes(join(copy, 'src'), new Date(), new Date('1999-01-01'));
    const second = await packToBuffer({ contextDir: copy, dockerfile: join(copy, 'Dockerfile') });
    assert.ok(first.archive.equals(second.archive), 'archives differ');
  });

  it('keeps real mtimes when asked', async () => {
    const dir = await tempDir();
    cleanup.push(dir);
    await buildTree(dir, { 'Dockerfile': 'FROM scratch\n' }, new Date('2001-02-03T04:05:06Z'));
    const { archive } = await packToBuffer({ contextDir: dir, dockerfile: join(dir, 'Dockerfile') }, { keepTimestamps: true });
    const listing = await run('tar', ['-tvzf', '-', '--full-time', '--utc'], archive);
    assert.match(listing.stdout, /2001-02-03 04:05:06 Dockerfile/);
  });

  it('honours the compression level; 0 writes the plain tar', async () => {
    const source = { contextDir: root, dockerfile: join(root, 'Dockerfile') };
    const plain = await packToBuffer(source, { compressionLevel: 0 });
    const best = await packToBuffer(source, { compressionLevel: 9 });
    assert.equal(plain.archive.subarray(257, 262).toString('latin1'), 'ustar', 'level 0 is not a plain tar');
    assert.ok(plain.archive.length > 3 * 1024 * 1024, `level 0 gave ${plain.archive.length} bytes`);
    assert.ok(best.archive.length < plain.archive.length / 10);
    const listed = await run('tar', ['-tf', '-'], plain.archive);
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual(listed.stdout.split('\n').filter((line) => line !== ''), await listWithTar(best.archive));
  });
});
