// Credentials never leak: a known registry password and a known bearer token are searched for (plain and
// base64) in every event, log line and message, the CLI's output, and every version of the build pod the
// API server held; the pod spec is checked for hardening.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startSandbox } from '../sandbox/index.ts';
import type { Sandbox } from '../sandbox/index.ts';
import type { KubeObject } from '../sandbox/contract.ts';
import { kubectl } from '../sandbox/api/kubectl-runner.ts';
import { createRegistrySecret } from '../../src/core/engine.ts';
import type { BuildRequest } from '../../src/core/build/model.ts';
import { BUSYBOX, emittedText, makeContext, run, useSandboxBaseImages } from '../integration/helpers.ts';
import { leftovers, snapshotSecrets } from './leftovers.ts';

let sandbox: Sandbox;
let contextDir: string;
let secrets: string[];
const podVersions: KubeObject[] = [];
let unsubscribe: () => void;

before(async () => {
  sandbox = await startSandbox();
  useSandboxBaseImages(sandbox);
  contextDir = await makeContext({ Dockerfile: `FROM ${BUSYBOX}\nCOPY a.txt /a.txt\nRUN echo building\n`, 'a.txt': 'a\n' });
  await createRegistrySecret({ kubeconfig: sandbox.kubeconfigPath }, { name: 'regcred', server: sandbox.registries.tls.host, username: sandbox.registries.tls.user, password: sandbox.registries.tls.password });
  secrets = [sandbox.registries.tls.password, sandbox.tokens.admin];
  // Every version of every build pod, as the API server stored it (spec, annotations, status, messages).
  unsubscribe = sandbox.store.subscribe((event) => {
    if (event.resource === 'pods') podVersions.push(structuredClone(event.object));
  });
});
after(async () => {
  unsubscribe?.();
  await sandbox?.stop();
});

/** Fails naming only where a credential was found, never the credential itself. */
function assertClean(where: string, text: string): void {
  for (const [i, secret] of secrets.entries()) {
    for (const form of [secret, Buffer.from(secret).toString('base64'), Buffer.from(`${sandbox.registries.tls.user}:${secret}`).toString('base64')]) {
      assert.ok(!text.includes(form), `credential #${i} appeared in ${where}`);
    }
  }
}

function tlsRequest(overrides: Partial<BuildRequest> = {}): BuildRequest {
  return {
    dockerfile: join(contextDir, 'Dockerfile'), contextDir, kube: { kubeconfig: sandbox.kubeconfigPath },
    destinations: [`${sandbox.registries.tls.host}/secure/app:v1`], secretName: 'regcred', extraArgs: ['--skip-tls-verify'], ...overrides,
  };
}

test('a pushing build: events, logs, result and every pod version are free of credentials; the pod is hardened', async () => {
  const before = snapshotSecrets(sandbox);
  let live = '';
  const build = run(tlsRequest(), (event) => {
    // GET the pod through kubectl while the build runs, as a user inspecting it would.
    if (event.type === 'phase' && event.phase === 'build' && event.state === 'running') {
      const pod = build.session.snapshot().pod;
      if (pod) void kubectl(sandbox.kubeconfigPath, ['get', 'pod', pod.name, '-n', pod.namespace, '-o', 'json']).then((r) => (live = r.stdout));
    }
  });
  const result = await build.result;
  assert.equal(result.outcome, 'succeeded', result.message);
  assert.ok(build.events.some((e) => e.type === 'log' && e.source === 'kaniko'), 'kaniko log lines were seen');
  assertClean('the build events and result', emittedText(build.events));
  assert.match(live, /"kind": "Pod"/, 'kubectl got the running pod');
  assertClean('kubectl get pod -o json', live);
  const pods = podVersions.filter((p) => p.metadata.name === result.podName);
  assert.ok(pods.length > 2, 'pod versions were captured');
  assertClean('the pod objects', JSON.stringify(pods));

  const spec = pods[0].spec;
  assert.equal(spec.automountServiceAccountToken, false);
  assert.ok(!spec.hostNetwork && !spec.hostPID && !spec.hostIPC, 'no host namespaces');
  for (const volume of spec.volumes ?? []) assert.equal(volume.hostPath, undefined, `volume ${volume.name} is a hostPath`);
  for (const container of [...spec.initContainers, ...spec.containers]) {
    assert.notEqual(container.securityContext?.privileged, true, `${container.name} is privileged`);
    assert.notEqual(container.securityContext?.allowPrivilegeEscalation, true, `${container.name} may escalate`);
    for (const env of container.env ?? []) assertClean(`env ${env.name}`, JSON.stringify(env));
  }
  assert.deepEqual(await leftovers(sandbox, before), []);
});

