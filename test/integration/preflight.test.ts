// Every preflight failure and the failures before kaniko runs, produced for real by the sandbox; none leaves a pod.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startSandbox } from '../sandbox/index.ts';
import type { Sandbox } from '../sandbox/index.ts';
import { cleanUpBuildPods, createRegistrySecret, describeCluster, listBuilds, listContexts, listNamespaces, secretExists } from '../../src/core/engine.ts';
import { KubeGateway } from '../../src/core/kube/gateway.ts';
import { connect } from '../../src/core/kube/kubeconfig.ts';
import type { BuildRequest } from '../../src/core/build/model.ts';
import { assertNoBuildPods, assertNoSecret, BUSYBOX, makeContext, run, useSandboxBaseImages } from './helpers.ts';

let sandbox: Sandbox;
let contextDir: string;
let base: BuildRequest;

before(async () => {
  sandbox = await startSandbox();
  useSandboxBaseImages(sandbox);
  contextDir = await makeContext({ Dockerfile: `FROM ${BUSYBOX}\nCOPY . /app\n`, 'a.txt': 'a\n', 'big.bin': randomBytes(256 * 1024) });
  base = {
    dockerfile: join(contextDir, 'Dockerfile'), contextDir,
    destinations: [`${sandbox.registries.plain.host}/team/app:v1`],
    kube: { kubeconfig: sandbox.kubeconfigPath }, extraArgs: ['--insecure'],
  };
});
after(async () => {
  await sandbox?.stop();
});

async function expectFailure(request: BuildRequest, reason: string, message: RegExp, fix?: RegExp): Promise<void> {
  const build = run(request);
  const result = await build.result;
  assert.equal(result.outcome, 'failed', result.message);
  assert.equal(result.reason, reason, result.message);
  assert.match(result.message, message);
  if (fix) assert.match(result.fix ?? '', fix);
  assertNoSecret(build.events, sandbox.registries.tls.password, sandbox.tokens.admin);
  await assertNoBuildPods(sandbox.kubeconfigPath);
}

test('facade: describe the cluster, contexts, namespaces', async () => {
  const cluster = await describeCluster({ kubeconfig: sandbox.kubeconfigPath });
  assert.equal(cluster.namespace, sandbox.namespace);
  assert.equal(cluster.server, sandbox.server);
  assert.equal(cluster.openshift, false);
  assert.equal(listContexts(sandbox.kubeconfigPath).current, cluster.context);
  assert.ok((await listNamespaces({ kubeconfig: sandbox.kubeconfigPath })).includes(sandbox.namespace));
});

test('BadInput: an invalid destination, before anything is created', async () => {
  await expectFailure({ ...base, destinations: [`${sandbox.registries.plain.host}/Team/App`] }, 'BadInput', /must be lower case/);
});

test('DockerfileNotInContext: a Dockerfile outside the context folder', async () => {
  const other = await makeContext({ Dockerfile: `FROM ${BUSYBOX}\n` });
  await expectFailure({ ...base, dockerfile: join(other, 'Dockerfile') }, 'DockerfileNotInContext', /outside|not inside|context/i);
});

test('KubeconfigInvalid: a missing kubeconfig and an unknown context', async () => {
  await expectFailure({ ...base, kube: { kubeconfig: join(contextDir, 'nope.yaml') } }, 'KubeconfigInvalid', /does not exist/);
  await expectFailure({ ...base, kube: { kubeconfig: sandbox.kubeconfigPath, context: 'elsewhere' } }, 'KubeconfigInvalid', /"elsewhere" does not exist/);
});

test('ClusterUnreachable: the API server does not answer (after bounded retries)', async () => {
  const dead = join(contextDir, 'dead.kubeconfig');
  await writeFile(dead, sandbox.kubeconfig.replace(sandbox.server, 'https://127.0.0.1:1'));
  await expectFailure({ ...base, kube: { kubeconfig: dead } }, 'ClusterUnreachable', /Cannot reach the API server.*gave up after 5 attempts/s, /network/);
});

