// The default upload is a plain tar; compressionLevel 1–9 gzips it (for slow links). Either way the image
// holds exactly the packaged files (the end marker that proves the archive complete is removed before
// kaniko starts), on v5 and on v4-only exec.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startSandbox } from '../sandbox/index.ts';
import type { ExecProtocols } from '../sandbox/api/exec.ts';
import type { Sandbox } from '../sandbox/index.ts';
import { inspectImage } from '../sandbox/registry/inspect.ts';
import { assertNoBuildPods, BUSYBOX, makeContext, run, useSandboxBaseImages } from './helpers.ts';
import { packagedFiles } from './expected.ts';

// 1 MB of text that gzip shrinks to a few KB: the bytes sent show that the archive really was compressed.
const TEXT = 'a line of source code that repeats\n'.repeat(30_000);
const FILES = { Dockerfile: `FROM ${BUSYBOX}\nCOPY . /app/\n`, 'a.txt': 'a\n', 'deep/er/b.txt': 'b\n', 'text.txt': TEXT, '.dockerignore': '*.tmp\n', 'x.tmp': 'x' };

for (const protocols of ['v5+v4', 'v4-only'] as ExecProtocols[]) {
  describe(`gzip'd upload, ${protocols} exec`, () => {
    let sandbox: Sandbox;
    before(async () => {
      sandbox = await startSandbox({ execProtocols: protocols });
      useSandboxBaseImages(sandbox);
    });
    after(async () => {
      await sandbox?.stop();
    });

    test('the image holds exactly the packaged files, without the end marker', async () => {
      const dir = await makeContext(FILES);
      const host = sandbox.registries.plain.host;
      const build = run({ dockerfile: join(dir, 'Dockerfile'), contextDir: dir, destinations: [`${host}/team/gzip:v1`], kube: { kubeconfig: sandbox.kubeconfigPath }, secretName: '', extraArgs: ['--insecure'], compressionLevel: 1 });
      const result = await build.result;
      assert.equal(result.outcome, 'succeeded', result.message);
      const sent = build.events.filter((event) => event.type === 'progress' && event.phase === 'upload').map((event) => (event.type === 'progress' ? event.bytes : 0));
      assert.ok(sent.length > 0 && Math.max(...sent) < TEXT.length / 20, `sent ${Math.max(...sent)} bytes for ${TEXT.length} bytes of text`);
      const image = await inspectImage({ host }, 'team/gzip', 'v1');
      assert.equal(image.digest, result.digest);
      const expected = await packagedFiles(dir, join(dir, 'Dockerfile'));
      const files = [...image.files.keys()].filter((path) => path.startsWith('app/') && image.files.get(path)?.sha256 !== undefined).sort();
      assert.deepEqual(files, [...expected.keys()].map((path) => `app/${path}`).sort());
      for (const [path, sha] of expected) assert.equal(image.files.get(`app/${path}`)?.sha256, sha, path);
      await assertNoBuildPods(sandbox.kubeconfigPath);
    });
  });
}
