// Protocol faithfulness with @kubernetes/client-node (the extension's client) against the sandbox with its real
// kubelet: Exec on a v5 and on a v4-only cluster, Watch ending with 410 Expired, Log.
import assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { CoreV1Api, Exec, KubeConfig, Log, Watch } from '@kubernetes/client-node';
import type { V1Status } from '@kubernetes/client-node';
import type { Sandbox } from './index.ts';
import { startSandbox } from './index.ts';

const collect = (stream: PassThrough): (() => string) => {
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk));
  return () => text;
};

async function runningPod(api: CoreV1Api, namespace: string, name: string, script: string): Promise<void> {
  await api.createNamespacedPod({
    namespace,
    body: { metadata: { name }, spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', script] }] } },
  });
  for (let tries = 0; tries < 150; tries += 1) {
    const pod = await api.readNamespacedPod({ namespace, name });
    if (pod.status?.containerStatuses?.[0]?.state?.running || pod.status?.phase === 'Succeeded') return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.fail(`pod ${name} did not start`);
}

/** Runs `cat` with the given stdin through client-node's Exec and returns stdout and the status. */
function execCat(kc: KubeConfig, namespace: string, pod: string, input: string): Promise<{ stdout: string; status: V1Status | undefined; closed: boolean }> {
  const stdout = new PassThrough();
  const text = collect(stdout);
  return new Promise((resolve, reject) => {
    let status: V1Status | undefined;
    new Exec(kc)
      .exec(namespace, pod, 'main', ['sh', '-c', 'cat; exit 4'], stdout, null, Readable.from([input]), false, (value) => (status = value))
      .then((ws) => ws.on('close', () => resolve({ stdout: text(), status, closed: true })), reject);
  });
}

describe('client-node against the sandbox (v5 exec)', () => {
  let sandbox: Sandbox;
  let kc: KubeConfig;
  let api: CoreV1Api;
  before(async () => {
    sandbox = await startSandbox();
    kc = new KubeConfig();
    kc.loadFromString(sandbox.kubeconfig);
    api = kc.makeApiClient(CoreV1Api);
    await runningPod(api, sandbox.namespace, 'worker', 'echo one; echo two; sleep 600');
  });
  after(() => sandbox.stop());

  test('Exec streams stdin to the process and reports the exit code in the status', async () => {
    const result = await execCat(kc, sandbox.namespace, 'worker', 'sent over v5\n');
    assert.equal(result.stdout, 'sent over v5\n');
    assert.equal(result.status?.status, 'Failure');
    assert.equal(result.status?.reason, 'NonZeroExitCode');
    assert.deepEqual(result.status?.details?.causes, [{ reason: 'ExitCode', message: '4' }]);
  });

  test('Log returns what the container wrote', async () => {
    const stream = new PassThrough();
    const text = collect(stream);
    await new Log(kc).log(sandbox.namespace, 'worker', 'main', stream, { follow: false });
    await new Promise((resolve) => stream.on('end', resolve));
    assert.equal(text(), 'one\ntwo\n');
  });

  test('Watch gets ADDED, then an ERROR 410 Expired when the server expires it', async () => {
    const events: Array<{ type: string; object: { code?: number; reason?: string } }> = [];
    const done = new Promise<void>((resolve, reject) => {
      new Watch(kc)
        .watch(`/api/v1/namespaces/${sandbox.namespace}/pods`, { fieldSelector: 'metadata.name=worker' }, (type, object) => {
          events.push({ type, object });
          if (type === 'ADDED') sandbox.faults.expireWatches();
        }, () => resolve())
        .catch(reject);
    });
    await done;
    assert.deepEqual(events.map((event) => event.type), ['ADDED', 'ERROR']);
    assert.equal(events[1].object.code, 410);
    assert.equal(events[1].object.reason, 'Expired');
  });

  test('an API call made with an expired token fails with 401', async () => {
    const user = sandbox.addUser('short-lived', 'all');
    const config = new KubeConfig();
    config.loadFromString(sandbox.kubeconfigFor(user));
    const client = config.makeApiClient(CoreV1Api);
    await client.readNamespacedPod({ namespace: sandbox.namespace, name: 'worker' });
    sandbox.faults.expireToken(user.token);
    await assert.rejects(client.readNamespacedPod({ namespace: sandbox.namespace, name: 'worker' }), { code: 401 });
  });
});

describe('client-node against a v4-only sandbox', () => {
  let sandbox: Sandbox;
  let kc: KubeConfig;
  before(async () => {
    sandbox = await startSandbox({ execProtocols: 'v4-only' });
    kc = new KubeConfig();
    kc.loadFromString(sandbox.kubeconfig);
    await runningPod(kc.makeApiClient(CoreV1Api), sandbox.namespace, 'worker', 'sleep 600');
  });
  after(() => sandbox.stop());

  test('Exec over v4 reports output and the exit status of a command without stdin', async () => {
    const stdout = new PassThrough();
    const text = collect(stdout);
    const status = await new Promise<V1Status>((resolve, reject) => {
      new Exec(kc).exec(sandbox.namespace, 'worker', 'main', ['sh', '-c', 'echo over v4; exit 2'], stdout, null, null, false, resolve).catch(reject);
    });
    assert.equal(text(), 'over v4\n');
    assert.deepEqual(status.details?.causes, [{ reason: 'ExitCode', message: '2' }]);
  });

  test('Exec over v4 can end stdin only by closing the socket, so the exit status never arrives', async () => {
    const result = await execCat(kc, sandbox.namespace, 'worker', 'sent over v4\n');
    assert.equal(result.status, undefined);
  });
});