test('ClusterUnreachable: 503 for longer than the retries last; a short 500 burst is retried through', async () => {
  sandbox.faults.failRequests({ path: '/version' }, 503, 10);
  await expectFailure(base, 'ClusterUnreachable', /gave up after 5 attempts/);
  sandbox.faults.reset();
  sandbox.faults.failRequests({ path: '/apis/authorization.k8s.io' }, 500, 2);
  sandbox.faults.failImagePull('busybox:1.36', true);
  await expectFailure(base, 'InitImagePullFailed', /busybox:1\.36/);
  sandbox.faults.failImagePull('busybox:1.36', false);
  sandbox.faults.reset();
});

test('Unauthorized: an expired token', async () => {
  const user = sandbox.addUser('expiring', 'all');
  const file = join(contextDir, 'expiring.kubeconfig');
  await writeFile(file, sandbox.kubeconfigFor(user));
  sandbox.faults.expireToken(user.token);
  await expectFailure({ ...base, kube: { kubeconfig: file } }, 'Unauthorized', /401|credentials/);
});

test('Forbidden: a user without rights on secrets (default secret) or exec', async () => {
  const file = join(contextDir, 'restricted.kubeconfig');
  await writeFile(file, sandbox.kubeconfigFor(sandbox.users.restricted));
  await expectFailure({ ...base, kube: { kubeconfig: file } }, 'Forbidden', /get secrets/, /rolebinding/);
  const noExec = sandbox.addUser('noexec', [{ verb: 'create', resource: 'pods' }, { verb: 'get', resource: 'pods' }, { verb: 'delete', resource: 'pods' }]);
  const noExecFile = join(contextDir, 'noexec.kubeconfig');
  await writeFile(noExecFile, sandbox.kubeconfigFor(noExec));
  await expectFailure({ ...base, secretName: '', kube: { kubeconfig: noExecFile } }, 'Forbidden', /create pods\/exec, get pods\/exec, get pods\/log/);
});

test('SecretMissing: a named secret that does not exist, or one without .dockerconfigjson', async () => {
  await expectFailure({ ...base, secretName: 'nope' }, 'SecretMissing', /"nope" does not exist/, /kubectl create secret docker-registry nope --docker-server=127\.0\.0\.1:\d+/);
  const gateway = new KubeGateway(connect({ kubeconfig: sandbox.kubeconfigPath }));
  await gateway.createSecret(sandbox.namespace, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'opaque' }, type: 'Opaque', data: { x: 'eA==' } });
  await expectFailure({ ...base, secretName: 'opaque' }, 'SecretMissing', /no \.dockerconfigjson/);
});

test('createRegistrySecret / secretExists', async () => {
  const kube = { kubeconfig: sandbox.kubeconfigPath };
  assert.equal(await secretExists(kube, 'made'), false);
  await createRegistrySecret(kube, { name: 'made', server: sandbox.registries.tls.host, username: 'u', password: 'p4ss' });
  assert.equal(await secretExists(kube, 'made'), true);
});

test('InitImagePullFailed and ExecutorImagePullFailed', async () => {
  sandbox.faults.failImagePull('busybox:9.99', true);
  await expectFailure({ ...base, initImage: 'busybox:9.99' }, 'InitImagePullFailed', /busybox:9\.99/, /kaniko\.initImage/);
  const executor = 'ghcr.io/osscontainertools/kaniko:v0.0.1';
  sandbox.faults.failImagePull(executor, true);
  await expectFailure({ ...base, executorImage: executor }, 'ExecutorImagePullFailed', /kaniko executor image ghcr\.io\/osscontainertools\/kaniko:v0\.0\.1/);
});

test('UploadFailed: the exec WebSocket dropped mid-upload; kaniko never starts', async () => {
  sandbox.faults.dropExecAfterStdinBytes(64 * 1024);
  const build = run(base);
  const result = await build.result;
  assert.equal(result.reason, 'UploadFailed', result.message);
  assert.ok(!build.events.some((e) => e.type === 'phase' && e.phase === 'build' && e.state === 'running'));
  await assertNoBuildPods(sandbox.kubeconfigPath);
  sandbox.faults.reset();
});

test('UploadFailed: kaniko-init killed during the upload', async () => {
  const build = run(base, (event) => {
    if (event.type === 'phase' && event.phase === 'upload' && event.state === 'running') {
      const pod = build.session.snapshot().pod;
      if (pod) sandbox.faults.killContainer(pod.namespace, pod.name, 'kaniko-init', 'SIGKILL');
    }
  });
  const result = await build.result;
  assert.ok(result.reason === 'UploadFailed', `${result.reason}: ${result.message}`);
  await assertNoBuildPods(sandbox.kubeconfigPath);
});

