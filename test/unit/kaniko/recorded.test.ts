// The log follower on output recorded from the real kaniko executor (test/fixtures/kaniko-logs, colours and the
// padded `%-44s` messages as printed): cache lookups logged before the first instruction, cache pushes mid-build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { KanikoLogFollower } from '../../../src/core/build/follow.ts';
import { parseDockerfile } from '../../../src/core/dockerfile/parse.ts';

const BASE = '127.0.0.1:5000/library/busybox:1.36';
const CACHED = `FROM ${BASE}\nCOPY a.txt /a.txt\nRUN cat /a.txt\nENV MODE=test\nRUN echo "mode $MODE" > /mode\n`;

function follow(fixture: string, dockerfile: string) {
  const lines = readFileSync(new URL(`../../fixtures/kaniko-logs/${fixture}.log`, import.meta.url), 'utf8').split('\n');
  let pushStarts = 0;
  const stepsAtPushStart: string[] = [];
  const follower = new KanikoLogFollower(parseDockerfile(dockerfile), {
    onStep: () => undefined,
    onPushStarted: () => {
      pushStarts++;
      stepsAtPushStart.push(...follower.steps.map((s) => s.instruction));
    },
  });
  const shown = lines.map((line) => follower.line(line));
  follower.finish(false);
  return { follower, shown, pushStarts, stepsAtPushStart };
}

test('a warm cache: every step that kaniko looked up before the first instruction is shown as cached', () => {
  const { follower } = follow('cache-warm', CACHED);
  assert.deepEqual(
    follower.steps.map((s) => [s.instruction, s.line, s.cached]),
    [
      ['COPY a.txt /a.txt', 2, false],
      ['RUN cat /a.txt', 3, true],
      ['ENV MODE=test', 4, false],
      ['RUN echo "mode $MODE" > /mode', 5, true],
    ],
  );
});

test('a cold cache: nothing cached; layers pushed to the cache repo are neither the push phase nor the image', () => {
  const { follower, pushStarts, stepsAtPushStart } = follow('cache-cold', CACHED);
  assert.deepEqual(follower.steps.map((s) => s.cached), [false, false, false, false]);
  assert.equal(pushStarts, 1);
  assert.equal(stepsAtPushStart.length, 4, 'the push phase starts after the last instruction, not at the first cache push');
  assert.deepEqual(follower.pushed.map((p) => p.reference), ['127.0.0.1:5000/demo/cached']);
});

test('padded messages: instructions and cache commands carry no padding', () => {
  const { follower, shown } = follow('cache-warm', CACHED);
  assert.ok(follower.steps.every((s) => s.instruction === s.instruction.trim()));
  assert.ok(shown.includes('INFO RUN cat /a.txt'), 'shown lines are trimmed too');
});

test('multi-stage with a target: stages and steps in order', () => {
  const dockerfile = `FROM ${BASE} AS builder\nRUN echo built > /artifact\nFROM scratch AS final\nCOPY --from=builder /artifact /artifact\nFROM final AS unused\nRUN never\n`;
  const { follower } = follow('multistage-target', dockerfile);
  assert.deepEqual(follower.steps.map((s) => [s.stage, s.instruction, s.line]), [
    [0, 'RUN echo built > /artifact', 2],
    [1, 'COPY --from=builder /artifact /artifact', 4],
  ]);
  assert.equal(follower.pushed[0].reference, '127.0.0.1:5000/demo/multi');
});

test('a failing RUN: the step, its line and exit code', () => {
  const lines = readFileSync(new URL('../../fixtures/kaniko-logs/run-failed.log', import.meta.url), 'utf8').split('\n');
  const follower = new KanikoLogFollower(parseDockerfile(`FROM ${BASE}\nRUN echo about to fail && exit 3\n`), { onStep: () => undefined, onPushStarted: () => undefined });
  for (const line of lines) follower.line(line);
  assert.equal(follower.errors[0]?.kind, 'runFailed');
  assert.equal(follower.failedStep?.exitCode, 3);
  assert.equal(follower.failedStep?.line, 2);
});

test('push permission refused: the fork warns first, then prints the wrapped error', () => {
  const { follower } = follow('push-unauthorized', `FROM ${BASE}\n`);
  assert.deepEqual(follower.errors.map((e) => e.kind), ['pushUnauthorized']);
});
