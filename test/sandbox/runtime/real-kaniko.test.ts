// The real kaniko executor (osscontainertools/kaniko at the default image's tag) in the sandbox kubelet's kaniko
// container: base images pulled from the sandbox registry, RUN in the unpacked root, layer cache, multi-stage
// targets, build args, pushes with the regcred secret, and nothing left behind.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { kanikoExecutor, kanikoExecutorMissing } from '../../../scripts/kaniko-executor.ts';
import { createKubelet } from '../kubelet/index.ts';
import { baseImages } from '../registry/base-images.ts';
import { startRegistries, type Registries } from '../registry/index.ts';
import { inspectImage } from '../registry/inspect.ts';
import { runBuildPod } from './build-pod.ts';
import { MemoryStore } from './memory-store.ts';

const skip = kanikoExecutorMissing() ?? false;
let dir: string;
let registries: Registries;
let store: MemoryStore;
let kubelet: ReturnType<typeof createKubelet>;
const ns = 'default';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const context = ['--dockerfile=/kaniko/build-context/ctx/Dockerfile', '--context=dir:///kaniko/build-context/ctx'];
const regcred = {
  volumes: [{ name: 'docker-config', secret: { secretName: 'regcred', items: [{ key: '.dockerconfigjson', path: 'config.json' }] } }],
  volumeMounts: [{ name: 'docker-config', mountPath: '/kaniko/.docker' }],
};

