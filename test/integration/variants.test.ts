// The same build on a v4-only cluster (no stdin half-close) and on OpenShift (SCC, internal registry name).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { internalRegistry, startSandbox } from '../sandbox/index.ts';
import type { Sandbox } from '../sandbox/index.ts';
import { inspectImage } from '../sandbox/registry/inspect.ts';
import { createRegistrySecret, describeCluster } from '../../src/core/engine.ts';
import { KubeGateway } from '../../src/core/kube/gateway.ts';
import { connect } from '../../src/core/kube/kubeconfig.ts';
import { assertNoBuildPods, assertNoSecret, BUSYBOX, makeContext, phaseOf, run, useSandboxBaseImages } from './helpers.ts';
import { packagedFiles } from './expected.ts';

const FILES = { Dockerfile: `FROM ${BUSYBOX}\nCOPY . /app/\n`, 'a.txt': 'a\n', 'deep/er/b.txt': 'b\n', '.dockerignore': '*.tmp\n', 'x.tmp': 'x' };

describe('v4-only exec', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await startSandbox({ execProtocols: 'v4-only' });
    useSandboxBaseImages(sandbox);
  });
  after(async () => {
    await sandbox?.stop();
  });

  test('upload verified by the second exec; image pushed with the packaged files', async () => {
    const dir = await makeContext(FILES);
    const host = sandbox.registries.plain.host;
    const build = run({ dockerfile: join(dir, 'Dockerfile'), contextDir: dir, destinations: [`${host}/team/v4:v1`], kube: { kubeconfig: sandbox.kubeconfigPath }, secretName: '', extraArgs: ['--insecure'] });
    const result = await build.result;
    assert.equal(result.outcome, 'succeeded', result.message);
    assert.ok(build.events.some((e) => e.type === 'phase' && e.phase === 'upload' && e.state === 'done' && /v4\.channel\.k8s\.io/.test(e.detail ?? '')));
    const image = await inspectImage({ host }, 'team/v4', 'v1');
    assert.equal(image.digest, result.digest);
    const expected = await packagedFiles(dir, join(dir, 'Dockerfile'));
    for (const [path, sha] of expected) assert.equal(image.files.get(`app/${path}`)?.sha256, sha, path);
    await assertNoBuildPods(sandbox.kubeconfigPath);
  });

  test('a dropped v4 upload never reaches kaniko', async () => {
    const dir = await makeContext({ ...FILES, 'big.bin': (await import('node:crypto')).randomBytes(300 * 1024) });
    sandbox.faults.dropExecAfterStdinBytes(100 * 1024);
    const build = run({ dockerfile: join(dir, 'Dockerfile'), contextDir: dir, destinations: [`${sandbox.registries.plain.host}/team/v4:drop`], kube: { kubeconfig: sandbox.kubeconfigPath }, secretName: '', extraArgs: ['--insecure'] });
    const result = await build.result;
    sandbox.faults.reset();
    assert.equal(result.reason, 'UploadFailed', result.message);
    assert.notEqual(phaseOf(build.events, 'build'), 'running');
    assert.ok(!build.events.some((e) => e.type === 'phase' && e.phase === 'build' && e.state === 'running'));
    await assertNoBuildPods(sandbox.kubeconfigPath);
  });
});

describe('OpenShift', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await startSandbox({ openshift: true });
    useSandboxBaseImages(sandbox);
  });
  after(async () => {
    await sandbox?.stop();
  });

  test('detected from discovery', async () => {
    assert.equal((await describeCluster({ kubeconfig: sandbox.kubeconfigPath })).openshift, true);
  });

  test('SCC denial names the oc adm policy fix; after it, a push to the internal registry name works', async () => {
    const kube = { kubeconfig: sandbox.kubeconfigPath };
    const { user, password, host, caPem } = sandbox.registries.tls;
    await createRegistrySecret(kube, { name: 'regcred', server: internalRegistry, username: user, password });
    const dir = await makeContext(FILES);
    const destination = `${internalRegistry}/${sandbox.namespace}/app:latest`;
    const request = { dockerfile: join(dir, 'Dockerfile'), contextDir: dir, destinations: [destination], kube, extraArgs: ['--skip-tls-verify'] };
    const denied = await run(request).result;
    assert.equal(denied.reason, 'SecurityContextConstraint', denied.message);
    assert.equal(denied.fix, `oc adm policy add-scc-to-user anyuid -z default -n ${sandbox.namespace}`);
    await assertNoBuildPods(sandbox.kubeconfigPath);

    sandbox.grantAnyuid(sandbox.namespace, 'default');
    const build = run(request);
    const result = await build.result;
    assert.equal(result.outcome, 'succeeded', result.message);
    const image = await inspectImage({ host, caPem }, `${sandbox.namespace}/app`, 'latest', { user, password });
    assert.equal(image.digest, result.digest);
    assertNoSecret(build.events, password);
    await assertNoBuildPods(sandbox.kubeconfigPath);
  });

  test('zero-config push to the internal registry: builder credentials in a pod-owned secret, service CA trusted', async () => {
    const kube = { kubeconfig: sandbox.kubeconfigPath };
    const { user, password, host, caPem } = sandbox.registries.tls;
    const dir = await makeContext(FILES);
    const build = run({ dockerfile: join(dir, 'Dockerfile'), contextDir: dir, destinations: [`${internalRegistry}/${sandbox.namespace}/zero:latest`], kube, openshiftInternalRegistry: true });
    const result = await build.result;
    assert.equal(result.outcome, 'succeeded', `${result.reason}: ${result.message}`);
    const image = await inspectImage({ host, caPem }, `${sandbox.namespace}/zero`, 'latest', { user, password });
    assert.equal(image.digest, result.digest);
    assertNoSecret(build.events, password);
    await assertNoBuildPods(sandbox.kubeconfigPath);
    const gateway = new KubeGateway(connect(kube));
    let left: string[] = [];
    for (let i = 0; i < 50; i++) {
      left = (await gateway.listSecrets(sandbox.namespace)).filter((n) => n.startsWith('kaniko-build-'));
      if (left.length === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.deepEqual(left, [], 'the build secret went with its pod');
  });
});
