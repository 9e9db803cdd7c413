// Faithfulness: the machine's real kubectl (v1.32) drives the sandbox (real kubelet, real registry) and sees
// what it would see on a real cluster, including the seed article's manual kaniko recipe end to end.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Sandbox } from './index.ts';
import { startSandbox } from './index.ts';
import { DEFAULT_EXECUTOR_IMAGE } from '../../src/core/build/defaults.ts';
import { busyboxPod, kubectl, waitForStatus } from './api/kubectl-runner.ts';
import { inspectImage } from './registry/inspect.ts';

describe('kubectl against the sandbox', () => {
  let sandbox: Sandbox;
  let kc: string;
  let work: string;
  before(async () => {
    sandbox = await startSandbox();
    kc = sandbox.kubeconfigPath;
    work = await mkdtemp(join(tmpdir(), 'kubectl-test-'));
  });
  after(async () => {
    await sandbox.stop();
    await rm(work, { recursive: true, force: true });
  });

  test('kubectl version reads the server version', async () => {
    const run = await kubectl(kc, ['version', '-o', 'json']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(JSON.parse(run.stdout).serverVersion.gitVersion, /^v1\.32\./);
  });

  test('create -f, get pods with kubectl STATUS strings, exec with stdin and exit codes, delete', async () => {
    const file = join(work, 'sleeper.json');
    await writeFile(file, busyboxPod('sleeper', 'echo started; sleep 600'));
    const created = await kubectl(kc, ['create', '-f', file, '--validate=false']);
    assert.equal(created.stdout.trim(), 'pod/sleeper created', created.stderr);
    await waitForStatus(kc, 'sleeper', 'Running');
    const table = await kubectl(kc, ['get', 'pods']);
    assert.match(table.stdout, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\n/);
    assert.match(table.stdout, /\nsleeper\s+1\/1\s+Running\s+0\s+\d+s\n/);

    const echoed = await kubectl(kc, ['exec', '-i', 'sleeper', '--', 'cat'], 'through stdin\n');
    assert.equal(echoed.stdout, 'through stdin\n', echoed.stderr);
    const failed = await kubectl(kc, ['exec', 'sleeper', '--', 'sh', '-c', 'echo oops >&2; exit 3']);
    assert.equal(failed.code, 3);
    assert.match(failed.stderr, /oops\ncommand terminated with exit code 3/);
    const logs = await kubectl(kc, ['logs', 'sleeper']);
    assert.equal(logs.stdout, 'started\n');
    const described = await kubectl(kc, ['describe', 'pod', 'sleeper']);
    assert.match(described.stdout, /Events:\n[\s\S]*Normal\s+Started\s+\S+\s+kubelet\s+Started container main/, described.stderr);
    assert.match((await kubectl(kc, ['get', 'events'])).stdout, /^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE\n/);

    const deleted = await kubectl(kc, ['delete', 'pod', 'sleeper']);
    assert.equal(deleted.stdout.trim(), 'pod "sleeper" deleted', deleted.stderr);
    const gone = await kubectl(kc, ['get', 'pod', 'sleeper']);
    assert.equal(gone.stderr.trim(), 'Error from server (NotFound): pods "sleeper" not found');
  });

  test('get pods -w follows a pod from Pending to Completed', async () => {
    const watcher = spawn('/usr/bin/kubectl', ['--kubeconfig', kc, 'get', 'pods', '-w', '--field-selector', 'metadata.name=short'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let seen = '';
    const completed = new Promise<void>((resolve) =>
      watcher.stdout.on('data', (chunk: Buffer) => {
        seen += chunk;
        if (/short\s+0\/1\s+Completed/.test(seen)) resolve();
      }),
    );
    try {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const file = join(work, 'short.json');
      await writeFile(file, busyboxPod('short', 'echo done'));
      assert.equal((await kubectl(kc, ['create', '-f', file, '--validate=false'])).code, 0);
      await completed;
      assert.match(seen, /short\s+0\/1\s+Pending\s+0/);
    } finally {
      watcher.kill();
    }
    await kubectl(kc, ['delete', 'pod', 'short']);
  });

  test('auth can-i answers from the RBAC allow list, and a denied exec shows the real Forbidden text', async () => {
    const viewer = sandbox.addUser('viewer', [
      { verb: 'get', resource: 'pods' },
      { verb: 'list', resource: 'pods' },
    ]);
    const viewerConfig = join(work, 'viewer.kubeconfig');
    await writeFile(viewerConfig, sandbox.kubeconfigFor(viewer));
    const yes = await kubectl(kc, ['auth', 'can-i', 'create', 'pods/exec']);
    assert.deepEqual([yes.code, yes.stdout.trim()], [0, 'yes']);
    const no = await kubectl(viewerConfig, ['auth', 'can-i', 'create', 'pods/exec']);
    assert.deepEqual([no.code, no.stdout.trim()], [1, 'no']);

    const file = join(work, 'target.json');
    await writeFile(file, busyboxPod('target', 'sleep 600'));
    await kubectl(kc, ['create', '-f', file, '--validate=false']);
    await waitForStatus(kc, 'target', 'Running');
    const denied = await kubectl(viewerConfig, ['exec', 'target', '--', 'ls']);
    assert.notEqual(denied.code, 0);
    assert.match(denied.stderr, /Error from server \(Forbidden\): pods "target" is forbidden: User "viewer" cannot create resource "pods\/exec" in API group "" in the namespace "builds"/);
    await kubectl(kc, ['delete', 'pod', 'target', '--grace-period=1']);
  });

  test('typed create commands (sent as protobuf): namespace with its default account, docker-registry secret, configmap', async () => {
    assert.equal((await kubectl(kc, ['create', 'namespace', 'team'])).stdout.trim(), 'namespace/team created');
    assert.equal((await kubectl(kc, ['-n', 'team', 'get', 'serviceaccount', 'default', '-o', 'name'])).stdout.trim(), 'serviceaccount/default');
    const secret = await kubectl(kc, ['create', 'secret', 'docker-registry', 'push', '--docker-server=registry.example:5000', '--docker-username=u', '--docker-password=p']);
    assert.equal(secret.stdout.trim(), 'secret/push created', secret.stderr);
    const stored = JSON.parse((await kubectl(kc, ['get', 'secret', 'push', '-o', 'json'])).stdout);
    assert.equal(stored.type, 'kubernetes.io/dockerconfigjson');
    assert.deepEqual(JSON.parse(Buffer.from(stored.data['.dockerconfigjson'], 'base64').toString()).auths['registry.example:5000'].auth, Buffer.from('u:p').toString('base64'));
    assert.equal((await kubectl(kc, ['create', 'configmap', 'settings', '--from-literal=key=value'])).code, 0);
    assert.equal((await kubectl(kc, ['get', 'configmap', 'settings', '-o', 'jsonpath={.data.key}'])).stdout, 'value');
  });

  test("the seed article's manual recipe: Init:0/1, cp + tar -xzf into kaniko-init, touch /tmp/complete, logs -f, Completed, image in the registry", async () => {
    const destination = `${sandbox.registries.plain.host}/demo:1`;
    const podFile = join(work, 'kaniko.json');
    await writeFile(
      podFile,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'kaniko' },
        spec: {
          restartPolicy: 'Never',
          initContainers: [
            {
              name: 'kaniko-init',
              image: 'busybox',
              args: ['sh', '-c', 'while true; do sleep 1; if [ -f /tmp/complete ]; then break; fi done'],
              volumeMounts: [{ name: 'build-context', mountPath: '/kaniko/build-context' }],
            },
          ],
          containers: [
            {
              name: 'kaniko',
              image: DEFAULT_EXECUTOR_IMAGE,
              args: ['--dockerfile=Dockerfile', '--context=dir:///kaniko/build-context', `--destination=${destination}`, '--insecure'],
              volumeMounts: [{ name: 'build-context', mountPath: '/kaniko/build-context' }],
            },
          ],
          volumes: [{ name: 'build-context', emptyDir: {} }],
        },
      }),
    );
    const context = join(work, 'context');
    await rm(context, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(context));
    await writeFile(join(context, 'Dockerfile'), 'FROM scratch\nCOPY hello.txt /app/hello.txt\n');
    await writeFile(join(context, 'hello.txt'), 'hello from the seed recipe\n');
    const archive = join(work, 'context.tar.gz');
    const tar = spawn('tar', ['-C', context, '-czf', archive, '.']);
    assert.equal(await new Promise((resolve) => tar.on('close', resolve)), 0);

    assert.equal((await kubectl(kc, ['create', '-f', podFile, '--validate=false'])).code, 0);
    await waitForStatus(kc, 'kaniko', 'Init:0/1');
    const running = async (): Promise<boolean> => (await kubectl(kc, ['get', 'pod', 'kaniko', '-o', 'jsonpath={.status.initContainerStatuses[0].state.running}'])).stdout !== '';
    for (let tries = 0; !(await running()) && tries < 100; tries += 1) await new Promise((resolve) => setTimeout(resolve, 200));
    const copied = await kubectl(kc, ['cp', archive, 'kaniko:/tmp/context.tar.gz', '-c', 'kaniko-init']);
    assert.equal(copied.code, 0, copied.stderr);
    const extracted = await kubectl(kc, ['exec', 'kaniko', '-c', 'kaniko-init', '--', 'tar', '-zxf', '/tmp/context.tar.gz', '-C', '/kaniko/build-context']);
    assert.equal(extracted.code, 0, extracted.stderr);
    assert.equal((await kubectl(kc, ['exec', 'kaniko', '-c', 'kaniko-init', '--', 'touch', '/tmp/complete'])).code, 0);
    // As in the article, follow the logs once the init loop has noticed the marker and kaniko has started.
    await waitForStatus(kc, 'kaniko', ['Running', 'Completed', 'Error']);
    const logs = await kubectl(kc, ['logs', '-f', 'kaniko', '-c', 'kaniko']);
    assert.match(logs.stdout, /Pushed .*@sha256:[0-9a-f]{64}/, logs.stderr);
    await waitForStatus(kc, 'kaniko', 'Completed');

    const image = await inspectImage({ host: sandbox.registries.plain.host }, 'demo', '1');
    assert.ok(logs.stdout.includes(`@${image.digest}`), 'the digest kaniko logged is the registry’s');
    const file = image.files.get('app/hello.txt');
    assert.ok(file, `app/hello.txt in ${[...image.files.keys()].join(', ')}`);
    assert.equal(file.sha256, (await import('node:crypto')).createHash('sha256').update('hello from the seed recipe\n').digest('hex'));

    const deleted = await kubectl(kc, ['delete', 'pod', 'kaniko']);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.equal((await kubectl(kc, ['get', 'pods', '-o', 'name'])).stdout, '');
  });
});