test('a push the registry refuses: the failure message and kaniko log carry no credential', async () => {
  const before = snapshotSecrets(sandbox);
  await sandbox.faults.rejectRegistryCredentials(true);
  try {
    const build = run(tlsRequest({ destinations: [`${sandbox.registries.tls.host}/secure/denied:v1`] }));
    const result = await build.result;
    assert.equal(result.reason, 'PushUnauthorized', result.message);
    assertClean('the refused build', emittedText(build.events));
  } finally {
    await sandbox.faults.rejectRegistryCredentials(false);
  }
  assert.deepEqual(await leftovers(sandbox, before), []);
});

function cli(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['src/cli.ts', 'build', ...args], { cwd: new URL('../..', import.meta.url).pathname, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, out }));
  });
}

test('the CLI: a pushing build and a build with an expired token print no credential', async () => {
  const before = snapshotSecrets(sandbox);
  const common = ['--dockerfile', join(contextDir, 'Dockerfile'), '--secret', 'regcred', '--executor-arg=--skip-tls-verify'];
  const ok = await cli([...common, '--kubeconfig', sandbox.kubeconfigPath, '--destination', `${sandbox.registries.tls.host}/secure/cli:v1`]);
  assert.equal(ok.code, 0, ok.out);
  assert.match(ok.out, /sha256:[a-f0-9]{64}/);
  assertClean('the CLI output', ok.out);

  const user = sandbox.addUser('expiring', 'all');
  const file = join(contextDir, 'expiring.kubeconfig');
  await writeFile(file, sandbox.kubeconfigFor(user));
  sandbox.faults.expireToken(user.token);
  secrets.push(user.token);
  const denied = await cli([...common, '--kubeconfig', file, '--destination', `${sandbox.registries.tls.host}/secure/cli:v2`]);
  assert.equal(denied.code, 1, denied.out);
  assert.match(denied.out, /Unauthorized/);
  assertClean('the CLI output of a 401', denied.out);
  assert.deepEqual(await leftovers(sandbox, before), []);
});

test('a kubeconfig with a YAML error: the build and the CLI give the line and column, never the lines around it', async () => {
  // The credentials sit just above the error, where a YAML parser's excerpt would quote them.
  const token = `tok-${randomBytes(9).toString('hex')}`;
  const key = randomBytes(12).toString('base64');
  const password = `pw-${randomBytes(6).toString('hex')}`;
  secrets.push(token, key, password);
  const file = join(contextDir, 'broken.kubeconfig');
  await writeFile(file, `apiVersion: v1\nusers:\n- name: me\n  user:\n    token: ${token}\n    client-key-data: ${key}\n    password: ${password}\n    username: [unclosed\ncurrent-context: main\n`);
  const build = run(tlsRequest({ kube: { kubeconfig: file } }));
  const result = await build.result;
  assert.match(result.message, /not valid YAML: .+ at line \d+, column \d+\./);
  assertClean('the events of a build with a broken kubeconfig', `${emittedText(build.events)}\n${JSON.stringify(result)}`);
  const out = await cli(['--dockerfile', join(contextDir, 'Dockerfile'), '--kubeconfig', file, '--destination', `${sandbox.registries.tls.host}/secure/yaml:v1`]);
  assert.equal(out.code, 1, out.out);
  assert.match(out.out, /line \d+, column \d+/);
  assertClean('the CLI output for a broken kubeconfig', out.out);
});
