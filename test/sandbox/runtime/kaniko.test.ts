// The kaniko stand-in in the kaniko container: real builds with buildah, real pushes, kaniko's messages and exit codes.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { after, before, test } from 'node:test';
import { createKubelet } from '../kubelet/index.ts';
import { startRegistries, type Registries } from '../registry/index.ts';
import { inspectImage } from '../registry/inspect.ts';
import { runBuildPod } from './build-pod.ts';
import { MemoryStore } from './memory-store.ts';

let dir: string;
let registries: Registries;
let store: MemoryStore;
let kubelet: ReturnType<typeof createKubelet>;
const ns = 'default';
const internalRegistry = 'image-registry.openshift-image-registry.svc:5000';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const context = (path = 'ctx') => [`--dockerfile=/kaniko/build-context/${path}/Dockerfile`, `--context=dir:///kaniko/build-context/${path}`];

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sandbox-kaniko-test-'));
  registries = await startRegistries(join(dir, 'registries'));
  store = new MemoryStore();
  kubelet = createKubelet(store, { dir: join(dir, 'node'), registries, openshiftRegistryHost: internalRegistry });
  // The TLS registry's credentials and CA, as the extension would mount them.
  const auth = Buffer.from(`${registries.tls.user}:${registries.tls.password}`).toString('base64');
  const dockerConfig = JSON.stringify({ auths: { [registries.tls.host]: { auth } } });
  store.put('secrets', { metadata: { name: 'regcred', namespace: ns }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': Buffer.from(dockerConfig).toString('base64') } });
  store.put('configmaps', { metadata: { name: 'registry-ca', namespace: ns }, data: { 'ca.crt': registries.tls.caPem } });
});

after(async () => {
  await kubelet?.stop();
  await registries?.stop();
  await rm(dir, { recursive: true, force: true });
});

const credentials = {
  volumes: [
    { name: 'docker-config', secret: { secretName: 'regcred', items: [{ key: '.dockerconfigjson', path: 'config.json' }] } },
    { name: 'ca', configMap: { name: 'registry-ca' } },
  ],
  volumeMounts: [
    { name: 'docker-config', mountPath: '/kaniko/.docker' },
    { name: 'ca', mountPath: '/kaniko/registry-ca' },
  ],
};

test('FROM scratch + COPY of a multi-file context lands in the plain registry; the digest file matches the manifest', async () => {
  const files = { Dockerfile: 'FROM scratch\nCOPY . /app/\n', 'src/main.txt': 'main\n', 'src/deep/data.bin': 'x'.repeat(5000), 'secret.env': 'TOKEN=1\n', '.dockerignore': 'secret.env\n' };
  const result = await runBuildPod(store, kubelet, {
    name: 'scratch-build',
    files,
    args: [...context(), `--destination=${registries.plain.host}/demo/scratch:v1`, '--insecure', '--digest-file=/dev/termination-log', '--log-format=text'],
  });
  assert.equal(result.main.exitCode, 0, result.logs);
  assert.match(result.logs, /level=info msg="Skipping unpacking as no commands require it."/);
  assert.match(result.logs, /level=info msg="COPY \. \/app\/"/);
  assert.match(result.logs, new RegExp(`msg="Pushed ${registries.plain.host}/demo/scratch@sha256:[0-9a-f]{64}"`));
  const image = await inspectImage(registries.plain, 'demo/scratch', 'v1');
  assert.equal(result.main.message, image.digest);
  assert.equal(image.files.get('app/src/main.txt')?.sha256, sha256('main\n'));
  assert.equal(image.files.get('app/src/deep/data.bin')?.sha256, sha256('x'.repeat(5000)));
  assert.equal(image.files.has('app/secret.env'), false, '.dockerignore honoured');
});

