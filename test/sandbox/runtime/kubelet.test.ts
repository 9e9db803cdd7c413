// The kubelet emulator runs pods as real processes with real container paths; driven here through a Map-based store.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { after, before, test } from 'node:test';
import type { KubeletError} from '../contract.ts';
import { type KubeObject } from '../contract.ts';
import { createKubelet } from '../kubelet/index.ts';
import { MemoryStore } from './memory-store.ts';

let dir: string;
let store: MemoryStore;
let kubelet: ReturnType<typeof createKubelet>;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sandbox-kubelet-test-'));
  store = new MemoryStore();
  kubelet = createKubelet(store, { dir: join(dir, 'node') });
});

after(async () => {
  await kubelet?.stop();
  await rm(dir, { recursive: true, force: true });
});

const ns = 'default';
type State = Record<string, Record<string, unknown>>;
const statusOf = (pod: KubeObject | undefined, name: string): { state: State; ready: boolean } | undefined =>
  [...(pod?.status?.initContainerStatuses ?? []), ...(pod?.status?.containerStatuses ?? [])].find((s: { name: string }) => s.name === name);
const stateOf = (pod: KubeObject | undefined, name: string): State => statusOf(pod, name)?.state ?? {};
const waitState = (pod: string, container: string, key: 'waiting' | 'running' | 'terminated', reason?: string) =>
  store.waitForPod(ns, pod, (p) => stateOf(p, container)[key] !== undefined && (!reason || stateOf(p, container)[key]?.reason === reason));
const waitPhase = (pod: string, phase: string) => store.waitForPod(ns, pod, (p) => p?.status?.phase === phase);

async function execText(pod: string, container: string, command: string[], stdin?: Readable): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const code = await kubelet.exec(ns, pod, container, command, { stdin, stdout, stderr });
  return { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
}

async function readAll(stream: Readable | undefined): Promise<string> {
  assert.ok(stream, 'a log stream');
  const chunks: string[] = [];
  for await (const chunk of stream) chunks.push(String(chunk));
  return chunks.join('');
}

const busybox = (name: string, script: string, extra: Record<string, unknown> = {}) => ({ name, image: 'busybox:1.36', command: ['sh', '-c', script], ...extra });

test('the seed recipe: init loop waits for /tmp/complete, exec tar fills the emptyDir, the main container sees it', async () => {
  const mount = [{ name: 'build-context', mountPath: '/kaniko/build-context' }];
  store.createPod({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'seed', namespace: ns },
    spec: {
      restartPolicy: 'Never',
      initContainers: [busybox('kaniko-init', 'while [ ! -f /tmp/complete ]; do sleep 1; done', { volumeMounts: mount })],
      containers: [busybox('kaniko', 'cat /kaniko/build-context/ctx/hello.txt; ls /kaniko/build-context/ctx/sub; printf sha256:feed > /dev/termination-log', { volumeMounts: mount })],
      volumes: [{ name: 'build-context', emptyDir: {} }],
    },
  });
  await assert.rejects(execText('seed', 'kaniko-init', ['true']), (e: KubeletError) => e.status === 400 && /does not have a host assigned/.test(e.message));
  assert.equal(kubelet.logs(ns, 'seed', 'kaniko', { follow: false, timestamps: false }), undefined);
  const initRunning = await waitState('seed', 'kaniko-init', 'running');
  assert.equal(initRunning?.spec.nodeName, 'sandbox-node');
  assert.equal(initRunning?.status.phase, 'Pending');
  assert.equal(stateOf(initRunning, 'kaniko').waiting?.reason, 'PodInitializing');
  assert.throws(() => kubelet.logs(ns, 'seed', 'kaniko', { follow: false, timestamps: false }), { status: 400, message: 'container "kaniko" in pod "seed" is waiting to start: PodInitializing' });
  await assert.rejects(execText('seed', 'nope', ['true']), { status: 400, message: 'container nope is not valid for pod seed' });
  await assert.rejects(execText('seed', 'kaniko', ['true']), (e: KubeletError) => e.status === 400 && /container not found \("kaniko"\)/.test(e.message));

  const context = join(dir, 'ctx');
  await mkdir(join(context, 'sub'), { recursive: true });
  await writeFile(join(context, 'hello.txt'), 'hello from the context\n');
  await writeFile(join(context, 'sub', 'a.txt'), 'a');
  const tarball = execFileSync('tar', ['-czf', '-', '-C', dir, 'ctx']);
  const extracted = await execText('seed', 'kaniko-init', ['tar', '-xzf', '-', '-C', '/kaniko/build-context'], Readable.from([tarball]));
  assert.equal(extracted.code, 0, extracted.stderr);
  assert.equal((await execText('seed', 'kaniko-init', ['sh', '-c', 'exit 7'])).code, 7);
  const pwd = await execText('seed', 'kaniko-init', ['sh', '-c', 'pwd; ls /']);
  assert.match(pwd.stdout, /^\/\n/);
  assert.doesNotMatch(pwd.stdout, /\bwork\b/, 'the container sees its own root, not the host');
  // The loop really waits: still running a while later.
  await new Promise((resolve) => setTimeout(resolve, 1200));
  assert.ok(stateOf(store.get('pods', ns, 'seed'), 'kaniko-init').running);

  assert.equal((await execText('seed', 'kaniko-init', ['touch', '/tmp/complete'])).code, 0);
  const done = await waitPhase('seed', 'Succeeded');
  assert.equal(stateOf(done, 'kaniko-init').terminated?.reason, 'Completed');
  const main = stateOf(done, 'kaniko').terminated;
  assert.equal(main?.exitCode, 0);
  assert.equal(main?.reason, 'Completed');
  assert.equal(main?.message, 'sha256:feed');
  const logs = await readAll(kubelet.logs(ns, 'seed', 'kaniko', { follow: true, timestamps: false }));
  assert.equal(logs, 'hello from the context\na.txt\n');
  const stamped = await readAll(kubelet.logs(ns, 'seed', 'kaniko', { follow: false, timestamps: true, tailLines: 1 }));
  assert.match(stamped, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z a\.txt\n$/);
  const ready = done?.status.conditions.find((c: { type: string }) => c.type === 'Ready');
  assert.equal(ready.reason, 'PodCompleted');
  for (const message of ['Successfully assigned default/seed to sandbox-node', 'Container image "busybox:1.36" already present on machine', 'Created container: kaniko', 'Started container kaniko-init']) {
    assert.ok(store.events.some((e) => e.message === message), message);
  }
});

