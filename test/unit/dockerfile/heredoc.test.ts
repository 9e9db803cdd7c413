import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildArgNames, findInstructionLine, parseDockerfile } from '../../../src/core/dockerfile/index.ts';

// The Dockerfile of issue 20: heredoc bodies that look like instructions, an ARG and a FROM.
const HEREDOCS = [
  '# syntax=docker/dockerfile:1',
  'FROM alpine:3.20 AS base',
  'RUN <<EOF',
  'set -e',
  'echo hello',
  'ARG INSIDE',
  'FROM nowhere',
  'EOF',
  'COPY <<-EOT /etc/motd',
  '\tWelcome',
  '\tARG ALSO_INSIDE',
  '\tEOT',
  `RUN <<"ONE" cat > /a && <<'TWO' cat > /b`,
  '$HOME stays',
  'ONE',
  'FROM nowhere-either',
  'TWO',
  'ARG REAL',
  '',
].join('\n');

test('heredoc bodies are not instructions: keywords and lines', () => {
  const parsed = parseDockerfile(HEREDOCS);
  assert.deepEqual(parsed.instructions.map((i) => [i.keyword, i.line, i.endLine]), [
    ['FROM', 2, 2], ['RUN', 3, 8], ['COPY', 9, 12], ['RUN', 13, 17], ['ARG', 18, 18],
  ]);
});

test('heredoc bodies declare no ARG and no stage', () => {
  const parsed = parseDockerfile(HEREDOCS);
  assert.deepEqual(buildArgNames(parsed).map((a) => a.name), ['REAL']);
  assert.deepEqual(parsed.stages.map((s) => [s.name, s.base]), [['base', 'alpine:3.20']]);
});

test('a heredoc instruction maps to its first line as kaniko prints it', () => {
  const parsed = parseDockerfile(HEREDOCS);
  assert.equal(findInstructionLine(parsed, 0, 'RUN <<EOF')?.line, 3);
  assert.equal(findInstructionLine(parsed, 0, 'COPY <<-EOT /etc/motd')?.line, 9);
});

test('heredocs only for RUN, COPY and ADD in shell form, also as ONBUILD triggers', () => {
  const parsed = parseDockerfile('FROM a\nRUN ["cat", "<<EOF"]\nEOF\nLABEL x=<<EOF\nEOF\nONBUILD RUN <<EOF\nFROM x\nEOF\n');
  assert.deepEqual(parsed.instructions.map((i) => [i.keyword, i.line, i.endLine]), [
    ['FROM', 1, 1], ['RUN', 2, 2], ['EOF', 3, 3], ['LABEL', 4, 4], ['EOF', 5, 5], ['ONBUILD', 6, 8],
  ]);
});
