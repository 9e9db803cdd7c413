import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineSplitter, kanikoEvents, parseKanikoLine, stripAnsi } from '../../../src/core/kaniko/index.ts';

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

test('color format: level, seconds, message', () => {
  assert.deepEqual(parseKanikoLine('\u001b[36mINFO\u001b[0m[0005] Retrieving image manifest alpine:3.19'), {
    level: 'info', seconds: 5, message: 'Retrieving image manifest alpine:3.19',
  });
  assert.deepEqual(parseKanikoLine('\u001b[31mERRO\u001b[0m[0012] error building image: boom'), { level: 'error', seconds: 12, message: 'error building image: boom' });
  assert.equal(parseKanikoLine('\u001b[33mWARN\u001b[0m[0000] no cache').level, 'warning');
});

test('text format with quoting', () => {
  assert.deepEqual(parseKanikoLine('time="2026-11-26T17:00:00Z" level=info msg="RUN echo \\"hi\\""'), { level: 'info', message: 'RUN echo "hi"' });
  assert.deepEqual(parseKanikoLine('level=error msg="error building image: exit status 3"'), { level: 'error', message: 'error building image: exit status 3' });
});

test('json format', () => {
  assert.deepEqual(parseKanikoLine('{"level":"info","msg":"Taking snapshot of full filesystem...","time":"2026-11-26T17:00:00Z"}'), {
    level: 'info', message: 'Taking snapshot of full filesystem...',
  });
  assert.deepEqual(parseKanikoLine('{"level":"warning","msg":"x"}'), { level: 'warning', message: 'x' });
});

test('RUN output passes through raw, even when it looks like a level', () => {
  assert.deepEqual(parseKanikoLine('INFO: starting my app'), { message: 'INFO: starting my app' });
  assert.deepEqual(parseKanikoLine('{"not":"a log"}'), { message: '{"not":"a log"}' });
  assert.deepEqual(parseKanikoLine('fetch https://dl-cdn.alpinelinux.org/alpine/v3.19/main/x86_64/APKINDEX.tar.gz'), {
    message: 'fetch https://dl-cdn.alpinelinux.org/alpine/v3.19/main/x86_64/APKINDEX.tar.gz',
  });
});

test('stripAnsi removes colour and cursor sequences', () => {
  assert.equal(stripAnsi('\u001b[1;31mred\u001b[0m \u001b[2Kline\u001b]0;title\u0007'), 'red line');
});

test('line splitter keeps partial lines and multi-byte characters across chunks', () => {
  const splitter = new LineSplitter();
  const bytes = Buffer.from('INFO[0001] a\r\nb 漢');
  assert.deepEqual(splitter.push(bytes.subarray(0, 5)), []);
  assert.deepEqual(splitter.push(bytes.subarray(5, bytes.length - 1)), ['INFO[0001] a']);
  assert.deepEqual(splitter.push(Buffer.concat([bytes.subarray(bytes.length - 1), Buffer.from('字\nc')])), ['b 漢字']);
  assert.deepEqual(splitter.end(), ['c']);
  assert.deepEqual(splitter.end(), []);
});

const events = (line: string) => kanikoEvents(parseKanikoLine(line));

test('events for a whole build, all three formats', () => {
  const lines = [
    "INFO[0001] Building stage 'alpine:3.19' [idx: '0', base-idx: '-1']",
    'level=info msg="No cached layer found for cmd RUN make"',
    '{"level":"info","msg":"RUN make","time":"t"}',
    'INFO[0003] Taking snapshot of full filesystem...',
    'INFO[0004] Using caching version of cmd: COPY . .',
    'INFO[0005] Pushing image to localhost:5000/app:v1',
    `INFO[0006] Pushed localhost:5000/app@${DIGEST}`,
    'INFO[0006] Cmd: /bin/sh',
  ];
  assert.deepEqual(lines.map(events), [
    [{ type: 'stage', index: 0, base: 'alpine:3.19' }],
    [{ type: 'cache', hit: false, command: 'RUN make' }],
    [{ type: 'instruction', text: 'RUN make' }],
    [{ type: 'snapshot' }],
    [{ type: 'cache', hit: true, command: 'COPY . .' }],
    [{ type: 'pushing', destination: 'localhost:5000/app:v1' }],
    [{ type: 'pushed', reference: 'localhost:5000/app', digest: DIGEST }],
    [],
  ]);
});

test('errors are classified', () => {
  const kinds = [
    'ERRO[0009] error building image: error building stage: failed to execute command: waiting for process to exit: exit status 3',
    'error building image: error building stage: failed to execute command: waiting for process to exit: exit status 127',
    'Error: error checking push permissions -- make sure you entered the correct tag name, and that you are authenticated correctly, and try again: checking push permission for "r/app": POST https://r/v2/app/blobs/uploads/: UNAUTHORIZED: authentication required',
    'level=fatal msg="Get \\"https://r/v2/\\": tls: failed to verify certificate: x509: certificate signed by unknown authority"',
    'Error: error resolving dockerfile path: please provide a valid path to a Dockerfile within the build context with --dockerfile',
    '{"level":"error","msg":"something else"}',
    'error checking push permissions -- make sure you entered the correct tag name, and that you are authenticated correctly, and try again: checking push permission for "r/app": Get "https://r/v2/": tls: failed to verify certificate: x509: certificate signed by unknown authority',
  ].map((l) => events(l).map((e) => (e.type === 'error' ? e.error : undefined)));
  assert.deepEqual(kinds.map((k) => k[0]?.kind), ['runFailed', 'runFailed', 'pushUnauthorized', 'certificate', 'dockerfilePath', 'other', 'certificate']);
  const first = kinds[0][0];
  assert.equal(first?.kind === 'runFailed' ? first.exitCode : -1, 3);
});
