// The kubelet emulator runs pods as real processes with real container paths; driven here through a Map-based store.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
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
});
