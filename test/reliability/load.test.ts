// Five builds at once through the engine against one sandbox: each keeps its own events and result,
// every image lands with its own content, and no pod or secret is left.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { startSandbox } from '../sandbox/index.ts';
import type { Sandbox } from '../sandbox/index.ts';
import { inspectImage } from '../sandbox/registry/inspect.ts';
import { BUSYBOX, makeContext, run, useSandboxBaseImages } from '../integration/helpers.ts';
import { leftovers, snapshotSecrets } from './leftovers.ts';

const BUILDS = 5;
let sandbox: Sandbox;

before(async () => {
  sandbox = await startSandbox();
  useSandboxBaseImages(sandbox);
});
after(async () => {
  await sandbox?.stop();
});

test(`${BUILDS} builds at once: separate events and results, all images land, nothing left`, async () => {
  const secretsBefore = snapshotSecrets(sandbox);
  const host = sandbox.registries.plain.host;
  const builds = await Promise.all(Array.from({ length: BUILDS }, async (_, i) => {
    const marker = `marker-${i}-${'x'.repeat(i)}`;
    const dir = await makeContext({ [`build${i}.Dockerfile`]: `FROM ${BUSYBOX}\nCOPY payload.txt /payload.txt\nRUN echo ${marker} && echo ${marker} > /marker\n`, 'payload.txt': `payload ${i}\n` });
    const build = run({ dockerfile: join(dir, `build${i}.Dockerfile`), contextDir: dir, destinations: [`${host}/load/app${i}:v${i}`], kube: { kubeconfig: sandbox.kubeconfigPath }, secretName: '', extraArgs: ['--insecure'] });
    return { i, marker, build };
  }));
  const results = await Promise.all(builds.map((b) => b.build.result));
  assert.equal(new Set(builds.map((b) => b.build.session.id)).size, BUILDS, 'distinct build ids');
  assert.equal(new Set(results.map((r) => r.podName)).size, BUILDS, 'distinct pods');
  for (const [k, { i, marker, build }] of builds.entries()) {
    const result = results[k];
    assert.equal(result.outcome, 'succeeded', `build ${i}: ${result.reason}: ${result.message}`);
    assert.equal(build.events.filter((e) => e.type === 'result').length, 1, `build ${i} has one result event`);
    const logs = build.events.flatMap((e) => (e.type === 'log' && e.source === 'kaniko' ? [e.line] : [])).join('\n');
    assert.ok(logs.includes(marker), `build ${i} sees its own RUN output`);
    for (const other of builds.filter((b) => b.i !== i)) assert.ok(!logs.includes(`${other.marker}\n`) && !logs.endsWith(other.marker), `build ${i} got build ${other.i}'s log`);
    const image = await inspectImage({ host }, `load/app${i}`, `v${i}`);
    assert.equal(image.digest, result.digest, `build ${i} digest`);
    assert.equal(image.files.get('payload.txt')?.sha256, createHash('sha256').update(`payload ${i}\n`).digest('hex'));
    assert.equal(image.files.get('marker')?.sha256, createHash('sha256').update(`${marker}\n`).digest('hex'));
  }
  assert.deepEqual(await leftovers(sandbox, secretsBefore), []);
});
