// Hostile and bad input through the real engine against one sandbox: each case ends with its expected
// outcome and a message naming the cause and the way out, and leaves no pod or secret behind.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../sandbox/index.ts';
import type { InputEnv } from './input-cases.ts';
import { inputCases, runInputCase } from './input-cases.ts';
import { useSandboxBaseImages } from '../integration/helpers.ts';

let env: InputEnv;

before(async () => {
  env = { sandbox: await startSandbox(), dir: await mkdtemp(join(tmpdir(), 'kaniko-inputs-')) };
  useSandboxBaseImages(env.sandbox);
});
after(async () => {
  await env?.sandbox.stop();
  if (env) await rm(env.dir, { recursive: true, force: true });
});

for (const c of inputCases) {
  // The large twins (200 000 files, 1 GB) run in `npm run bench -- reliability --large`; a smaller one of each runs here.
  const options = c.large ? { skip: 'large: run by npm run bench -- reliability --large' } : c.knownBug ? { todo: c.knownBug } : {};
  test(c.name, options, async () => {
    const report = await runInputCase(env, c);
    assert.deepEqual(report.problems, [], `${c.name}: ${report.result.reason}: ${report.result.message}`);
  });
}