test('a failing main container: exit code, Error, termination message falls back to the log', async () => {
  store.createPod({
    metadata: { name: 'fails', namespace: ns },
    spec: { restartPolicy: 'Never', containers: [busybox('main', 'echo first; echo last words >&2; exit 3', { terminationMessagePolicy: 'FallbackToLogsOnError' })] },
  });
  const failed = await waitPhase('fails', 'Failed');
  const main = stateOf(failed, 'main').terminated;
  assert.equal(main?.exitCode, 3);
  assert.equal(main?.reason, 'Error');
  assert.equal(main?.message, 'first\nlast words\n');
});

test('an init container failing stops the pod before the main container', async () => {
  store.createPod({
    metadata: { name: 'init-fails', namespace: ns },
    spec: { restartPolicy: 'Never', initContainers: [busybox('init', 'exit 4')], containers: [busybox('main', 'true')] },
  });
  const failed = await waitPhase('init-fails', 'Failed');
  assert.equal(stateOf(failed, 'init').terminated?.exitCode, 4);
  assert.equal(stateOf(failed, 'main').waiting?.reason, 'PodInitializing');
});

test('activeDeadlineSeconds kills the processes: Failed, DeadlineExceeded', async () => {
  store.createPod({
    metadata: { name: 'deadline', namespace: ns },
    spec: { restartPolicy: 'Never', activeDeadlineSeconds: 1, terminationGracePeriodSeconds: 1, containers: [busybox('main', 'sleep 3600')] },
  });
  const failed = await store.waitForPod(ns, 'deadline', (p) => p?.status?.phase === 'Failed' && stateOf(p, 'main').terminated !== undefined);
  assert.equal(failed?.status.reason, 'DeadlineExceeded');
  assert.equal(failed?.status.message, 'Pod was active on the node longer than the specified deadline');
  assert.equal(stateOf(failed, 'main').terminated?.exitCode, 143);
});

/** Polls a condition that no pod change signals (a process appearing). */
async function waitUntil(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// Sleep lengths unique to this run, so that processes of other test runs on the machine never count.
const unique = 100_000 + Math.floor(Math.random() * 800_000);
const processesOf = (marker: string) =>
  execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.trim().startsWith(marker));

test('a graceful delete stops the processes, then the pod is removed', async () => {
  store.createPod({
    metadata: { name: 'deleted', namespace: ns },
    spec: { restartPolicy: 'Never', terminationGracePeriodSeconds: 1, containers: [busybox('main', `trap "" TERM; sleep ${unique}; sleep ${unique}`)] },
  });
  await waitState('deleted', 'main', 'running');
  await waitUntil(() => processesOf(`sleep ${unique}`).length > 0, 'the sleep to start');
  const started = Date.now();
  store.deletePod(ns, 'deleted', 1);
  await store.waitForPod(ns, 'deleted', (p) => p === undefined);
  assert.ok(Date.now() - started >= 900, 'SIGTERM was ignored, so the grace period ran out before SIGKILL');
  assert.deepEqual(processesOf(`sleep ${unique}`), []);
});

