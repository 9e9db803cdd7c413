// Symbolic links are stored as links and never followed: links out of the context do not leak
// what they point to, and loops (a→b→a, a folder link to its parent or itself) cannot trap the walk.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { summarizeContext } from '../../../src/core/context/index.ts';
import { extractWithTar, packToBuffer, readTree, removeDir, treeFactory } from './fixtures.ts';

const { tree, removeAll } = treeFactory();
const SECRET = 'outside the context: never sent';

describe('symbolic links', () => {
  const extracted: string[] = [];
  after(async () => {
    await removeAll();
    for (const dir of extracted) await removeDir(dir);
  });

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
