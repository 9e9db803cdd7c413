// Symbolic links are stored as links and never followed: links out of the context do not leak
// what they point to, and loops (a→b→a, a folder link to its parent or itself) cannot trap the walk.
// Hard links go as tar link entries after the first name, as Docker's archiver sends them: the content
// travels once and the unpacked names share one file. A first name that is ignored does not count.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { link, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { summarizeContext } from '../../../src/core/context/index.ts';
import { extractWithTar, packToBuffer, readTree, removeDir, run, treeFactory } from './fixtures.ts';

const { tree, removeAll } = treeFactory();
const SECRET = 'outside the context: never sent';
const BODY = 'shared content\n'.repeat(1000);
const extracted: string[] = [];

after(async () => {
  await removeAll();
  for (const dir of extracted) await removeDir(dir);
});

describe('symbolic links', () => {

  it('pointing outside the context are archived as links; their targets are not read', async () => {
    const outside = await tree({ 'secret.txt': SECRET, 'dir/inner.txt': SECRET });
    const root = await tree({
      'Dockerfile': 'FROM scratch\n',
      'abs-file': { link: join(outside, 'secret.txt') },
      'abs-dir': { link: join(outside, 'dir') },
      'up-and-out': { link: `../../${outside}/secret.txt` },
    });
    const { archive, manifest } = await packToBuffer({ contextDir: root, dockerfile: join(root, 'Dockerfile') });
    assert.equal(manifest.files, 4);
    assert.equal(manifest.bytes, 'FROM scratch\n'.length);
    assert.ok(!gunzipSync(archive).includes(SECRET), 'the content behind a link reached the archive');
    const out = await extractWithTar(archive);
    extracted.push(out);
    const got = await readTree(out);
    assert.deepEqual(got['abs-file'], { kind: 'symlink', mode: 0, target: join(outside, 'secret.txt') });
    assert.deepEqual(got['abs-dir'], { kind: 'symlink', mode: 0, target: join(outside, 'dir') });
    assert.deepEqual(got['up-and-out'], { kind: 'symlink', mode: 0, target: `../../${outside}/secret.txt` });
  });

  it('in loops are archived as links and the walk ends', async () => {
    const root = await tree({
      'Dockerfile': 'FROM scratch\n',
      'loop-a': { link: 'loop-b' },
      'loop-b': { link: 'loop-a' },
      'sub/f.txt': 'f',
      'sub/up': { link: '..' },
      'sub/self': { link: '.' },
      'sub/deeper/root': { link: '../../' },
    });
    const dirsRead: string[] = [];
    const summary = await summarizeContext({ contextDir: root, dockerfile: join(root, 'Dockerfile') }, { onDirectoryRead: (d) => dirsRead.push(d) });
    assert.deepEqual(dirsRead, ['', 'sub', 'sub/deeper']);
    assert.equal(summary.files, 7);
    const out = await extractWithTar((await packToBuffer({ contextDir: root, dockerfile: join(root, 'Dockerfile') })).archive);
    extracted.push(out);
    const got = await readTree(out);
    assert.deepEqual(Object.keys(got).sort(), ['Dockerfile', 'loop-a', 'loop-b', 'sub', 'sub/deeper', 'sub/deeper/root', 'sub/f.txt', 'sub/self', 'sub/up']);
    assert.equal(got['sub/up'].target, '..');
    assert.equal(got['loop-a'].target, 'loop-b');
  });
});

describe('hard links', () => {
  it('are sent once, then as links to the first name, which GNU tar unpacks as one file', async () => {
    const root = await tree({ 'Dockerfile': 'FROM scratch\n', 'a/data.txt': BODY, 'b/.keep': '' });
    await link(join(root, 'a/data.txt'), join(root, 'b/again.txt'));
    await link(join(root, 'a/data.txt'), join(root, 'z.txt'));
    const source = { contextDir: root, dockerfile: join(root, 'Dockerfile') };
    const { archive, manifest } = await packToBuffer(source);
    assert.equal(manifest.files, 5);
    assert.equal(manifest.bytes, 'FROM scratch\n'.length + BODY.length, 'the content counts once');
    assert.equal((await summarizeContext(source)).bytes, manifest.bytes, 'the summary agrees with what is sent');
    const listing = await run('tar', ['-tvzf', '-'], archive);
    assert.match(listing.stdout, /^h.* b\/again\.txt link to a\/data\.txt$/m);
    assert.match(listing.stdout, /^h.* z\.txt link to a\/data\.txt$/m);
    assert.match(listing.stdout, /^-.* a\/data\.txt$/m);
    const out = await extractWithTar(archive);
    extracted.push(out);
    const got = await readTree(out);
    assert.equal(got['b/again.txt'].content, BODY);
    assert.equal(got['z.txt'].content, BODY);
    const [first, second] = await Promise.all([stat(join(out, 'a/data.txt')), stat(join(out, 'z.txt'))]);
    assert.equal(second.ino, first.ino, 'one file under two names');
  });

  it('whose first name is ignored are sent with their content under the first name that is not', async () => {
    const root = await tree({ 'Dockerfile': 'FROM scratch\n', '.dockerignore': 'a\n', 'a/data.txt': BODY });
    await link(join(root, 'a/data.txt'), join(root, 'kept.txt'));
    await link(join(root, 'a/data.txt'), join(root, 'later.txt'));
    const { archive } = await packToBuffer({ contextDir: root, dockerfile: join(root, 'Dockerfile') });
    const listing = await run('tar', ['-tvzf', '-'], archive);
    assert.doesNotMatch(listing.stdout, /a\/data\.txt/);
    assert.match(listing.stdout, /^-.* kept\.txt$/m);
    assert.match(listing.stdout, /^h.* later\.txt link to kept\.txt$/m);
    const out = await extractWithTar(archive);
    extracted.push(out);
    assert.equal((await readTree(out))['later.txt'].content, BODY);
  });
});