test('PodDeleted: the pod deleted from outside while waiting to start', async () => {
  sandbox.faults.failImagePull('busybox:1.36', false);
  sandbox.faults.delayRequests({ path: '/exec' }, 2000, 1);
  const build = run(base, (event) => {
    if (event.type === 'phase' && event.phase === 'upload' && event.state === 'running') {
      const pod = build.session.snapshot().pod;
      if (pod) sandbox.faults.deletePod(pod.namespace, pod.name, 0);
    }
  });
  const result = await build.result;
  assert.equal(result.outcome, 'failed');
  assert.ok(['PodDeleted', 'UploadFailed'].includes(result.reason ?? ''), `${result.reason}: ${result.message}`);
  await assertNoBuildPods(sandbox.kubeconfigPath);
  sandbox.faults.reset();
});

for (const phase of ['package', 'preflight', 'createPod', 'schedule', 'upload'] as const) {
  test(`cancel during ${phase} leaves no pod`, async () => {
    if (phase === 'schedule') sandbox.faults.failImagePull('busybox:1.36', false);
    if (phase === 'upload') sandbox.faults.delayRequests({ path: '/exec' }, 1500, 1);
    let asked = false;
    const build = run(base, (event, session) => {
      if (!asked && event.type === 'phase' && event.phase === phase && event.state === 'running') {
        asked = true;
        void session.cancel();
      }
    });
    const result = await build.result;
    assert.equal(result.outcome, 'cancelled', `${result.reason}: ${result.message}`);
    assert.equal(build.session.snapshot().phases[phase].state, 'cancelled');
    await assertNoBuildPods(sandbox.kubeconfigPath);
    sandbox.faults.reset();
  });
}

test('a node that enforces short image names (CRI-O 1.34+): a short init image in the settings is qualified, and the build works', async () => {
  sandbox.faults.enforceShortNames(true);
  try {
    const result = await run({ ...base, initImage: 'busybox:1.36' }).result;
    assert.equal(result.outcome, 'succeeded', `${result.reason}: ${result.message}`);
  } finally {
    await sandbox.faults.reset();
  }
  await assertNoBuildPods(sandbox.kubeconfigPath);
});

test('a pod the scheduler cannot place: its reason shows at once in the schedule phase, and the build fails after scheduleTimeoutSeconds with the fix', { timeout: 60_000 }, async () => {
  const build = run({ ...base, resources: { requests: { memory: '1Pi' } }, scheduleTimeoutSeconds: 3 });
  const result = await build.result;
  assert.equal(result.reason, 'Unschedulable', result.message);
  assert.match(result.message, /0\/1 nodes are available: 1 Insufficient memory/);
  assert.match(result.fix ?? '', /kaniko\.resources/);
  const shown = build.events.find((e) => e.type === 'phase' && e.phase === 'schedule' && e.state === 'running' && /Insufficient memory/.test(e.detail ?? ''));
  assert.ok(shown, 'the schedule phase names the scheduler\'s reason while it waits');
  await assertNoBuildPods(sandbox.kubeconfigPath);
});

test('keepFailed keeps a failed pod with keep-until; cleanUpBuildPods removes it', async () => {
  sandbox.faults.failImagePull('busybox:9.98', true);
  const build = run({ ...base, initImage: 'busybox:9.98', cleanup: { policy: 'keepFailed', keepFailedMinutes: 5 } });
  const result = await build.result;
  assert.equal(result.reason, 'InitImagePullFailed');
  const kube = { kubeconfig: sandbox.kubeconfigPath };
  const kept = await listBuilds(kube);
  assert.equal(kept.length, 1);
  assert.equal(kept[0].name, result.podName);
  assert.equal(kept[0].state, 'failed');
  assert.ok(kept[0].keepUntil && kept[0].keepUntil > new Date().toISOString());
  assert.deepEqual(await cleanUpBuildPods(kube), [], 'not before keep-until');
  assert.deepEqual(await cleanUpBuildPods(kube, { all: true }), [result.podName]);
  await assertNoBuildPods(sandbox.kubeconfigPath);
});
