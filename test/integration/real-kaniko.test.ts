// Through the engine, with the real kaniko executor: the layer cache shows as cached steps, the digest is the
// registry's, and the image's history is kaniko's own.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { kanikoExecutorMissing } from '../../scripts/kaniko-executor.ts';
import { startSandbox } from '../sandbox/index.ts';
import type { Sandbox } from '../sandbox/index.ts';
import { inspectImage } from '../sandbox/registry/inspect.ts';
import { BUSYBOX, makeContext, run, useSandboxBaseImages } from './helpers.ts';

const skip = kanikoExecutorMissing() ?? false;
let sandbox: Sandbox;

before(async () => {
  if (skip) return;
  sandbox = await startSandbox();
  useSandboxBaseImages(sandbox);
});
after(async () => {
  await sandbox?.stop();
});

test('kaniko.cache on: the second build shows its RUN steps as cached, and the image is kaniko’s', { skip }, async () => {
  const host = sandbox.registries.plain.host;
  const dir = await makeContext({ Dockerfile: `FROM ${BUSYBOX}\nCOPY a.txt /a.txt\nRUN cat /a.txt > /copy\nENV MODE=cached\nRUN echo "$MODE" > /mode\n`, 'a.txt': 'a\n' });
  const build = () => run({ dockerfile: join(dir, 'Dockerfile'), contextDir: dir, destinations: [`${host}/team/cached:v1`], kube: { kubeconfig: sandbox.kubeconfigPath }, secretName: '', cache: { enabled: true, repo: `${host}/team/cache` } });
  const cold = build();
  const first = await cold.result;
  assert.equal(first.outcome, 'succeeded', first.message);
  assert.deepEqual(cold.session.snapshot().steps.map((s) => s.cached), [false, false, false, false]);
  assert.ok(!cold.events.some((e) => e.type === 'log' && /Warning: kaniko logged/.test(e.line)), 'layers pushed to the cache are not taken for the image');
  const warm = build();
  const result = await warm.result;
  assert.equal(result.outcome, 'succeeded', result.message);
  assert.deepEqual(warm.session.snapshot().steps.map((s) => [s.instruction, s.cached]), [
    ['COPY a.txt /a.txt', false],
    ['RUN cat /a.txt > /copy', true],
    ['ENV MODE=cached', false],
    ['RUN echo "$MODE" > /mode', true],
  ]);
  const image = await inspectImage({ host }, 'team/cached', 'v1');
  assert.equal(result.digest, image.digest, 'the digest shown is the registry’s, not a cache layer’s');
  const history = image.config.history as Array<{ author?: string }>;
  assert.deepEqual(history.slice(1).map((h) => h.author), ['kaniko', 'kaniko', 'kaniko', 'kaniko']);
});
