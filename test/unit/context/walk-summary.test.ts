// The shared walk: excluded folders that no exception can reach are never listed; the summary
// matches what packing sends; the default context folder rule.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { summarizeContext, resolveContextDir } from '../../../src/core/context/index.ts';
import { packToBuffer, treeFactory } from './fixtures.ts';
import type { TreeSpec } from './fixtures.ts';

const { tree, removeAll } = treeFactory();

const project: TreeSpec = {
  'Dockerfile': 'FROM scratch\n',
  'src/a.js': 'a'.repeat(1000),
  'src/lib/b.js': 'b'.repeat(3000),
  'assets/logo.png': 'p'.repeat(5000),
  'docs/x.md': 'x'.repeat(10),
  'README.md': 'r'.repeat(7),
  'node_modules/left-pad/index.js': 'n'.repeat(100_000),
  'node_modules/left-pad/package.json': '{}',
  'node_modules/deep/er/and/deeper/file.js': 'x',
  '.git/objects/ab/cdef': 'g'.repeat(100_000),
};

after(removeAll);

describe('walk: excluded folders are not read', () => {
  it('never lists node_modules or .git when nothing can re-include from them', async () => {
    const root = await tree({ ...project, '.dockerignore': 'node_modules\n.git\n' });
    const read: string[] = [];
    await summarizeContext({ contextDir: root, dockerfile: join(root, 'Dockerfile') }, { onDirectoryRead: (d) => read.push(d) });
    assert.deepEqual(read.sort(), ['', 'assets', 'docs', 'src', 'src/lib']);
  });

  it('lists an excluded folder when an exception may match inside it, and only as deep as needed', async () => {
    const root = await tree({ ...project, '.dockerignore': 'node_modules\n.git\n!node_modules/left-pad/package.json\n' });
    const read: string[] = [];
    const { archive } = await packToBuffer({ contextDir: root, dockerfile: join(root, 'Dockerfile') }, { onDirectoryRead: (d) => read.push(d) });
    assert.deepEqual(read.filter((d) => d.startsWith('node_modules')).sort(), ['node_modules', 'node_modules/left-pad']);
    assert.ok(archive.length > 0);
  });

  it('a ** exception makes every excluded folder worth listing', async () => {
    const root = await tree({ ...project, '.dockerignore': 'node_modules\n!**/package.json\n' });
    const read: string[] = [];
    await summarizeContext({ contextDir: root, dockerfile: join(root, 'Dockerfile') }, { onDirectoryRead: (d) => read.push(d) });
    assert.ok(read.includes('node_modules/deep/er/and/deeper'));
  });
});

describe('summarizeContext', () => {
  it('counts files and bytes, ranks top-level folders, names the ignore file, and matches the pack', async () => {
    const root = await tree({ ...project, '.dockerignore': 'node_modules\n.git\n', 'src/link': { link: 'a.js' } });
    const source = { contextDir: root, dockerfile: join(root, 'Dockerfile') };
    const summary = await summarizeContext(source);
    const dockerignoreBytes = 'node_modules\n.git\n'.length;
    assert.equal(summary.ignoreFile, '.dockerignore');
    assert.equal(summary.dockerfileInArchive, 'Dockerfile');
    assert.equal(summary.files, 8);
    assert.equal(summary.bytes, 13 + 1000 + 3000 + 5000 + 10 + 7 + dockerignoreBytes);
    assert.deepEqual(summary.largestDirs, [
      { path: 'assets', bytes: 5000, files: 1 },
      { path: 'src', bytes: 4000, files: 3 },
      { path: '.', bytes: 13 + 7 + dockerignoreBytes, files: 3 },
      { path: 'docs', bytes: 10, files: 1 },
    ]);
    const { manifest } = await packToBuffer(source);
    const { largestDirs: _ignored, ...rest } = summary;
    assert.deepEqual(manifest, rest);
  });

  it('keeps at most five folders', async () => {
    const spec: TreeSpec = { 'Dockerfile': 'FROM scratch\n' };
    for (let i = 1; i <= 8; i++) spec[`d${i}/f`] = 'x'.repeat(i * 10);
    const root = await tree(spec);
    const summary = await summarizeContext({ contextDir: root, dockerfile: join(root, 'Dockerfile') });
    assert.deepEqual(summary.largestDirs.map((d) => d.path), ['d8', 'd7', 'd6', 'd5', 'd4']);
  });
});

describe('resolveContextDir', () => {
  const ws = '/work/ws';
  it('workspaceFolder: the workspace folder that holds the Dockerfile', () => {
    assert.equal(resolveContextDir('/work/ws/app/Dockerfile', ws, 'workspaceFolder'), ws);
    assert.equal(resolveContextDir('/work/ws/app/Dockerfile', ws, ''), ws);
  });
  it('dockerfileFolder: the Dockerfile\'s own folder', () => {
    assert.equal(resolveContextDir('/work/ws/app/Dockerfile', ws, 'dockerfileFolder'), '/work/ws/app');
  });
  it('a fixed sub-folder of the workspace folder', () => {
    assert.equal(resolveContextDir('/work/ws/app/docker/Dockerfile', ws, 'app'), '/work/ws/app');
    assert.equal(resolveContextDir('/work/ws/app/docker/Dockerfile', ws, './app/'), '/work/ws/app');
  });
  it('without a workspace folder, the Dockerfile\'s folder stands in', () => {
    assert.equal(resolveContextDir('/tmp/x/Dockerfile', undefined, 'workspaceFolder'), '/tmp/x');
    assert.equal(resolveContextDir('/tmp/x/Dockerfile', undefined, 'sub'), '/tmp/x/sub');
  });
});

describe('warnings', () => {
  it('says so when the ignore file excludes the Dockerfile, which is sent anyway', async () => {
    const root = await tree({ 'Dockerfile': 'FROM scratch\n', '.dockerignore': 'Dockerfile\n' });
    const warnings: string[] = [];
    const summary = await summarizeContext({ contextDir: root, dockerfile: join(root, 'Dockerfile') }, { onWarning: (w) => warnings.push(w) });
    assert.deepEqual(warnings, ['.dockerignore excludes the Dockerfile Dockerfile; it is sent anyway (as Docker does) because kaniko needs it.']);
    assert.equal(summary.files, 2);
  });
});