test('RUN on the busybox base, pushed to the TLS registry with credentials and a registry certificate, and to the plain one', async () => {
  const result = await runBuildPod(store, kubelet, {
    name: 'run-build',
    files: { Dockerfile: 'FROM busybox:1.36\nARG GREETING=hi\nCOPY hello.txt /hello.txt\nRUN cat /hello.txt && echo "$GREETING" > /greeting\n', 'hello.txt': 'hello from the context\n' },
    args: [
      ...context(),
      `--destination=${registries.tls.host}/team/app:v2`,
      `--destination=${registries.plain.host}/team/app:v2`,
      `--insecure-registry=${registries.plain.host}`,
      `--registry-certificate=${registries.tls.host}=/kaniko/registry-ca/ca.crt`,
      '--build-arg=GREETING=bonjour',
      '--digest-file=/dev/termination-log',
    ],
    ...credentials,
  });
  assert.equal(result.main.exitCode, 0, result.logs);
  const esc = '\u001b';
  assert.match(result.logs, new RegExp(`${esc}\\[36mINFO${esc}\\[0m\\[\\d{4}\\] Retrieving image manifest busybox:1\\.36 {7}\n`), 'logrus pads the message to 44 characters and adds a space');
  assert.match(result.logs, /Unpacking rootfs as cmd RUN cat \/hello.txt && echo "\$GREETING" > \/greeting requires it\./);
  assert.match(result.logs, /\nhello from the context\n/, 'RUN output passes through raw');
  assert.match(result.logs, new RegExp(`Pushing image to ${registries.tls.host}/team/app:v2`));
  const secure = await inspectImage(registries.tls, 'team/app', 'v2', registries.tls);
  const plain = await inspectImage(registries.plain, 'team/app', 'v2');
  assert.equal(result.main.message, secure.digest);
  assert.equal(plain.digest, secure.digest);
  assert.equal(secure.files.get('greeting')?.sha256, sha256('bonjour\n'));
  assert.equal(secure.files.get('bin/busybox')?.type, 'file');
  assert.ok(!result.logs.includes(registries.tls.password), 'no credential in the log');
});

test('a failing RUN exits with its own code and kaniko’s message', async () => {
  const result = await runBuildPod(store, kubelet, {
    name: 'run-fails',
    files: { Dockerfile: 'FROM busybox\nRUN echo about to fail && exit 3\n' },
    args: [...context(), `--destination=${registries.plain.host}/demo/fails:v1`, '--insecure'],
  });
  assert.equal(result.main.exitCode, 3);
  assert.equal(result.pod?.status.phase, 'Failed');
  assert.match(result.logs, /about to fail\n/);
  assert.match(result.logs, /error building image: error building stage: failed to execute command: waiting for process to exit: exit status 3\n$/);
});

test('push permission: UNAUTHORIZED without or with rejected credentials, x509 without the CA, nothing pushed', async () => {
  const destination = `${registries.tls.host}/team/denied:v1`;
  const common = [...context(), `--destination=${destination}`, `--registry-certificate=${registries.tls.host}=/kaniko/registry-ca/ca.crt`];
  const files = { Dockerfile: 'FROM scratch\nCOPY . /\n', 'a.txt': 'a' };
  const anonymous = await runBuildPod(store, kubelet, { name: 'no-credentials', files, args: common, volumes: [credentials.volumes[1]], volumeMounts: [credentials.volumeMounts[1]] });
  assert.equal(anonymous.main.exitCode, 1);
  const prefix = `error checking push permissions: checking push permission for "${destination}": `;
  assert.match(anonymous.logs, /WARN.*\[\d{4}\] make sure you entered the correct tag name, that you are authenticated correctly, and try again\./);
  assert.ok(anonymous.logs.includes(prefix), anonymous.logs);
  assert.match(anonymous.logs, /UNAUTHORIZED: authentication required/);

  await registries.rejectCredentials(true);
  try {
    const rejected = await runBuildPod(store, kubelet, { name: 'rejected-credentials', files, args: common, ...credentials });
    assert.equal(rejected.main.exitCode, 1);
    assert.match(rejected.logs, /checking push permission for .*UNAUTHORIZED/);
  } finally {
    await registries.rejectCredentials(false);
  }

  const untrusted = await runBuildPod(store, kubelet, { name: 'no-ca', files, args: [...context(), `--destination=${destination}`], ...credentials });
  assert.equal(untrusted.main.exitCode, 1);
  assert.match(untrusted.logs, /x509: certificate signed by unknown authority/);
  await assert.rejects(inspectImage(registries.tls, 'team/denied', 'v1', registries.tls), /404/);

  const elsewhere = await runBuildPod(store, kubelet, { name: 'public-destination', files, args: [...context(), '--destination=docker.io/someone/app:v1'] });
  assert.equal(elsewhere.main.exitCode, 1);
  assert.match(elsewhere.logs, /checking push permission for "docker\.io\/someone\/app:v1": Get "https:\/\/index\.docker\.io\/v2\/": dial tcp: lookup index\.docker\.io: no such host\n$/);
});

