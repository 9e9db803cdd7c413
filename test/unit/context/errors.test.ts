// Every ContextError code, produced for real, with its path and fix.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { unlinkSync } from 'node:fs';
import { appendFile, chmod, symlink, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { ContextError, packContext, summarizeContext } from '../../../src/core/context/index.ts';
import type { ContextErrorCode } from '../../../src/core/context/index.ts';
import { fromFsError } from '../../../src/core/context/errors.ts';
import { openFds, run, treeFactory } from './fixtures.ts';

const { tree, removeAll } = treeFactory();

function discard(onWrite?: () => void): Writable {
  return new Writable({ write(_chunk, _encoding, callback) { onWrite?.(); callback(); } });
}

async function expectContextError(promise: Promise<unknown>, code: ContextErrorCode, path: string, fix: RegExp): Promise<ContextError> {
  const error = await promise.then(() => assert.fail('expected a ContextError'), (e: unknown) => e);
  assert.ok(error instanceof ContextError, `not a ContextError: ${String(error)}`);
  assert.equal(error.code, code);
  assert.equal(error.path, path);
  assert.match(error.fix, fix);
  assert.ok(error.message.includes(path) && error.message.includes(error.fix));
  return error;
}

describe('context errors', () => {
  after(removeAll);

  it('ContextMissing: the context folder does not exist', async () => {
    const root = await tree({});
    const missing = join(root, 'nope');
    const out = discard();
    await expectContextError(packContext({ contextDir: missing, dockerfile: join(missing, 'Dockerfile') }, out), 'ContextMissing', missing, /kaniko\.contextRoot/);
    assert.ok(out.destroyed, 'out must be destroyed on failure');
  });

  it('NotADirectory: the context is a file', async () => {
    const root = await tree({ 'Dockerfile': 'FROM scratch\n' });
    const file = join(root, 'Dockerfile');
    await expectContextError(summarizeContext({ contextDir: file, dockerfile: file }), 'NotADirectory', file, /folder/);
  });

  it('DockerfileMissing: no such Dockerfile, or a folder', async () => {
    const root = await tree({ 'sub/': 'x' });
    await expectContextError(summarizeContext({ contextDir: root, dockerfile: join(root, 'Dockerfile') }), 'DockerfileMissing', join(root, 'Dockerfile'), /Save the Dockerfile/);
    await expectContextError(summarizeContext({ contextDir: root, dockerfile: join(root, 'sub') }), 'DockerfileMissing', join(root, 'sub'), /not a folder/);
  });

  it('DockerfileOutsideContext: beside the context, or a link leading out of it', async () => {
    const outside = await tree({ 'Dockerfile': 'FROM scratch\n' });
    const root = await tree({ 'app/x': 'x', 'link': { link: join(outside, 'Dockerfile') } });
    const fix = /contains the Dockerfile \(setting kaniko\.contextRoot\)/;
    await expectContextError(summarizeContext({ contextDir: join(root, 'app'), dockerfile: join(outside, 'Dockerfile') }), 'DockerfileOutsideContext', join(outside, 'Dockerfile'), fix);
    await expectContextError(summarizeContext({ contextDir: root, dockerfile: join(root, 'link') }), 'DockerfileOutsideContext', join(root, 'link'), fix);
  });

  it('SymlinkLoop: the Dockerfile or the context folder is a link loop', async () => {
    const root = await tree({ 'Dockerfile': 'FROM scratch\n' });
    await symlink('loop-b', join(root, 'loop-a'));
    await symlink('loop-a', join(root, 'loop-b'));
    await expectContextError(summarizeContext({ contextDir: root, dockerfile: join(root, 'loop-a') }), 'SymlinkLoop', join(root, 'loop-a'), /Fix or remove the link/);
    await expectContextError(summarizeContext({ contextDir: join(root, 'loop-b'), dockerfile: join(root, 'Dockerfile') }), 'SymlinkLoop', join(root, 'loop-b'), /Fix or remove the link/);
  });

  for (const [line, problem] of [['src/[a-', 'unclosed'], ['!', 'no pattern'], ['[]x', 'empty character class'], ['abc\\', 'trailing backslash']]) {
    it(`BadIgnorePattern: ${JSON.stringify(line)}`, async () => {
      const root = await tree({ 'Dockerfile': 'FROM scratch\n', '.dockerignore': `# fine\nnode_modules\n${line}\n` });
      const error = await expectContextError(summarizeContext({ contextDir: root, dockerfile: join(root, 'Dockerfile') }), 'BadIgnorePattern', join(root, '.dockerignore'), /Correct or remove that line/);
      assert.match(error.message, new RegExp(`Line 3 .*${problem}`));
    });
  }

  it('Vanished: an entry listed in its folder disappears before it is read', async () => {
    const root = await tree({ 'Dockerfile': 'FROM scratch\n', 'd/a.txt': 'a', 'd/b.txt': 'b' });
    const gone = join(root, 'd/b.txt');
    const before = await openFds();
    const out = discard();
    // Progress for d/a.txt comes after the folder d was listed and before d/b.txt is looked at.
    const onProgress = ({ files }: { files: number }): void => { if (files === 2) unlinkSync(gone); };
    await expectContextError(packContext({ contextDir: root, dockerfile: join(root, 'Dockerfile') }, out, { onProgress }), 'Vanished', gone, /build again/);
    assert.ok(out.destroyed);
    assert.ok(await openFds() <= before, "a file descriptor was left open");
  });

  it('FileChanged: a large file shrinks while it is streamed', async () => {
    const root = await tree({ 'Dockerfile': 'FROM scratch\n', 'big.bin': { content: Buffer.alloc(8 * 1024 * 1024, 'x') } });
    const big = join(root, 'big.bin');
    // truncate() holds a descriptor of its own until it resolves, possibly after the packer saw the shrink.
    let shrinking: Promise<void> | undefined;
    const out = discard(() => { shrinking ??= truncate(big, 1000); });
    const before = await openFds();
    const error = await expectContextError(packContext({ contextDir: root, dockerfile: join(root, 'Dockerfile') }, out, { compressionLevel: 0 }), 'FileChanged', big, /Wait until the tool writing this file has finished/);
    assert.match(error.message, /expected 8388608 bytes, it (ended after|has) \d+/);
    await shrinking;
    assert.ok(await openFds() <= before, "a file descriptor was left open");
  });

  it('FileChanged: a large file grows while it is streamed', async () => {
    const root = await tree({ 'Dockerfile': 'FROM scratch\n', 'big.bin': { content: Buffer.alloc(8 * 1024 * 1024, 'x') } });
    const big = join(root, 'big.bin');
    let grown = false;
    const out = discard(() => { if (!grown) { grown = true; void appendFile(big, 'more'); } });
    const error = await expectContextError(packContext({ contextDir: root, dockerfile: join(root, 'Dockerfile') }, out, { compressionLevel: 0 }), 'FileChanged', big, /build again/);
    assert.match(error.message, /it grew/);
  });

  describe('as an unprivileged user (unshare -U), where permissions apply', () => {
    const helper = fileURLToPath(new URL('./unprivileged-pack.ts', import.meta.url));
    const packAsNobody = async (root: string): Promise<Record<string, unknown>> => {
      const result = await run('unshare', ['-U', process.execPath, helper, root]);
      assert.equal(result.code, 0, result.stderr);
      const parsed = JSON.parse(result.stdout) as Record<string, unknown>;
      assert.equal(parsed.uid, 65534, 'the helper must not run as root');
      return parsed;
    };

    it('Unreadable: a file without read permission (EACCES)', async () => {
      const root = await tree({ 'Dockerfile': 'FROM scratch\n', 'secret.txt': { content: 'x', mode: 0o000 } });
      const result = await packAsNobody(root);
      assert.deepEqual(result.error, {
        isContextError: true, code: 'Unreadable', path: join(root, 'secret.txt'),
        fix: `Give yourself read access (for example \`chmod u+r "${join(root, 'secret.txt')}"\`, and u+x for a folder) or add it to .dockerignore.`,
        message: (result.error as { message: string }).message,
      });
    });

    it('Unreadable: a folder without permission (EACCES)', async () => {
      const root = await tree({ 'Dockerfile': 'FROM scratch\n', 'locked/': 'x', 'locked/f': 'x' });
      await chmod(join(root, 'locked'), 0o000);
      const result = await packAsNobody(root);
      assert.equal((result.error as { code: string }).code, 'Unreadable');
      assert.equal((result.error as { path: string }).path, join(root, 'locked'));
    });

    it('an unreadable excluded folder is never opened', async () => {
      const root = await tree({ 'Dockerfile': 'FROM scratch\n', '.dockerignore': 'node_modules\n', 'node_modules/a/b.js': 'x', 'app.js': 'x' });
      await chmod(join(root, 'node_modules'), 0o000);
      const result = await packAsNobody(root);
      assert.equal(result.error, undefined, JSON.stringify(result.error));
      assert.deepEqual(result.dirsRead, ['']);
      assert.equal((result.manifest as { files: number }).files, 3);
    });
  });

  it('a Dockerfile under a folder whose name starts with two dots (..docker/) is inside the context', async () => {
    const root = await tree({ '..docker/Dockerfile': 'FROM scratch\n', 'a.txt': 'a' });
    const summary = await summarizeContext({ contextDir: root, dockerfile: join(root, '..docker', 'Dockerfile') });
    assert.equal(summary.dockerfileInArchive, '..docker/Dockerfile');
  });

  it('NameTooLong: a path longer than the system allows (ENAMETOOLONG) names the folder and the fix', async () => {
    // 20 nested folders of 250 characters: each is valid, the full path (over 5000 bytes) is not.
    const root = await tree({ Dockerfile: 'FROM scratch\n' });
    const segment = 'n'.repeat(250);
    // Made by relative steps (mkdir and chdir each take one short name), which no absolute path could do.
    const script = `process.chdir(process.argv[1]); for (let i = 0; i < 20; i++) { fs.mkdirSync('${segment}'); process.chdir('${segment}'); } fs.writeFileSync('file', 'deep');`;
    const made = spawnSync(process.execPath, ['-e', script, root]);
    assert.equal(made.status, 0, String(made.stderr));
    const error = await packContext({ contextDir: root, dockerfile: join(root, 'Dockerfile') }, discard()).then(() => assert.fail('expected a ContextError'), (e: unknown) => e);
    assert.ok(error instanceof ContextError, String(error));
    assert.equal(error.code, 'NameTooLong');
    assert.match(error.fix, /\.dockerignore/);
    // The tree goes in the same steps (rm -r cannot name the deep paths either).
    spawnSync('rm', ['-rf', segment], { cwd: root });
  });

  it('maps EPERM and EIO like EACCES, and leaves unknown errors alone', () => {
    const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(code), { code });
    assert.equal((fromFsError(errno('EPERM'), '/x') as ContextError).code, 'Unreadable');
    assert.equal((fromFsError(errno('EIO'), '/x') as ContextError).code, 'Unreadable');
    const other = errno('EWHATEVER');
    assert.equal(fromFsError(other, '/x'), other);
  });
});
