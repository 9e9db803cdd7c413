import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyPod } from '../../../src/core/build/classify.ts';
import type { KubeObject } from '../../../src/core/kube/gateway.ts';
import { classifyKanikoError } from '../../../src/core/kaniko/events.ts';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const spec = { activeDeadlineSeconds: 600, initContainers: [{ name: 'kaniko-init', image: 'busybox:1.36' }], containers: [{ name: 'kaniko', image: 'ghcr.io/osscontainertools/kaniko:v1' }] };
const pod = (status: Record<string, unknown>): KubeObject => ({ metadata: { name: 'p' }, spec, status });
const init = (state: unknown) => ({ initContainerStatuses: [{ name: 'kaniko-init', state }] });
const both = (initState: unknown, mainState: unknown, extra: Record<string, unknown> = {}) => ({
  ...extra, initContainerStatuses: [{ name: 'kaniko-init', state: initState }], containerStatuses: [{ name: 'kaniko', state: mainState }],
});
const done0 = { terminated: { exitCode: 0, reason: 'Completed' } };
const dest = ['r:5000/app:v1'];

const table: Array<[string, Record<string, unknown>, string[], string, string?]> = [
  ['unscheduled', { phase: 'Pending' }, [], 'pending'],
  ['init pulling', { phase: 'Pending', ...init({ waiting: { reason: 'PodInitializing' } }) }, [], 'pending'],
  ['init running', { phase: 'Pending', ...init({ running: {} }) }, [], 'initRunning'],
  ['init pull failed', { phase: 'Pending', ...init({ waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image' } }) }, [], 'failed', 'InitImagePullFailed'],
  ['executor pull failed', { phase: 'Pending', ...both(done0, { waiting: { reason: 'ErrImagePull' } }) }, [], 'failed', 'ExecutorImagePullFailed'],
  ['init timed out', { phase: 'Failed', ...both({ terminated: { exitCode: 1, reason: 'Error' } }, { waiting: { reason: 'PodInitializing' } }) }, [], 'failed', 'UploadFailed'],
  ['building', { phase: 'Running', ...both(done0, { running: {} }) }, [], 'building'],
  ['succeeded', { phase: 'Succeeded', ...both(done0, { terminated: { exitCode: 0, message: DIGEST } }) }, [], 'succeeded'],
  ['RUN failed', { phase: 'Failed', ...both(done0, { terminated: { exitCode: 1, reason: 'Error' } }) }, ['error building image: error building stage: failed to execute command: waiting for process to exit: exit status 7'], 'failed', 'RunFailed'],
  ['push unauthorized', { phase: 'Failed', ...both(done0, { terminated: { exitCode: 1 } }) }, ['checking push permission for "r/app": UNAUTHORIZED'], 'failed', 'PushUnauthorized'],
  // The fork wraps every failure of its push-permission probe in the same words (pkg/executor/push.go); the inner error
  // decides. Lines printed by the executor v1.27.6 (the resolver's address replaced).
  [
    'push permission probe: the registry name does not resolve',
    { phase: 'Failed', ...both(done0, { terminated: { exitCode: 1 } }) },
    ['error checking push permissions: checking push permission for "no-such-host.invalid/team/app:v1": creating push check transport for no-such-host.invalid failed: Get "https://no-such-host.invalid/v2/": dial tcp: lookup no-such-host.invalid on 10.96.0.10:53: no such host'],
    'failed', 'PushRegistryUnreachable',
  ],
  [
    'push permission probe: the registry refuses connections',
    { phase: 'Failed', ...both(done0, { terminated: { exitCode: 1 } }) },
    ['error checking push permissions: checking push permission for "127.0.0.1:1/team/app:v1": creating push check transport for 127.0.0.1:1 failed: Get "https://127.0.0.1:1/v2/": dial tcp 127.0.0.1:1: connect: connection refused; Get "http://127.0.0.1:1/v2/": dial tcp 127.0.0.1:1: connect: connection refused'],
    'failed', 'PushRegistryUnreachable',
  ],
  [
    'push permission probe: a plain-HTTP registry',
    { phase: 'Failed', ...both(done0, { terminated: { exitCode: 1 } }) },
    ['error checking push permissions: checking push permission for "registry.lan:5000/team/app:v1": creating push check transport for registry.lan:5000 failed: Get "https://registry.lan:5000/v2/": http: server gave HTTP response to HTTPS client'],
    'failed', 'PushInsecureRegistry',
  ],
  ['x509', { phase: 'Failed', ...both(done0, { terminated: { exitCode: 1 } }) }, ['x509: certificate signed by unknown authority'], 'failed', 'PushCertificate'],
  ['dockerfile path', { phase: 'Failed', ...both(done0, { terminated: { exitCode: 1 } }) }, ['error resolving dockerfile path: please provide a valid path to a Dockerfile within the build context with --dockerfile'], 'failed', 'DockerfileNotInContext'],
  ['unknown kaniko error', { phase: 'Failed', ...both(done0, { terminated: { exitCode: 1 } }) }, ['boom'], 'failed', 'BuildFailed'],
  ['silent failure', { phase: 'Failed', ...both(done0, { terminated: { exitCode: 2 } }) }, [], 'failed', 'BuildFailed'],
  ['OOMKilled', { phase: 'Failed', ...both(done0, { terminated: { exitCode: 137, reason: 'OOMKilled' } }) }, [], 'failed', 'OOMKilled'],
  ['deadline', { phase: 'Failed', reason: 'DeadlineExceeded', message: 'Pod was active on the node longer than the specified deadline' }, [], 'failed', 'DeadlineExceeded'],
  ['evicted', { phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' }, [], 'failed', 'PodEvicted'],
  ['node lost: not ready while kaniko runs', { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }], ...both(done0, { running: {} }) }, [], 'failed', 'NodeLost'],
  ['not ready while the context uploads (normal)', { phase: 'Pending', conditions: [{ type: 'Ready', status: 'False', reason: 'ContainersNotReady' }], ...both({ running: {} }, { waiting: { reason: 'PodInitializing' } }) }, [], 'initRunning'],
  [
    'node lost: deleted by the taint manager',
    { phase: 'Pending', reason: 'NodeLost', conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager' }], ...both({ running: {} }, { waiting: { reason: 'PodInitializing' } }) },
    [], 'failed', 'NodeLost',
  ],
  ['node lost: phase Unknown (old clusters)', { phase: 'Unknown', ...both(done0, { running: {} }) }, [], 'failed', 'NodeLost'],
  ['secret missing at start', { phase: 'Pending', ...both(done0, { waiting: { reason: 'CreateContainerConfigError', message: 'secret "regcred" not found' } }) }, [], 'failed', 'SecretMissing'],
  // Reasons a container never starts, which the kubelet retries forever: the build ends at once instead of at its deadline.
  [
    'short name refused by CRI-O (OpenShift 4.21+)',
    { phase: 'Pending', ...init({ waiting: { reason: 'ImageInspectError', message: 'Failed to inspect image "": rpc error: code = Unknown desc = short name mode is enforcing, but image name busybox:1.36 returns ambiguous list' } }) },
    [], 'failed', 'InitImagePullFailed',
  ],
  ['invalid image name', { phase: 'Pending', ...both(done0, { waiting: { reason: 'InvalidImageName', message: 'Failed to apply default image tag "Kaniko:v1": couldn\'t parse image name' } }) }, [], 'failed', 'ExecutorImagePullFailed'],
  ['image never pulled', { phase: 'Pending', ...init({ waiting: { reason: 'ErrImageNeverPull', message: 'Container image "busybox:1.36" is not present with pull policy of Never' } }) }, [], 'failed', 'InitImagePullFailed'],
  ['container cannot be created', { phase: 'Pending', ...both(done0, { waiting: { reason: 'CreateContainerError', message: 'container create failed: executable file not found' } }) }, [], 'failed', 'BuildFailed'],
  ['init container config refused', { phase: 'Pending', ...init({ waiting: { reason: 'CreateContainerConfigError', message: 'container has runAsNonRoot and image will run as root' } }) }, [], 'failed', 'BuildFailed'],
];

for (const [name, status, errors, state, reason] of table) {
  test(`classify: ${name}`, () => {
    const verdict = classifyPod(pod(status), errors.map(classifyKanikoError), dest);
    assert.equal(verdict.state, state);
    if (reason) assert.equal(verdict.state === 'failed' ? verdict.failure.reason : undefined, reason);
    if (verdict.state === 'failed') assert.ok(verdict.failure.message.length > 10);
  });
}

test('succeeded verdict carries the digest of the termination message', () => {
  const verdict = classifyPod(pod({ phase: 'Succeeded', ...both(done0, { terminated: { exitCode: 0, message: `${DIGEST}\n` } }) }), [], dest);
  assert.deepEqual(verdict, { state: 'succeeded', digest: DIGEST });
});

test('a short name refused by CRI-O: the fix names the fully qualified image', () => {
  const message = 'Failed to inspect image "": rpc error: code = Unknown desc = short name mode is enforcing, but image name busybox:1.36 returns ambiguous list';
  const verdict = classifyPod(pod({ phase: 'Pending', ...init({ waiting: { reason: 'ImageInspectError', message } }) }), [], dest);
  assert.ok(verdict.state === 'failed');
  assert.match(verdict.failure.fix ?? '', /docker\.io\/library\/busybox:1\.36/);
});

test('a plain-HTTP registry: the fix names --insecure and --registry-certificate, never turning verification off elsewhere', () => {
  const message = 'error checking push permissions: checking push permission for "registry.lan:5000/team/app:v1": creating push check transport for registry.lan:5000 failed: Get "https://registry.lan:5000/v2/": http: server gave HTTP response to HTTPS client';
  const verdict = classifyPod(pod({ phase: 'Failed', ...both(done0, { terminated: { exitCode: 1 } }) }), [classifyKanikoError(message)], ['registry.lan:5000/team/app:v1']);
  assert.ok(verdict.state === 'failed');
  assert.match(verdict.failure.fix ?? '', /--insecure/);
  assert.match(verdict.failure.fix ?? '', /--registry-certificate/);
  assert.match(verdict.failure.message, /registry\.lan:5000/);
});

test('pull failures name the image and the setting to change', () => {
  const verdict = classifyPod(pod({ phase: 'Pending', ...init({ waiting: { reason: 'ErrImagePull' } }) }), [], dest);
  assert.ok(verdict.state === 'failed');
  assert.match(verdict.failure.message, /busybox:1\.36/);
  assert.match(verdict.failure.fix ?? '', /kaniko\.initImage/);
});