test('command-line errors: missing Dockerfile, unknown flag, no destination', async () => {
  const files = { 'not-a-dockerfile.txt': 'x' };
  const missing = await runBuildPod(store, kubelet, { name: 'no-dockerfile', files, args: [...context(), `--destination=${registries.plain.host}/demo/x:v1`] });
  assert.equal(missing.main.exitCode, 1);
  assert.match(missing.logs, /^Error: error resolving dockerfile path: please provide a valid path to a Dockerfile within the build context with --dockerfile\n/);
  const unknown = await runBuildPod(store, kubelet, { name: 'unknown-flag', files, args: ['--nope'] });
  assert.equal(unknown.main.exitCode, 1);
  assert.match(unknown.logs, /^Error: unknown flag: --nope\n/);
  const nowhere = await runBuildPod(store, kubelet, { name: 'no-destination', files: { Dockerfile: 'FROM scratch\n' }, args: context() });
  assert.match(nowhere.logs, /^Error: you must provide --destination, or use --no-push\n/);
  const offline = await runBuildPod(store, kubelet, { name: 'public-base', files: { Dockerfile: 'FROM alpine:3.20\nRUN true\n' }, args: [...context(), '--no-push'] });
  assert.equal(offline.main.exitCode, 1);
  assert.match(offline.logs, /Retrieving image manifest alpine:3\.20 +\n.*error building image: .*Get "https:\/\/index\.docker\.io\/v2\/": dial tcp: lookup index\.docker\.io: no such host\n$/s);
});

