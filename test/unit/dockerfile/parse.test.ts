import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildArgNames, dockerfileHints, findInstructionLine, parseDockerfile } from '../../../src/core/dockerfile/index.ts';

const DOCKERFILE = `# syntax=docker/dockerfile:1
ARG BASE=alpine:3.19
ARG VERSION

FROM \${BASE} AS build
ARG TOKEN="secret value"
RUN apk add --no-cache \\
    # a comment inside a continuation
    make \\
    gcc
COPY . /src
RUN make

FROM --platform=linux/amd64 scratch as Final
COPY --from=build /src/app /app
RUN make
`;

test('stages with names, bases and lines', () => {
  const parsed = parseDockerfile(DOCKERFILE);
  assert.deepEqual(parsed.stages, [
    { index: 0, base: '${BASE}', line: 5, name: 'build' },
    { index: 1, base: 'scratch', line: 14, name: 'final' },
  ]);
});

test('ARGs: global vs stage, defaults unquoted', () => {
  const parsed = parseDockerfile(DOCKERFILE);
  assert.deepEqual(parsed.args, [
    { name: 'BASE', defaultValue: 'alpine:3.19', line: 2, global: true, stage: -1 },
    { name: 'VERSION', line: 3, global: true, stage: -1 },
    { name: 'TOKEN', defaultValue: 'secret value', line: 6, global: false, stage: 0 },
  ]);
  assert.deepEqual(buildArgNames(parsed).map((a) => a.name), ['BASE', 'VERSION', 'TOKEN']);
});

test('continuations join into one instruction spanning its lines', () => {
  const run = parseDockerfile(DOCKERFILE).instructions.find((i) => i.keyword === 'RUN');
  assert.deepEqual(run, { keyword: 'RUN', args: 'apk add --no-cache make gcc', line: 7, endLine: 10, stage: 0 });
});

test('kaniko-printed instructions map to lines, per stage, in order', () => {
  const parsed = parseDockerfile(DOCKERFILE);
  assert.equal(findInstructionLine(parsed, 0, 'RUN apk add --no-cache     make     gcc')?.line, 7);
  assert.equal(findInstructionLine(parsed, 0, 'RUN make')?.line, 12);
  assert.equal(findInstructionLine(parsed, 1, 'RUN make')?.line, 16);
  assert.equal(findInstructionLine(parsed, 1, 'run make', 16), undefined);
  assert.equal(findInstructionLine(parsed, 0, 'COPY . /src')?.line, 11);
});

test('escape directive with backtick', () => {
  const parsed = parseDockerfile('# escape=`\nFROM mcr.microsoft.com/windows\nRUN dir `\n  c:\\\n');
  assert.equal(parsed.instructions[1].args, 'dir c:\\');
  assert.equal(parsed.instructions[1].endLine, 4);
});

test('CRLF line endings and a BOM', () => {
  const parsed = parseDockerfile('\uFEFFFROM alpine\r\nRUN echo hi\r\n');
  assert.deepEqual(parsed.instructions.map((i) => [i.keyword, i.args, i.line]), [['FROM', 'alpine', 1], ['RUN', 'echo hi', 2]]);
});

test('empty Dockerfile: no instructions, a hint', () => {
  const parsed = parseDockerfile('');
  assert.equal(parsed.instructions.length, 0);
  assert.match(dockerfileHints(parsed)[0].message, /no FROM/);
});

test('hint: non-root USER before COPY/RUN, once per USER', () => {
  const hints = dockerfileHints(parseDockerfile('FROM alpine\nUSER nobody\nCOPY a /a\nRUN x\nUSER root\nRUN y\nUSER 1001\nRUN z\n'));
  assert.deepEqual(hints.map((h) => [h.line, h.severity]), [[3, 'warning'], [8, 'warning']]);
  assert.match(hints[0].message, /"nobody" \(USER on line 2\)/);
});

test('no hint when USER comes last', () => {
  assert.deepEqual(dockerfileHints(parseDockerfile('FROM alpine\nCOPY a /a\nUSER nobody\nCMD ["x"]\n')), []);
});
