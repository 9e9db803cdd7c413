// `npm run sandbox` and startSandbox(): what they print, OpenShift mode through kubectl, and a stop that leaves
// no folder, no kubeconfig and no listening port behind.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { kanikoExecutorMissing } from '../../scripts/kaniko-executor.ts';
import { kubectl } from './api/kubectl-runner.ts';
import { startSandbox } from './index.ts';

const root = new URL('../..', import.meta.url).pathname;

function portOpen(host: string): Promise<boolean> {
  const [hostname, port] = host.split(':');
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

test('npm run sandbox prints where everything is, then ready, and stops everything on SIGTERM', async () => {
  const work = await mkdtemp(join(tmpdir(), 'sandbox-cli-test-'));
  const kubeconfig = join(work, 'kubeconfig');
  const child = spawn(process.execPath, ['test/sandbox/cli.ts', '--kubeconfig', kubeconfig], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const lines: string[] = [];
    for await (const line of createInterface({ input: child.stdout })) {
      lines.push(line);
      if (line === 'ready') break;
    }
    assert.deepEqual(lines.map((line) => line.split(':')[0]), ['kubeconfig', 'registry', 'registry-tls', 'registry-user', 'registry-password', 'registry-ca', 'kaniko-executor', 'ready']);
    const info = Object.fromEntries(lines.slice(0, -1).map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]));
    assert.equal(info.kubeconfig, kubeconfig);
    assert.match(info.registry, /^127\.0\.0\.1:\d+$/);
    assert.match(await readFile(info['registry-ca'], 'utf8'), /BEGIN CERTIFICATE/);
    // The real executor's path, or why the stand-in runs (the same answer the sandbox's own check gives).
    const missing = kanikoExecutorMissing();
    if (missing) assert.equal(info['kaniko-executor'], `none, the buildah stand-in runs (${missing})`);
    else assert.ok(existsSync(info['kaniko-executor']), info['kaniko-executor']);
    const server = /server: "https:\/\/(127\.0\.0\.1:\d+)"/.exec(await readFile(kubeconfig, 'utf8'))?.[1] as string;
    assert.equal((await kubectl(kubeconfig, ['get', 'pods'])).code, 0);
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.equal(existsSync(kubeconfig), false);
    for (const host of [server, info.registry, info['registry-tls']]) assert.equal(await portOpen(host), false, `${host} still listening`);
  } finally {
    child.kill('SIGKILL');
    await rm(work, { recursive: true, force: true });
  }
});

test('OpenShift mode through kubectl: SCC refuses a pod asking for root until anyuid is granted; stop leaves nothing behind', async () => {
  const sandbox = await startSandbox({ openshift: true });
  try {
    const file = join(sandbox.dir, 'root-pod.json');
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { generateName: 'kaniko-' }, spec: { restartPolicy: 'Never', containers: [{ name: 'kaniko', image: 'busybox', command: ['true'], securityContext: { runAsUser: 0 } }] } };
    await writeFile(file, JSON.stringify(pod));
    const refused = await kubectl(sandbox.kubeconfigPath, ['create', '-f', file, '--validate=false']);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /Error from server \(Forbidden\): error when creating ".*root-pod\.json": pods "kaniko-" is forbidden: unable to validate against any security context constraint: \[/);
    sandbox.grantAnyuid(sandbox.namespace, 'default');
    const created = await kubectl(sandbox.kubeconfigPath, ['create', '-f', file, '--validate=false']);
    assert.match(created.stdout, /^pod\/kaniko-[a-z0-9]{5} created/, created.stderr);
    const apis = await kubectl(sandbox.kubeconfigPath, ['api-versions']);
    assert.match(apis.stdout, /image\.openshift\.io\/v1/);
  } finally {
    await sandbox.stop();
  }
  assert.equal(existsSync(sandbox.dir), false);
  for (const host of [sandbox.server.replace('https://', ''), sandbox.registries.plain.host, sandbox.registries.tls.host]) assert.equal(await portOpen(host), false);
});