test('an unknown image: ErrImagePull, then ImagePullBackOff; failImagePull does the same to a known one', async () => {
  store.createPod({ metadata: { name: 'no-image', namespace: ns }, spec: { containers: [{ name: 'main', image: 'example.invalid/nothing:1' }] } });
  const pulling = await waitState('no-image', 'main', 'waiting', 'ErrImagePull');
  assert.match(String(stateOf(pulling, 'main').waiting?.message), /example\.invalid\/nothing:1/);
  const backOff = await waitState('no-image', 'main', 'waiting', 'ImagePullBackOff');
  assert.equal(stateOf(backOff, 'main').waiting?.message, 'Back-off pulling image "example.invalid/nothing:1"');
  assert.equal(backOff?.status.phase, 'Pending');
  assert.throws(() => kubelet.logs(ns, 'no-image', 'main', { follow: false, timestamps: false }), { status: 400, message: `container "main" in pod "no-image" is waiting to start: image can't be pulled` });
  kubelet.failImagePull('busybox:1.37');
  store.createPod({ metadata: { name: 'pull-fault', namespace: ns }, spec: { initContainers: [busybox('init', 'true', { image: 'busybox:1.37' })], containers: [busybox('main', 'true')] } });
  await waitState('pull-fault', 'init', 'waiting', 'ImagePullBackOff');
  // The kubelet keeps retrying: once the image can be pulled, the pod proceeds.
  kubelet.failImagePull('busybox:1.37', false);
  await waitPhase('pull-fault', 'Succeeded');
  store.deletePod(ns, 'no-image', 0);
  store.deletePod(ns, 'pull-fault', 0);
});

