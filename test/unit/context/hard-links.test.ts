// Hard links inside the context go as tar link entries after the first name, as Docker's archiver sends
// them: the content travels once and the unpacked names share one file. A first name that is ignored
// does not count: the next included name carries the content.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { link, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { summarizeContext } from '../../../src/core/context/index.ts';
import { extractWithTar, packToBuffer, readTree, removeDir, run, treeFactory } from './fixtures.ts';

const { tree, removeAll } = treeFactory();
const BODY = 'shared content\n'.repeat(1000);

describe('hard links', () => {
  const extracted: string[] = [];
  after(async () => {
    await removeAll();
    for (const dir of extracted) await removeDir(dir);
  });

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
