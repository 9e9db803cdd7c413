// sandbox.faults delegations to the kubelet and the registries, seen the way a user sees them: through kubectl.
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
});