test('secret and configMap volumes: items, modes, subPath; a missing secret holds the pod with a FailedMount event', async () => {
  store.put('configmaps', { metadata: { name: 'settings', namespace: ns }, data: { 'a.conf': 'alpha', 'b.conf': 'beta' } });
  const mounts = [
    { name: 'cred', mountPath: '/kaniko/.docker' },
    { name: 'settings', mountPath: '/etc/settings' },
    { name: 'scratch', mountPath: '/data/only', subPath: 'nested/dir' },
  ];
  store.createPod({
    metadata: { name: 'volumes', namespace: ns },
    spec: {
      containers: [busybox('main', 'cat /kaniko/.docker/config.json; echo; stat -L -c %a /kaniko/.docker/config.json; ls /etc/settings; touch /data/only/x', { volumeMounts: mounts })],
      volumes: [
        { name: 'cred', secret: { secretName: 'regcred', defaultMode: 0o400, items: [{ key: '.dockerconfigjson', path: 'config.json' }] } },
        { name: 'settings', configMap: { name: 'settings', items: [{ key: 'b.conf', path: 'only-b.conf', mode: 0o600 }] } },
        { name: 'scratch', emptyDir: {} },
      ],
    },
  });
  const held = await waitState('volumes', 'main', 'waiting', 'ContainerCreating');
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.ok(stateOf(store.get('pods', ns, 'volumes'), 'main').waiting, 'still waiting');
  assert.equal(held?.status.phase, 'Pending');
  assert.ok(store.events.some((e) => e.type === 'Warning' && e.reason === 'FailedMount' && e.message === 'MountVolume.SetUp failed for volume "cred" : secret "regcred" not found'));
  const config = '{"auths":{"r.example":{"auth":"dTpw"}}}';
  store.put('secrets', { metadata: { name: 'regcred', namespace: ns }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': Buffer.from(config).toString('base64') } });
  await waitPhase('volumes', 'Succeeded');
  assert.equal(await readAll(kubelet.logs(ns, 'volumes', 'main', { follow: false, timestamps: false })), `${config}\n400\nonly-b.conf\n`);
});

test('stop() leaves no process, no mount and no folder', async () => {
  const local = new MemoryStore();
  const nodeDir = join(dir, 'stopping-node');
  const node = createKubelet(local, { dir: nodeDir });
  let exec: Promise<number> | undefined;
  try {
    local.createPod({ metadata: { name: 'busy', namespace: ns }, spec: { containers: [busybox('main', `sleep ${unique + 1}1`), busybox('second', `sleep ${unique + 1}2`, { volumeMounts: [{ name: 'v', mountPath: '/v' }] })], volumes: [{ name: 'v', emptyDir: {} }] } });
    await local.waitForPod(ns, 'busy', (p) => p?.status?.phase === 'Running' && statusOf(p, 'second')?.ready === true);
    await waitUntil(() => processesOf(`sleep ${unique + 1}`).length === 2, 'both containers to run sleep');
    exec = node.exec(ns, 'busy', 'main', ['sleep', `${unique + 1}3`], {});
    await waitUntil(() => processesOf(`sleep ${unique + 1}3`).length > 0, 'the exec to run sleep');
  } finally {
    await node.stop();
  }
  assert.equal(await exec, 137);
  assert.deepEqual(processesOf(`sleep ${unique + 1}`), []);
  const mountinfo = execFileSync('cat', ['/proc/self/mountinfo'], { encoding: 'utf8' });
  assert.ok(!mountinfo.includes(nodeDir), 'no mount left under the node folder');
  assert.equal(existsSync(nodeDir), false);
});

test('faults: an evicted pod fails with reason Evicted; an OOM-killed container reports OOMKilled', async () => {
  store.createPod({ metadata: { name: 'evicted', namespace: ns }, spec: { terminationGracePeriodSeconds: 1, containers: [busybox('main', 'sleep 3600')] } });
  await waitState('evicted', 'main', 'running');
  await kubelet.evictPod(ns, 'evicted');
  const evicted = store.get('pods', ns, 'evicted');
  assert.equal(evicted?.status.phase, 'Failed');
  assert.equal(evicted?.status.reason, 'Evicted');
  assert.match(String(evicted?.status.message), /low on resource/);
  assert.ok(stateOf(evicted, 'main').terminated);

  store.createPod({ metadata: { name: 'oom', namespace: ns }, spec: { containers: [busybox('main', 'sleep 3600')] } });
  await waitState('oom', 'main', 'running');
  kubelet.killContainer(ns, 'oom', 'main', 'OOMKilled');
  const killed = await waitPhase('oom', 'Failed');
  assert.deepEqual([stateOf(killed, 'main').terminated?.reason, stateOf(killed, 'main').terminated?.exitCode], ['OOMKilled', 137]);
});

test('logs: follow streams while the container runs and ends with it; sinceTime and tailLines filter', async () => {
  store.createPod({ metadata: { name: 'talker', namespace: ns }, spec: { containers: [busybox('main', 'echo one; sleep 1; echo two >&2; sleep 1; printf three')] } });
  await waitState('talker', 'main', 'running');
  const seen: { at: number; text: string }[] = [];
  const follow = kubelet.logs(ns, 'talker', 'main', { follow: true, timestamps: true });
  assert.ok(follow);
  for await (const chunk of follow) seen.push({ at: Date.now(), text: String(chunk) });
  const text = seen.map((s) => s.text).join('');
  assert.match(text, /^\S+Z one\n\S+Z two\n\S+Z three$/);
  assert.ok(seen.length >= 2 && seen.at(-1)!.at - seen[0].at >= 1500, 'lines arrived as they were written');
  assert.equal(stateOf(store.get('pods', ns, 'talker'), 'main').terminated?.exitCode, 0);
  const secondStamp = text.split('\n')[1].split(' ')[0];
  assert.equal(await readAll(kubelet.logs(ns, 'talker', 'main', { follow: false, timestamps: false, sinceTime: secondStamp })), 'two\nthree');
  assert.equal(await readAll(kubelet.logs(ns, 'talker', 'main', { follow: false, timestamps: false, tailLines: 2 })), 'two\nthree');
  assert.throws(() => kubelet.logs(ns, 'talker', 'main', { follow: false, timestamps: false, previous: true }), { status: 400 });
});

test('a lost node: processes gone, status frozen, new pods unscheduled, exec and logs unreachable', async () => {
  const local = new MemoryStore();
  const node = createKubelet(local, { dir: join(dir, 'lost-node') });
  try {
    local.createPod({ metadata: { name: 'on-node', namespace: ns }, spec: { containers: [busybox('main', `sleep ${unique + 2}`)] } });
    await local.waitForPod(ns, 'on-node', (p) => stateOf(p, 'main').running !== undefined);
    await waitUntil(() => processesOf(`sleep ${unique + 2}`).length === 1, 'the container to run sleep');
    await node.loseNode();
    assert.deepEqual(processesOf(`sleep ${unique + 2}`), []);
    assert.ok(stateOf(local.get('pods', ns, 'on-node'), 'main').running, 'the API still believes it runs');
    await assert.rejects(node.exec(ns, 'on-node', 'main', ['true'], {}), { status: 500, message: 'error dialing backend: dial tcp 127.0.0.1:10250: connect: connection refused' });
    assert.throws(() => node.logs(ns, 'on-node', 'main', { follow: true, timestamps: false }), { status: 500 });
    local.createPod({ metadata: { name: 'after-loss', namespace: ns }, spec: { containers: [busybox('main', 'true')] } });
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.equal(local.get('pods', ns, 'after-loss')?.spec.nodeName, undefined);
  } finally {
    await node.stop();
  }
});
