import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statusView } from '../../../src/status/statusText.ts';
import { buildNode } from '../../../src/views/buildNodes.ts';
import { DIGEST, T0, allDone, english, record, snapshot, step, success } from './fixtures.ts';

test('status bar: hidden before any build', () => {
  assert.equal(statusView([], english), undefined);
});

test('status bar: spinner with the phase, then the step out of the total', () => {
  const uploading = snapshot({ states: { package: 'done', preflight: 'done', createPod: 'done', schedule: 'done', upload: 'running' } });
  assert.equal(statusView([record(uploading)], english)?.text, '$(sync~spin) kaniko: myapp — Upload context');
  const building = snapshot({ states: { ...allDone, build: 'running', push: 'pending' }, steps: [step(0), step(1), step(2), step(3, { state: 'running' })] });
  assert.equal(statusView([record(building, { totalSteps: 9 })], english)?.text, '$(sync~spin) kaniko: myapp — step 4/9');
  assert.equal(statusView([record(building)], english)?.text, '$(sync~spin) kaniko: myapp — step 4');
});

test('status bar: success with the short digest, failure with an error', () => {
  const done = statusView([record(snapshot({ states: allDone, result: success }))], english);
  assert.equal(done?.text, '$(check) kaniko: myapp @sha256:ab12cd34');
  assert.equal(done?.buildId, 'b1');
  const failed = statusView([record(snapshot({ result: { outcome: 'failed', message: 'RUN failed', reason: 'RunFailed' } }))], english);
  assert.equal(failed?.text, '$(error) kaniko: myapp — failed');
  assert.equal(failed?.error, true);
});

test('status bar: several running builds are summarised', () => {
  const running = ['a', 'b', 'c'].map((id) => record(snapshot({ id, states: { package: 'running' } })));
  const view = statusView([...running, record(snapshot({ id: 'd', result: success }))], english);
  assert.equal(view?.text, '$(sync~spin) kaniko: 3 running');
  assert.equal(view?.buildId, undefined);
});

test('tree: a running build has every phase, upload bytes and speed, and instructions under build', () => {
  const snap = snapshot({
    states: { ...allDone, upload: 'done', build: 'running', push: 'pending' },
    steps: [step(0, { cached: true, line: 3 }), step(1, { state: 'running', finishedAt: undefined, line: 4 })],
    pod: { namespace: 'dev', name: 'kaniko-b1' },
    summary: { files: 12, bytes: 2048, dockerfileInArchive: 'Dockerfile', ignoreFile: '.dockerignore', largestDirs: [{ path: 'src', bytes: 1024, files: 8 }] },
  });
  const node = buildNode(record(snap, { context: 'sandbox', progress: { upload: { bytes: 4 * 1024 * 1024, totalBytes: 4 * 1024 * 1024, since: T0, at: T0 + 2000 } } }), T0 + 20_000, english, true);
  assert.equal(node.label, 'myapp');
  assert.equal(node.description, 'sandbox · dev · 20 s');
  assert.deepEqual(node.icon, { id: 'sync~spin' });
  assert.equal(node.contextValue, 'kanikoBuild running log');
  assert.deepEqual(node.children.map((c) => c.label), ['Package context', 'Check cluster', 'Create pod', 'Pull images and schedule', 'Upload context', 'Build', 'Push']);
  const upload = node.children[4];
  assert.match(upload.description ?? '', /4\.0 MB \/ 4\.0 MB · 2\.0 MB\/s/);
  const build = node.children[5];
  assert.equal(build.expanded, true);
  assert.deepEqual(build.children.map((c) => [c.label, c.description, c.contextValue]), [
    ['RUN echo 0', '500 ms · cached · line 3', 'kanikoStep line'],
    ['RUN echo 1', '9.0 s · line 4', 'kanikoStep line'],
  ]);
  assert.deepEqual(build.children[1].location, { file: '/ws/app/Dockerfile', line: 4 });
  assert.deepEqual(node.children[0].children.map((c) => c.label), ['12 files, 2.0 KB', 'src']);
  assert.equal(node.children[6].description, 'pending');
});

test('tree: a finished build shows the result with digest, and stages when there are several', () => {
  const snap = snapshot({ states: allDone, steps: [step(0), step(1, { stage: 1 })], result: success, pod: { namespace: 'dev', name: 'kaniko-b1' } });
  const node = buildNode(record(snap), T0 + 60_000, english, false);
  assert.equal(node.contextValue, 'kanikoBuild finished digest', 'the pod is deleted by the default policy');
  assert.deepEqual(node.icon, { id: 'pass', color: 'testing.iconPassed' });
  assert.deepEqual(node.children[5].children.map((c) => c.label), ['Stage 0', 'Stage 1']);
  const result = node.children[7];
  assert.equal(result.label, 'Pushed');
  assert.equal(result.description, 'sha256:ab12cd34');
  assert.equal(result.children[0].label, 'registry.example.com:5000/team/myapp:1.0');
  assert.ok(DIGEST.startsWith('sha256:ab12cd34'));
});

test('tree: a failed build kept by keepFailed offers delete pod; the failed step is marked', () => {
  const failedStep = step(2, { state: 'failed', line: 5 });
  const snap = snapshot({
    request: { ...snapshot().request, cleanup: { policy: 'keepFailed', keepFailedMinutes: 30 } },
    states: { ...allDone, build: 'failed', push: 'cancelled' },
    steps: [step(0), step(1), failedStep],
    pod: { namespace: 'dev', name: 'kaniko-b1' },
    result: { outcome: 'failed', message: 'exit status 3', reason: 'RunFailed', failedStep },
  });
  const node = buildNode(record(snap), T0 + 60_000, english, true);
  assert.equal(node.contextValue, 'kanikoBuild finished pod log');
  assert.deepEqual(node.icon, { id: 'error', color: 'testing.iconFailed' });
  assert.deepEqual(node.children[5].children[2].icon, { id: 'error', color: 'testing.iconFailed' });
  assert.equal(node.children[7].label, 'Failed');
  assert.equal(node.children[7].description, 'exit status 3');
});