before(async () => {
  if (skip) return;
  dir = await mkdtemp(join(tmpdir(), 'sandbox-real-kaniko-'));
  registries = await startRegistries(join(dir, 'registries'));
  store = new MemoryStore();
  kubelet = createKubelet(store, { dir: join(dir, 'node'), registries, kanikoExecutor: kanikoExecutor().path });
  const auth = Buffer.from(`${registries.tls.user}:${registries.tls.password}`).toString('base64');
  const dockerConfig = JSON.stringify({ auths: { [registries.tls.host]: { auth } } });
  store.put('secrets', { metadata: { name: 'regcred', namespace: ns }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': Buffer.from(dockerConfig).toString('base64') } });
});

after(async () => {
  await kubelet?.stop();
  await registries?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const busybox = () => `${registries.plain.host}/${baseImages.busybox}`;

test('push to the TLS registry with regcred: the digest file is the registry’s digest, kaniko’s history entries, the base unpacked', { skip }, async () => {
  const result = await runBuildPod(store, kubelet, {
    name: 'tls-push',
    files: { Dockerfile: `FROM ${busybox()}\nCOPY hello.txt /hello.txt\nRUN cat /hello.txt && echo done > /greeting\n`, 'hello.txt': 'hello from the context\n' },
    args: [...context, `--destination=${registries.tls.host}/team/app:v1`, '--digest-file=/dev/termination-log'],
    ...regcred,
  });
  assert.equal(result.main.exitCode, 0, result.logs);
  assert.match(result.logs, /\nhello from the context\n/, 'RUN ran in the unpacked base image');
  const image = await inspectImage(registries.tls, 'team/app', 'v1', registries.tls);
  assert.equal(result.main.message, image.digest, 'the digest file (termination message) is the registry’s digest');
  assert.ok(result.logs.includes(`Pushed ${registries.tls.host}/team/app@${image.digest}`));
  const history = image.config.history as Array<{ author?: string; created_by?: string }>;
  assert.deepEqual(history.slice(1).map((h) => [h.author, h.created_by]), [
    ['kaniko', 'COPY hello.txt /hello.txt'],
    ['kaniko', 'RUN cat /hello.txt && echo done > /greeting'],
  ]);
  assert.equal(image.files.get('greeting')?.sha256, sha256('done\n'));
  assert.equal(image.files.get('bin/busybox')?.type, 'file');
  assert.ok(!result.logs.includes(registries.tls.password), 'no credential in the log');
});

test('a second build with the layer cache on reports its steps as cached', { skip }, async () => {
  const files = { Dockerfile: `FROM ${busybox()}\nCOPY a.txt /a.txt\nRUN cat /a.txt > /copy\n`, 'a.txt': 'cache me\n' };
  const args = [...context, '--cache=true', `--cache-repo=${registries.plain.host}/cache`, `--destination=${registries.plain.host}/demo/cached:v1`];
  const cold = await runBuildPod(store, kubelet, { name: 'cache-cold', files, args });
  assert.equal(cold.main.exitCode, 0, cold.logs);
  assert.match(cold.logs, /No cached layer found for cmd RUN cat \/a.txt > \/copy/);
  const warm = await runBuildPod(store, kubelet, { name: 'cache-warm', files, args });
  assert.equal(warm.main.exitCode, 0, warm.logs);
  assert.match(warm.logs, /Using caching version of cmd: RUN cat \/a.txt > \/copy/);
  assert.match(warm.logs, /Found cached layer, extracting to filesystem/);
  assert.ok(!/Running: \[\/bin\/sh -c cat/.test(warm.logs), 'the cached RUN did not run again');
});

test('multi-stage with --target: only the target stage is built and pushed', { skip }, async () => {
  const dockerfile = `FROM ${busybox()} AS builder\nRUN echo built > /artifact\nFROM scratch AS final\nCOPY --from=builder /artifact /artifact\nFROM final AS unused\nRUN never-runs\n`;
  const result = await runBuildPod(store, kubelet, { name: 'multi', files: { Dockerfile: dockerfile }, args: [...context, '--target=final', `--destination=${registries.plain.host}/demo/multi:v1`] });
  assert.equal(result.main.exitCode, 0, result.logs);
  const image = await inspectImage(registries.plain, 'demo/multi', 'v1');
  assert.deepEqual([...image.files.keys()].filter((path) => !path.endsWith('/')), ['artifact']);
  assert.equal(image.files.get('artifact')?.sha256, sha256('built\n'));
  assert.ok(!result.logs.includes('never-runs'));
});

test('build args, including an ARG before FROM that picks the base image’s tag', { skip }, async () => {
  const [repository, tag] = baseImages.busybox.split(':');
  const dockerfile = `ARG TAG=none\nFROM ${registries.plain.host}/${repository}:\${TAG}\nARG GREETING=hi\nRUN echo "$GREETING" > /greeting\n`;
  const result = await runBuildPod(store, kubelet, {
    name: 'args',
    files: { Dockerfile: dockerfile },
    args: [...context, `--build-arg=TAG=${tag}`, '--build-arg=GREETING=bonjour', `--destination=${registries.plain.host}/demo/args:v1`],
  });
  assert.equal(result.main.exitCode, 0, result.logs);
  const image = await inspectImage(registries.plain, 'demo/args', 'v1');
  assert.equal(image.files.get('greeting')?.sha256, sha256('bonjour\n'));
});

test('a failing RUN: the executor exits with the command’s code and says so', { skip }, async () => {
  const result = await runBuildPod(store, kubelet, { name: 'fails', files: { Dockerfile: `FROM ${busybox()}\nRUN echo about to fail && exit 3\n` }, args: [...context, `--destination=${registries.plain.host}/demo/fails:v1`] });
  assert.equal(result.main.exitCode, 3);
  assert.equal(result.pod?.status.phase, 'Failed');
  assert.match(result.logs, /error building image: error building stage: failed to execute command: waiting for process to exit: exit status 3/);
});

test('a base image with a non-root USER: RUN runs as that user', { skip }, async () => {
  const dockerfile = `FROM ${registries.plain.host}/${baseImages.nonroot}\nRUN id -u > /tmp/uid\n`;
  const result = await runBuildPod(store, kubelet, { name: 'nonroot', files: { Dockerfile: dockerfile }, args: [...context, `--destination=${registries.plain.host}/demo/nonroot:v1`] });
  assert.equal(result.main.exitCode, 0, result.logs);
  const image = await inspectImage(registries.plain, 'demo/nonroot', 'v1');
  assert.equal(image.files.get('tmp/uid')?.sha256, sha256('65534\n'));
  assert.equal((image.config.config as { User?: string }).User, 'nobody');
});

test('kaniko takes its container for one without --force (its overlay root is the sign: a bind-mounted root is refused)', { skip }, async () => {
  const result = await runBuildPod(store, kubelet, { name: 'contained', files: { Dockerfile: 'FROM scratch\nCOPY Dockerfile /\n' }, args: [...context, '--no-push'] });
  assert.equal(result.main.exitCode, 0, result.logs);
  assert.ok(!/kaniko should only be run inside of a container/.test(result.logs), result.logs);
});

test('stop() leaves no process of the kaniko containers behind', { skip }, async () => {
  const node = join(dir, 'node');
  const rootedThere = async () => {
    const found: string[] = [];
    for (const pid of (await readdir('/proc')).filter((name) => /^\d+$/.test(name))) {
      const root = await readlink(`/proc/${pid}/root`).catch(() => '');
      if (root.startsWith(node)) found.push(pid);
    }
    return found;
  };
  const running = runBuildPod(store, kubelet, { name: 'stopped', files: { Dockerfile: `FROM ${busybox()}\nRUN sleep 60\n` }, args: [...context, '--no-push'] });
  running.catch(() => undefined);
  await store.waitForPod(ns, 'stopped', (p) => p?.status?.containerStatuses?.[0]?.state?.running !== undefined, 60_000);
  assert.ok((await rootedThere()).length > 0, 'kaniko runs chrooted in its container');
  await kubelet.stop();
  assert.deepEqual(await rootedThere(), []);
});
