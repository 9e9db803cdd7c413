import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventLines } from '../../../src/output/eventLines.ts';
import { failureActions, headline, settingFor } from '../../../src/commands/failureActions.ts';
import { defaultDestination, rememberDestinations, repositoryNameFor, splitDestinations } from '../../../src/commands/destinations.ts';
import { isOverThreshold, suggestIgnoreEntries } from '../../../src/commands/contextCheck.ts';
import { english, success } from './fixtures.ts';

test('log lines: kaniko without colour, our phases and result prefixed, progress silent', () => {
  assert.deepEqual(eventLines({ type: 'log', source: 'kaniko', line: '\u001b[36mINFO\u001b[0m[0001] RUN make' }, english), ['INFO[0001] RUN make']);
  assert.deepEqual(eventLines({ type: 'phase', phase: 'upload', state: 'running', detail: '3 MB' }, english), ['[kaniko-build] Upload context: running — 3 MB']);
  assert.deepEqual(eventLines({ type: 'progress', phase: 'upload', bytes: 10 }, english), []);
  const result = eventLines({ type: 'result', result: { ...success, fix: 'oc adm policy add-scc-to-user anyuid -z builder' } }, english);
  assert.match(result[0], /Pushed registry\.example\.com:5000\/team\/myapp:1\.0 sha256:ab12cd34/);
  assert.equal(result.at(-1), '[kaniko-build] Fix: oc adm policy add-scc-to-user anyuid -z builder');
});

test('failure buttons follow the reason, the fix command comes first, the log is always offered', () => {
  assert.deepEqual(failureActions({ outcome: 'failed', message: 'x', reason: 'SecretMissing' }), ['createSecret', 'showLog']);
  assert.deepEqual(failureActions({ outcome: 'failed', message: 'x', reason: 'SecurityContextConstraint', fix: 'oc adm policy …' }), ['copyFix', 'showLog']);
  assert.deepEqual(failureActions({ outcome: 'failed', message: 'x', reason: 'PushCertificate', fix: 'Pass the registry CA with --registry-certificate' }), ['openSettings', 'showLog'], 'advice in words is not a command to copy');
  assert.deepEqual(failureActions({ outcome: 'failed', message: 'x', reason: 'ClusterUnreachable' }), ['selectContext', 'showLog']);
  assert.deepEqual(failureActions({ outcome: 'failed', message: 'x', reason: 'RunFailed', failedStep: { index: 0, stage: 0, instruction: 'RUN x', line: 3, state: 'failed', cached: false, startedAt: 0 } }), ['openDockerfile', 'showLog']);
  assert.deepEqual(failureActions({ outcome: 'failed', message: 'x', reason: 'NodeLost', fix: 'kubectl describe node n1' }), ['copyFix', 'rebuild', 'showLog']);
  assert.deepEqual(failureActions({ outcome: 'failed', message: 'x', reason: 'PodEvicted' }), ['openSettings', 'rebuild', 'showLog']);
  assert.equal(settingFor({ outcome: 'failed', message: 'x', reason: 'PodEvicted' }), 'kaniko.resources');
  assert.equal(settingFor({ outcome: 'failed', message: 'x', reason: 'ExecutorImagePullFailed' }), 'kaniko.executorImage');
});

test('destinations: OpenShift internal default, configured registry, or nothing', () => {
  assert.equal(repositoryNameFor('/ws/My App/Dockerfile'), 'my-app');
  assert.equal(defaultDestination('/ws/web/Dockerfile', { openshift: true, namespace: 'team' }, ''), 'image-registry.openshift-image-registry.svc:5000/team/web:latest');
  assert.equal(defaultDestination('/ws/web/Dockerfile', { openshift: false, namespace: 'team' }, 'quay.io/me/'), 'quay.io/me/web:latest');
  assert.equal(defaultDestination('/ws/web/Dockerfile', { openshift: false, namespace: 'team' }, ''), undefined, 'never a registry nobody named');
  assert.deepEqual(splitDestinations(' a/b:1, c/d:2  e/f '), ['a/b:1', 'c/d:2', 'e/f']);
  assert.deepEqual(rememberDestinations(['x', 'y', 'z'], ['y']), ['y', 'x', 'z']);
  assert.equal(rememberDestinations(['1', '2', '3', '4', '5'], ['6']).length, 5);
});

test('context size: threshold and suggested .dockerignore entries', () => {
  const summary = { files: 3000, bytes: 300 * 1024 * 1024, dockerfileInArchive: 'app/Dockerfile', largestDirs: [{ path: 'node_modules', bytes: 200 * 1024 * 1024, files: 2500 }, { path: 'app', bytes: 90 * 1024 * 1024, files: 10 }, { path: 'docs', bytes: 1024, files: 3 }] };
  assert.equal(isOverThreshold(summary, 100), true);
  assert.equal(isOverThreshold(summary, 0), false);
  assert.deepEqual(suggestIgnoreEntries(summary, summary.dockerfileInArchive), ['node_modules/']);
});

test('notifications carry the first sentence of a long engine message', () => {
  const scc = 'OpenShift refused the build pod: kaniko must run as root and the service account may not. pods "kaniko-web-" is forbidden: unable to validate against any security context constraint: [provider "anyuid": Forbidden]';
  assert.equal(headline(scc), 'OpenShift refused the build pod: kaniko must run as root and the service account may not.');
  assert.equal(headline('RUN exit 3 (Dockerfile line 3) failed with exit code 1.'), 'RUN exit 3 (Dockerfile line 3) failed with exit code 1.');
  assert.equal(headline('short. message'), 'short. message', 'no cut before 20 characters');
  const long = headline('x'.repeat(500));
  assert.equal(long.length, 200);
  assert.ok(long.endsWith('…'));
});
