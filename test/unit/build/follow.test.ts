import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KanikoLogFollower } from '../../../src/core/build/follow.ts';
import { parseDockerfile } from '../../../src/core/dockerfile/parse.ts';
import type { BuildStep } from '../../../src/core/build/model.ts';

const DOCKERFILE = 'FROM alpine AS build\nCOPY . /src\nRUN make \\\n  all\n\nFROM alpine\nCOPY --from=build /src/app /app\nRUN ./app --test\n';
const DIGEST = `sha256:${'cd'.repeat(32)}`;

test('kaniko log lines become steps with lines, cache flags and a failure', () => {
  const events: BuildStep[] = [];
  let pushes = 0;
  let clock = 0;
  const follower = new KanikoLogFollower(parseDockerfile(DOCKERFILE), { onStep: (s) => events.push(s), onPushStarted: () => pushes++ }, () => ++clock);
  const shown = [
    "\u001b[36mINFO\u001b[0m[0000] Building stage 'alpine' [idx: '0', base-idx: '-1']",
    'INFO[0000] Using caching version of cmd: COPY . /src',
    'INFO[0000] COPY . /src',
    'INFO[0001] No cached layer found for cmd RUN make   all',
    'INFO[0001] RUN make   all',
    'compiling...',
    "INFO[0002] Building stage 'alpine' [idx: '1', base-idx: '-1']",
    'INFO[0002] COPY --from=build /src/app /app',
    'INFO[0003] RUN ./app --test',
    'test failed',
    'error building image: error building stage: failed to execute command: waiting for process to exit: exit status 4',
  ].map((l) => follower.line(l));
  assert.equal(shown[0], "INFO Building stage 'alpine' [idx: '0', base-idx: '-1']");
  assert.equal(shown[5], 'compiling...');
  const steps = follower.steps.map((s) => [s.stage, s.instruction, s.line, s.cached, s.state]);
  assert.deepEqual(steps, [
    [0, 'COPY . /src', 2, true, 'done'],
    [0, 'RUN make   all', 3, false, 'done'],
    [1, 'COPY --from=build /src/app /app', 7, false, 'done'],
    [1, 'RUN ./app --test', 8, false, 'failed'],
  ]);
  assert.equal(follower.failedStep?.exitCode, 4);
  assert.equal(follower.failedStep?.line, 8);
  assert.equal(pushes, 0);
  assert.ok(events.length >= 8, 'each step is reported when it starts and when it ends');
  assert.equal(follower.errors[0].kind, 'runFailed');
  follower.line(`INFO[0009] Pushed r:5000/app@${DIGEST}`);
  assert.deepEqual(follower.pushed, [{ reference: 'r:5000/app', digest: DIGEST }]);
});

test('push start is reported once for several destinations', () => {
  let pushes = 0;
  const follower = new KanikoLogFollower(undefined, { onStep: () => undefined, onPushStarted: () => pushes++ });
  follower.line('INFO[0001] RUN true');
  follower.line('INFO[0002] Pushing image to r/a:1');
  follower.line('INFO[0003] Pushing image to r/a:2');
  assert.equal(pushes, 1);
  assert.equal(follower.steps[0].state, 'done');
  assert.equal(follower.steps[0].line, undefined);
});
