// A heredoc Dockerfile through the engine's consumers of the reader: the step count shown as "step n/N", the
// steps the tree lists (kaniko's log mapped to lines) and the failing step's line for the Problems entry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countSteps } from '../../../src/builds/countSteps.ts';
import { KanikoLogFollower } from '../../../src/core/build/follow.ts';
import { parseDockerfile } from '../../../src/core/dockerfile/parse.ts';
import { HEREDOC_DOCKERFILE } from '../dockerfile/heredocFixture.ts';

test('the step count of a heredoc Dockerfile counts its instructions, not the heredoc bodies', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kaniko-heredoc-'));
  try {
    writeFileSync(join(dir, 'Dockerfile'), HEREDOC_DOCKERFILE);
    assert.equal(await countSteps(join(dir, 'Dockerfile')), 4);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Feeds kaniko's log of the heredoc Dockerfile, up to and including `upTo` of its instructions. */
function follow(upTo: number, failure?: string): KanikoLogFollower {
  const follower = new KanikoLogFollower(parseDockerfile(HEREDOC_DOCKERFILE), { onStep: () => undefined, onPushStarted: () => undefined });
  // kaniko prints cmd.String(): the instruction line without its heredoc bodies (pkg/commands/run.go, copy.go).
  const instructions = ['RUN <<EOF', 'COPY <<-EOT /etc/motd', `RUN <<"ONE" cat > /a && <<'TWO' cat > /b`, 'ARG REAL'];
  follower.line("INFO[0000] Building stage 'alpine:3.20' [idx: '0', base-idx: '-1']");
  for (const instruction of instructions.slice(0, upTo)) {
    follower.line(`INFO[0001] ${instruction}`);
    follower.line('output of the step');
  }
  if (failure) follower.line(failure);
  follower.finish(failure !== undefined);
  return follower;
}

test("kaniko's log of a heredoc build becomes exactly its instructions with their lines", () => {
  assert.deepEqual(follow(4).steps.map((s) => [s.instruction, s.line, s.state]), [
    ['RUN <<EOF', 3, 'done'],
    ['COPY <<-EOT /etc/motd', 9, 'done'],
    [`RUN <<"ONE" cat > /a && <<'TWO' cat > /b`, 13, 'done'],
    ['ARG REAL', 18, 'done'],
  ]);
});

test('a failing heredoc RUN is marked on its own line (the Problems entry)', () => {
  const follower = follow(3, 'error building image: error building stage: failed to execute command: waiting for process to exit: exit status 2');
  assert.deepEqual([follower.failedStep?.instruction, follower.failedStep?.line, follower.failedStep?.exitCode], [`RUN <<"ONE" cat > /a && <<'TWO' cat > /b`, 13, 2]);
});