test('OpenShift: the internal registry name maps to the TLS registry; credentials and certificate go by that name', async () => {
  const auth = Buffer.from(`${registries.tls.user}:${registries.tls.password}`).toString('base64');
  const dockerConfig = JSON.stringify({ auths: { [internalRegistry]: { auth } } });
  store.put('secrets', { metadata: { name: 'builder-push', namespace: ns }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': Buffer.from(dockerConfig).toString('base64') } });
  const result = await runBuildPod(store, kubelet, {
    name: 'openshift-build',
    files: { Dockerfile: 'FROM scratch\nCOPY app.txt /app.txt\n', 'app.txt': 'on openshift\n' },
    args: [...context(), `--destination=${internalRegistry}/myproject/app:latest`, `--registry-certificate=${internalRegistry}=/kaniko/registry-ca/ca.crt`, '--digest-file=/dev/termination-log'],
    volumes: [{ name: 'docker-config', secret: { secretName: 'builder-push', items: [{ key: '.dockerconfigjson', path: 'config.json' }] } }, credentials.volumes[1]],
    volumeMounts: credentials.volumeMounts,
  });
  assert.equal(result.main.exitCode, 0, result.logs);
  assert.match(result.logs, new RegExp(`Pushed ${internalRegistry.replace(/\./g, '\\.')}/myproject/app@sha256:`));
  const image = await inspectImage(registries.tls, 'myproject/app', 'latest', registries.tls);
  assert.equal(image.digest, result.main.message);
  assert.equal(image.files.get('app.txt')?.sha256, sha256('on openshift\n'));
});

test('tar://stdin: the executor run by exec in a kaniko container reads a gzip context from stdin', async () => {
  store.createPod({ metadata: { name: 'stdin-build', namespace: ns }, spec: { containers: [{ name: 'kaniko', image: 'gcr.io/kaniko-project/executor:v1.24.0', command: ['sh', '-c', 'sleep 60'] }] } });
  await store.waitForPod(ns, 'stdin-build', (p) => p?.status?.containerStatuses?.[0]?.state?.running !== undefined);
  const source = await mkdtemp(join(dir, 'stdin-context-'));
  await writeFile(join(source, 'Dockerfile'), 'FROM scratch\nCOPY . /ctx/\n');
  await writeFile(join(source, 'data.txt'), 'streamed\n');
  const tarball = execFileSync('tar', ['-czf', '-', '-C', source, '.']);
  const output: Buffer[] = [];
  const sink = new PassThrough();
  sink.on('data', (chunk: Buffer) => output.push(chunk));
  const code = await kubelet.exec(ns, 'stdin-build', 'kaniko', ['/kaniko/executor', '--context=tar://stdin', `--destination=${registries.plain.host}/demo/stdin:v1`, '--insecure', '--image-name-with-digest-file=/workspace/name.txt'], { stdin: Readable.from([tarball]), stdout: sink, stderr: sink });
  assert.equal(code, 0, Buffer.concat(output).toString());
  const image = await inspectImage(registries.plain, 'demo/stdin', 'v1');
  assert.equal(image.files.get('ctx/data.txt')?.sha256, sha256('streamed\n'));
  const named = new PassThrough();
  const nameChunks: Buffer[] = [];
  named.on('data', (chunk: Buffer) => nameChunks.push(chunk));
  assert.equal(await kubelet.exec(ns, 'stdin-build', 'kaniko', ['cat', '/workspace/name.txt'], { stdout: named }), 0);
  assert.equal(Buffer.concat(nameChunks).toString(), `${registries.plain.host}/demo/stdin@${image.digest}\n`);
  store.deletePod(ns, 'stdin-build', 0);
});

test('a registry answering 500 to the push: kaniko fails, or succeeds after --push-retry', async () => {
  const files = { Dockerfile: 'FROM scratch\nCOPY a.txt /a.txt\n', 'a.txt': 'retry me\n' };
  const args = [...context(), `--destination=${registries.plain.host}/demo/flaky:v1`, '--insecure'];
  registries.failPushes(1);
  const failed = await runBuildPod(store, kubelet, { name: 'push-500', files, args });
  assert.equal(failed.main.exitCode, 1);
  assert.match(failed.logs, new RegExp(`error pushing image: failed to push to destination ${registries.plain.host}/demo/flaky:v1: .*500`));
  registries.failPushes(1);
  const retried = await runBuildPod(store, kubelet, { name: 'push-retry', files, args: [...args, '--push-retry=2'] });
  assert.equal(retried.main.exitCode, 0, retried.logs);
  assert.match(retried.logs, /WARN.*Retrying operation after 1s due to .*500/);
  assert.equal((await inspectImage(registries.plain, 'demo/flaky', 'v1')).files.get('a.txt')?.sha256, sha256('retry me\n'));
});

test('multi-stage with --target and --label, json logs; --no-push still writes the digest', async () => {
  const dockerfile = 'FROM busybox AS builder\nRUN echo built > /artifact\nFROM scratch AS final\nCOPY --from=builder /artifact /artifact\nFROM final AS unused\nCOPY extra.txt /extra.txt\n';
  const result = await runBuildPod(store, kubelet, {
    name: 'multi-stage',
    files: { Dockerfile: dockerfile, 'extra.txt': 'x' },
    args: [...context(), `--destination=${registries.plain.host}/demo/multi:v1`, '--insecure', '--target=final', '--label=org.example.team=sandbox', '--log-format=json'],
  });
  assert.equal(result.main.exitCode, 0, result.logs);
  const messages = result.logs
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { level: string; msg: string; time: string });
  assert.ok(messages.every((m) => m.level && m.time));
  assert.ok(messages.some((m) => m.msg === "Building stage 'busybox' [idx: '0', base-idx: '-1']"));
  assert.ok(messages.some((m) => m.msg === "Building stage 'scratch' [idx: '1', base-idx: '-1']"));
  const image = await inspectImage(registries.plain, 'demo/multi', 'v1');
  assert.equal(image.files.get('artifact')?.sha256, sha256('built\n'));
  assert.equal(image.files.has('extra.txt'), false, 'the stage after --target is not built');
  assert.equal(image.config.config?.Labels?.['org.example.team'], 'sandbox');

  const local = await runBuildPod(store, kubelet, { name: 'no-push', files: { Dockerfile: 'FROM scratch\nCOPY extra.txt /\n', 'extra.txt': 'x' }, args: [...context(), '--no-push', '--digest-file=/dev/termination-log'] });
  assert.equal(local.main.exitCode, 0, local.logs);
  assert.match(local.logs, /Skipping push to container registry due to --no-push flag/);
  assert.match(String(local.main.message), /^sha256:[0-9a-f]{64}$/);
});
