// sandbox.faults (the API server's, the kubelet's, the registries'), seen the way a user sees them: through kubectl.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { busyboxPod, kubectl, waitForStatus } from './api/kubectl-runner.ts';
import type { Sandbox } from './index.ts';
import { startSandbox } from './index.ts';

function registryStatus(sandbox: Sandbox): Promise<number> {
  const { host, user, password, caPem } = sandbox.registries.tls;
  return new Promise((resolve, reject) => {
    const req = request(`https://${host}/v2/`, { ca: caPem, headers: { Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('sandbox faults through kubectl', () => {
  let sandbox: Sandbox;
  let kc: string;
  const create = async (name: string, json: string): Promise<void> => {
    const file = join(sandbox.dir, `${name}.json`);
    await writeFile(file, json);
    const run = await kubectl(kc, ['create', '-f', file, '--validate=false']);
    assert.equal(run.code, 0, run.stderr);
  };
  before(async () => {
    sandbox = await startSandbox();
    kc = sandbox.kubeconfigPath;
  });
  after(() => sandbox.stop());

  test('failImagePull: the init container cannot pull, kubectl shows Init:ErrImagePull then Init:ImagePullBackOff; reset() lifts it', async () => {
    sandbox.faults.failImagePull('busybox');
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pull' }, spec: { restartPolicy: 'Never', initContainers: [{ name: 'init', image: 'busybox', command: ['true'] }], containers: [{ name: 'main', image: 'busybox', command: ['true'] }] } };
    await create('pull', JSON.stringify(pod));
    await waitForStatus(kc, 'pull', ['Init:ErrImagePull', 'Init:ImagePullBackOff']);
    await waitForStatus(kc, 'pull', 'Init:ImagePullBackOff');
    await sandbox.faults.reset();
    await create('pulled', busyboxPod('pulled', 'true'));
    await waitForStatus(kc, 'pulled', 'Completed');
    await kubectl(kc, ['delete', 'pod', 'pull', '--grace-period=0']);
  });

  test('evictPod: a running pod ends Failed with reason Evicted', async () => {
    // A shell that exits on SIGTERM, so the eviction does not wait out the grace period.
    await create('evicted', busyboxPod('evicted', "trap 'exit 143' TERM; sleep 600 & wait"));
    await waitForStatus(kc, 'evicted', 'Running');
    await sandbox.faults.evictPod(sandbox.namespace, 'evicted');
    const { stdout } = await kubectl(kc, ['get', 'pod', 'evicted', '-o', 'jsonpath={.status.phase} {.status.reason}']);
    assert.equal(stdout, 'Failed Evicted');
  });

  test('killContainer: the running container is killed and the pod shows Error', async () => {
    await create('killed', busyboxPod('killed', 'sleep 600'));
    await waitForStatus(kc, 'killed', 'Running');
    sandbox.faults.killContainer(sandbox.namespace, 'killed', 'main', 'SIGKILL');
    await waitForStatus(kc, 'killed', 'Error');
  });

  test('deletePod mid-run: Terminating, then gone', async () => {
    await create('doomed', busyboxPod('doomed', 'sleep 600'));
    await waitForStatus(kc, 'doomed', 'Running');
    sandbox.faults.deletePod(sandbox.namespace, 'doomed', 1);
    const gone = await kubectl(kc, ['wait', '--for=delete', 'pod/doomed', '--timeout=30s']);
    assert.equal(gone.code, 0, gone.stderr);
  });

  test('rejectRegistryCredentials: the TLS registry answers 401 to the sandbox user until turned off', async () => {
    assert.equal(await registryStatus(sandbox), 200);
    await sandbox.faults.rejectRegistryCredentials(true);
    assert.equal(await registryStatus(sandbox), 401);
    await sandbox.faults.rejectRegistryCredentials(false);
    assert.equal(await registryStatus(sandbox), 200);
    await sandbox.faults.rejectRegistryCredentials(true);
    await sandbox.faults.reset();
    assert.equal(await registryStatus(sandbox), 200, 'reset() clears the rejection');
  });

  test('cutLogStreamsAfter: a follow stream ends after N bytes, mid-line, while the container prints on', async () => {
    await create('chatty', busyboxPod('chatty', 'i=0; while [ $i -lt 600 ]; do echo "line $i"; i=$((i+1)); sleep 0.01; done'));
    await waitForStatus(kc, 'chatty', 'Running');
    sandbox.faults.cutLogStreamsAfter(100);
    const cut = await kubectl(kc, ['logs', '-f', 'chatty']);
    assert.equal(cut.code, 0, cut.stderr);
    assert.equal(cut.stdout.length, 100);
    assert.match(cut.stdout, /^line 0\nline 1\n/);
    await sandbox.faults.reset();
    const whole = await kubectl(kc, ['logs', '-f', 'chatty']);
    assert.match(whole.stdout, /line 599\n$/, 'reset() restores whole streams');
  });

  test('refuseConnections: kubectl gets connection refused until reset(), or until the time is up', async () => {
    await sandbox.faults.refuseConnections();
    const refused = await kubectl(kc, ['get', 'pods', '--request-timeout=5s']);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /connection to the server 127\.0\.0\.1:\d+ was refused/);
    await sandbox.faults.reset();
    assert.equal((await kubectl(kc, ['get', 'pods'])).code, 0);
    await sandbox.faults.refuseConnections(300);
    await new Promise((resolve) => setTimeout(resolve, 600));
    assert.equal((await kubectl(kc, ['get', 'pods'])).code, 0, 'listening again after 300 ms');
  });

  test('brokenKubeconfig: a foreign CA fails the TLS check, a .invalid host does not resolve', async () => {
    const wrongCa = await kubectl(await sandbox.faults.brokenKubeconfig('wrongCa'), ['get', 'pods', '--request-timeout=5s']);
    assert.match(wrongCa.stderr, /x509: certificate signed by unknown authority/);
    const unresolvable = await kubectl(await sandbox.faults.brokenKubeconfig('unresolvable'), ['get', 'pods', '--request-timeout=5s']);
    assert.match(unresolvable.stderr, /kaniko-sandbox-api\.invalid.*no such host/);
  });

  test('expireToken: 401 from then on; reset() makes the token work again', async () => {
    sandbox.faults.expireToken(sandbox.tokens.admin);
    const expired = await kubectl(kc, ['get', 'pods']);
    assert.match(expired.stderr, /Unauthorized|must be logged in/);
    await sandbox.faults.reset();
    assert.equal((await kubectl(kc, ['get', 'pods'])).code, 0);
  });

  test('loseNode: the pod is marked not ready, then (evicted) deleted and shown Unknown; reset() brings the node back', async () => {
    await create('stranded', busyboxPod('stranded', 'sleep 600'));
    await waitForStatus(kc, 'stranded', 'Running');
    await sandbox.faults.loseNode('notReady');
    const ready = async (): Promise<string> => (await kubectl(kc, ['get', 'pod', 'stranded', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}'])).stdout;
    for (let i = 0; i < 50 && (await ready()) !== 'False'; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(await ready(), 'False');
    assert.equal((await kubectl(kc, ['get', 'pod', 'stranded', '-o', 'jsonpath={.status.phase}'])).stdout, 'Running', 'the last status the node reported stays');
    const logs = await kubectl(kc, ['logs', 'stranded']);
    assert.match(logs.stderr, /connect: connection refused/);

    await sandbox.faults.loseNode('evicted');
    await waitForStatus(kc, 'stranded', 'Unknown');
    const { stdout } = await kubectl(kc, ['get', 'pod', 'stranded', '-o', 'jsonpath={.status.reason} {.status.conditions[?(@.type=="DisruptionTarget")].reason}']);
    assert.equal(stdout, 'NodeLost DeletionByTaintManager');
    assert.equal((await kubectl(kc, ['delete', 'pod', 'stranded', '--grace-period=0', '--force'])).code, 0);

    await sandbox.faults.reset();
    await create('after-loss', busyboxPod('after-loss', 'true'));
    await waitForStatus(kc, 'after-loss', 'Completed');
  });
});
