// Names that are not UTF-8 (Latin-1 bytes from an old archive, a Windows share…): Linux and
// kaniko treat names as bytes, so the archive must carry the very same bytes.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, lstat, mkdir, readdir, readFile, readlink, symlink, writeFile } from 'node:fs/promises';
import { unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { ContextError, packContext, summarizeContext } from '../../../src/core/context/index.ts';
import { displayName, matchingName, shellWord } from '../../../src/core/context/names.ts';
import { openFds, packToBuffer, removeDir, run, tempDir, treeFactory } from './fixtures.ts';

const { tree, removeAll } = treeFactory();
const B = (text: string): Buffer => Buffer.from(text, 'latin1');
/** Each char of a latin1 string is one byte: raw names compare and print exactly. */
const L = (bytes: Buffer): string => bytes.toString('latin1');

/** Every entry below root, keyed by its raw path (as latin1 text): kind plus content or link target. */
async function rawTree(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const visit = async (dir: Buffer, rel: string): Promise<void> => {
    for (const name of (await readdir(dir, { encoding: 'buffer' })).sort(Buffer.compare)) {
      const abs = Buffer.concat([dir, B('/'), name]);
      const path = rel === '' ? L(name) : `${rel}/${L(name)}`;
      const info = await lstat(abs);
      if (info.isDirectory()) {
        out[path] = 'dir';
        await visit(abs, path);
      } else if (info.isSymbolicLink()) {
        out[path] = `link -> ${L(await readlink(abs, { encoding: 'buffer' }))}`;
      } else {
        out[path] = `file ${L(await readFile(abs))}`;
      }
    }
  };
  await visit(Buffer.from(root), '');
  return out;
}

/** A context with Latin-1 names: a folder, a file in it, a dangling link with a Latin-1 target, a link to the folder. */
async function latin1Tree(): Promise<string> {
  const root = await tree({ 'Dockerfile': 'FROM scratch\n' });
  await mkdir(B(`${root}/dir-\xe9`));
  await writeFile(B(`${root}/dir-\xe9/f-\xff.txt`), 'content \xe9', 'latin1');
  await symlink(B('target-\xe9'), B(`${root}/dangling-\xfe`));
  await symlink(B('dir-\xe9'), B(`${root}/to-dir-\xfe`));
  return root;
}

async function extractWith(command: 'tar' | 'busybox', archive: Buffer): Promise<string> {
  const dir = await tempDir('ctx-raw-out-');
  const result = await run(command === 'tar' ? 'tar' : '/usr/bin/busybox', [...(command === 'busybox' ? ['tar'] : []), '-xzf', '-', '-C', dir], archive);
  assert.equal(result.code, 0, result.stderr);
  return dir;
}

describe('names that are not UTF-8', () => {
  const extracted: string[] = [];
  after(async () => {
    await removeAll();
    for (const dir of extracted) await removeDir(dir);
  });

  for (const reader of ['tar', 'busybox'] as const) {
    it(`round-trip byte for byte through ${reader === 'tar' ? 'GNU tar' : 'busybox tar (the init container)'}`, async () => {
      const root = await latin1Tree();
      const { archive, manifest } = await packToBuffer({ contextDir: root, dockerfile: join(root, 'Dockerfile') });
      assert.equal(manifest.files, 4);
      const out = await extractWith(reader, archive);
      extracted.push(out);
      assert.deepEqual(await rawTree(out), await rawTree(root));
      assert.deepEqual(await rawTree(out), {
        'Dockerfile': 'file FROM scratch\n',
        'dangling-\xfe': 'link -> target-\xe9',
        'dir-\xe9': 'dir',
        'dir-\xe9/f-\xff.txt': 'file content \xe9',
        'to-dir-\xfe': 'link -> dir-\xe9',
      });
    });
  }

  it('are carried in a PAX header (path, linkpath) before an ASCII ustar name, as GNU tar writes them', async () => {
    const root = await latin1Tree();
    const tarBytes = gunzipSync((await packToBuffer({ contextDir: root, dockerfile: join(root, 'Dockerfile') })).archive);
    const blocks: Array<{ type: string; name: string; body: string }> = [];
    for (let at = 0; at + 512 <= tarBytes.length && tarBytes[at] !== 0;) {
      const size = Number.parseInt(L(tarBytes.subarray(at + 124, at + 136)).replace(/\0.*$/s, '').trim() || '0', 8);
      blocks.push({ type: L(tarBytes.subarray(at + 156, at + 157)), name: L(tarBytes.subarray(at, at + 100)).replace(/\0.*$/s, ''), body: L(tarBytes.subarray(at + 512, at + 512 + size)) });
      at += 512 + Math.ceil(size / 512) * 512;
    }
    const file = blocks.findIndex((b) => b.name === 'dir-_/f-_.txt');
    assert.ok(file > 0, JSON.stringify(blocks.map((b) => b.name)));
    assert.equal(blocks[file].type, '0');
    assert.deepEqual(blocks[file - 1], { type: 'x', name: 'PaxHeader', body: '22 path=dir-\xe9/f-\xff.txt\n' });
    const link = blocks.findIndex((b) => b.name === 'dangling-_');
    assert.equal(blocks[link].type, '2');
    assert.equal(blocks[link - 1].body, '19 path=dangling-\xfe\n21 linkpath=target-\xe9\n');
    // UTF-8 names keep tar-stream's own encoding: no extra header for them.
    assert.equal(blocks[0].name, 'Dockerfile');
  });

  it('match .dockerignore patterns with each stray byte as one character (U+FFFD), as Go does', async () => {
    const root = await tree({ 'Dockerfile': 'FROM scratch\n', 'c.txt': 'c' });
    await writeFile(join(root, '.dockerignore'), B('?-?.txt\nlatin1-\xe9\n'));
    for (const name of ['a-\xe9.txt', 'b-\xe9\xff.txt', 'latin1-\xe9', 'latin1-e']) await writeFile(B(`${root}/${name}`), name, 'latin1');
    const out = await extractWith('tar', (await packToBuffer({ contextDir: root, dockerfile: join(root, 'Dockerfile') })).archive);
    extracted.push(out);
    // `?-?.txt` takes a-\xe9.txt (one stray byte) but not b-\xe9\xff.txt (two); the Latin-1 pattern takes its own name.
    assert.deepEqual(Object.keys(await rawTree(out)), ['.dockerignore', 'Dockerfile', 'b-\xe9\xff.txt', 'c.txt', 'latin1-e']);
  });

  it('decode like Go for matching, with \\xNN for messages and $\'…\' for shell commands', () => {
    // e2 82 starts a 3-byte sequence that never ends: Go sees two RuneErrors (WHATWG decoding would see one).
    assert.equal(matchingName(Buffer.from([0x61, 0xe2, 0x82, 0x41, 0xc3, 0xa9])), 'a\uFFFD\uFFFDAé');
    assert.equal(displayName(Buffer.from([0x61, 0xe2, 0x82, 0x41, 0xc3, 0xa9])), 'a\\xE2\\x82Aé');
    assert.equal(matchingName(Buffer.from('plain ✓')), 'plain ✓');
    assert.equal(shellWord(B("/ctx/it's \xe9")), "$'/ctx/it\\x27s \\xe9'");
    assert.equal(shellWord('/ctx/plain'), '"/ctx/plain"');
  });

  it('are counted by the summary', async () => {
    const root = await latin1Tree();
    const summary = await summarizeContext({ contextDir: root, dockerfile: join(root, 'Dockerfile') });
    assert.equal(summary.files, 4);
    assert.deepEqual(summary.largestDirs.map((d) => d.path), ['.', 'dir-\uFFFD']);
  });

  it('Vanished names the file with \\xNN and closes every file', async () => {
    const root = await tree({ 'Dockerfile': 'FROM scratch\n', 'a.txt': 'a' });
    await writeFile(B(`${root}/b-\xe9.txt`), 'b');
    const before = await openFds();
    const out = new Writable({ write(_chunk, _encoding, callback) { callback(); } });
    const onProgress = ({ files }: { files: number }): void => { if (files === 2) unlinkSync(B(`${root}/b-\xe9.txt`)); };
    const error = await packContext({ contextDir: root, dockerfile: join(root, 'Dockerfile') }, out, { onProgress }).then(() => assert.fail('expected Vanished'), (e: unknown) => e);
    assert.ok(error instanceof ContextError);
    assert.equal(error.code, 'Vanished');
    assert.equal(error.path, `${root}/b-\\xE9.txt`);
    assert.ok(out.destroyed);
    assert.ok(await openFds() <= before, 'a file descriptor was left open');
  });

  it('Unreadable (as an unprivileged user) gives a chmod fix that names the bytes', async () => {
    const root = await tree({ 'Dockerfile': 'FROM scratch\n' });
    await writeFile(B(`${root}/secret-\xe9`), 'x');
    await chmod(B(`${root}/secret-\xe9`), 0o000);
    const helper = fileURLToPath(new URL('./unprivileged-pack.ts', import.meta.url));
    const result = await run('unshare', ['-U', process.execPath, helper, root]);
    const parsed = JSON.parse(result.stdout) as { uid: number; error: { code: string; path: string; fix: string } };
    assert.equal(parsed.uid, 65534, 'the helper must not run as root');
    assert.equal(parsed.error.code, 'Unreadable');
    assert.equal(parsed.error.path, `${root}/secret-\\xE9`);
    assert.match(parsed.error.fix, new RegExp(`chmod u\\+r \\$'${root}/secret-\\\\xe9'`));
  });
});
