import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildArgNames, findInstructionLine, parseDockerfile } from '../../../src/core/dockerfile/index.ts';
import { HEREDOC_DOCKERFILE } from './heredocFixture.ts';

test('heredoc bodies are not instructions: keywords and lines', () => {
  const parsed = parseDockerfile(HEREDOC_DOCKERFILE);
  assert.deepEqual(parsed.instructions.map((i) => [i.keyword, i.line, i.endLine]), [
    ['FROM', 2, 2], ['RUN', 3, 8], ['COPY', 9, 12], ['RUN', 13, 17], ['ARG', 18, 18],
  ]);
});

test('heredoc bodies declare no ARG and no stage', () => {
  const parsed = parseDockerfile(HEREDOC_DOCKERFILE);
  assert.deepEqual(buildArgNames(parsed).map((a) => a.name), ['REAL']);
  assert.deepEqual(parsed.stages.map((s) => [s.name, s.base]), [['base', 'alpine:3.20']]);
});

test('a heredoc instruction maps to its first line as kaniko prints it', () => {
  const parsed = parseDockerfile(HEREDOC_DOCKERFILE);
  assert.equal(findInstructionLine(parsed, 0, 'RUN <<EOF')?.line, 3);
  assert.equal(findInstructionLine(parsed, 0, 'COPY <<-EOT /etc/motd')?.line, 9);
});

test('heredocs only for RUN, COPY and ADD in shell form, also as ONBUILD triggers', () => {
  const parsed = parseDockerfile('FROM a\nRUN ["cat", "<<EOF"]\nEOF\nLABEL x=<<EOF\nEOF\nONBUILD RUN <<EOF\nFROM x\nEOF\n');
  assert.deepEqual(parsed.instructions.map((i) => [i.keyword, i.line, i.endLine]), [
    ['FROM', 1, 1], ['RUN', 2, 2], ['EOF', 3, 3], ['LABEL', 4, 4], ['EOF', 5, 5], ['ONBUILD', 6, 8],
  ]);
});
