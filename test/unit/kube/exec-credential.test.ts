// Exec credential plugins run by the engine itself: real shell-script plugins, a cancel that kills a
// hanging one (and its children) by process group, a shared run for concurrent requests, expiry.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClusterEntry } from '../../../src/core/kube/kubeconfig.ts';
import { startBuild } from '../../../src/core/engine.ts';
import { execCredential, forgetExecCredential } from '../../../src/core/kube/execCredential.ts';
import { connect } from '../../../src/core/kube/kubeconfig.ts';
import { kubeRequest } from '../../../src/core/kube/transport.ts';
import { localKubeconfig } from './local-kubeconfig.ts';

let dir: string;
let serial = 0;
const cluster: ClusterEntry = { name: 'c', server: 'https://127.0.0.1:1', insecureSkipTlsVerify: false, disableCompression: false };

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'kaniko-exec-plugin-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** A plugin script; each gets its own path, so the credential cache never mixes two tests. */
function plugin(body: string): { command: string; pids: string } {
  const name = `plugin-${++serial}`;
  const command = join(dir, `${name}.sh`);
  const pids = join(dir, `${name}.pids`);
  writeFileSync(command, `#!/bin/sh\nPIDS=${pids}\n${body}\n`);
  chmodSync(command, 0o755);
  return { command, pids };
}

const credential = (token: string, expires?: string, apiVersion = 'client.authentication.k8s.io/v1'): string =>
  `echo '${JSON.stringify({ apiVersion, kind: 'ExecCredential', status: { token, ...(expires ? { expirationTimestamp: expires } : {}) } })}'`;

/** The plugin's shell and its `sleep` child: both must be killed, not only the process we spawned. */
const HANG = 'sleep 60 &\necho "$$ $!" > "$PIDS"\nwait';

/** Running or sleeping; a zombie has ended (this machine's init may reap orphans only seconds later). */
function alive(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0] !== 'Z';
  } catch {
    return false;
  }
}

async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function pidsOf(file: string): Promise<number[]> {
  let text = '';
  await until(() => {
    try {
      text = readFileSync(file, 'utf8');
      return text.trim().split(/\s+/).length === 2;
    } catch {
      return false;
    }
  }, 'the plugin to start');
  return text.trim().split(/\s+/).map(Number);
}

test('a hanging plugin is killed with its children when the request is cancelled', async () => {
  const { command, pids } = plugin(HANG);
  const abort = new AbortController();
  const waiting = execCredential({ command }, cluster, abort.signal);
  const [shell, sleep] = await pidsOf(pids);
  assert.ok(alive(shell) && alive(sleep), 'the plugin runs');
  abort.abort(new Error('cancelled'));
  await assert.rejects(waiting, /cancelled/);
  await until(() => !alive(shell) && !alive(sleep), `plugin processes ${shell} and ${sleep} to end`);
});

test('through the transport: a request waiting for a hanging plugin ends on cancel, and the plugin is gone', async () => {
  const { command, pids } = plugin(HANG);
  const kubeconfig = join(dir, 'hang.kubeconfig');
  writeFileSync(kubeconfig, localKubeconfig(1, `\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: ${command}\n      interactiveMode: Never`));
  const abort = new AbortController();
  const request = kubeRequest(connect({ kubeconfig }), '/version', { signal: abort.signal });
  const [shell, sleep] = await pidsOf(pids);
  const started = Date.now();
  abort.abort(new Error('cancelled by the user'));
  await assert.rejects(request, /cancelled by the user/);
  assert.ok(Date.now() - started < 1000, 'the request ended at once');
  await until(() => !alive(shell) && !alive(sleep), 'the plugin processes to end');
});

test('a build waiting in preflight for a hanging plugin: Cancel ends it at once and the plugin is gone', async () => {
  const { command, pids } = plugin(HANG);
  const kubeconfig = join(dir, 'build-hang.kubeconfig');
  // The plugin is asked before anything is sent, so the server address is never contacted.
  writeFileSync(kubeconfig, localKubeconfig(1, `\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: ${command}\n      interactiveMode: Never`));
  const contextDir = join(dir, 'context');
  mkdirSync(contextDir);
  writeFileSync(join(contextDir, 'Dockerfile'), 'FROM scratch\n');
  const session = startBuild({ dockerfile: join(contextDir, 'Dockerfile'), contextDir, kube: { kubeconfig }, destinations: ['registry.invalid/team/app:1'], secretName: '' });
  const [shell, sleep] = await pidsOf(pids);
  const started = Date.now();
  await session.cancel();
  assert.equal((await session.done).outcome, 'cancelled');
  assert.ok(Date.now() - started < 2000, 'the build ended at once');
  await until(() => !alive(shell) && !alive(sleep), 'the plugin processes to end');
});

test('concurrent requests share one run; one cancelling does not kill it for the others', async () => {
  const { command, pids } = plugin(`echo run >> "$PIDS.runs"\nsleep 0.5\n${credential('shared')}`);
  const abort = new AbortController();
  const first = execCredential({ command }, cluster, abort.signal);
  const second = execCredential({ command }, cluster, new AbortController().signal);
  abort.abort(new Error('first cancelled'));
  await assert.rejects(first, /first cancelled/);
  assert.equal((await second).token, 'shared');
  assert.equal((await execCredential({ command }, cluster)).token, 'shared', 'cached');
  assert.equal(readFileSync(`${pids}.runs`, 'utf8'), 'run\n', 'the plugin ran once');
});

test('an expired credential runs the plugin again; KUBERNETES_EXEC_INFO and the env entries reach it', async () => {
  const { command, pids } = plugin(`echo "$KUBERNETES_EXEC_INFO $EXTRA" >> "$PIDS.runs"\n${credential('old', '2000-01-01T00:00:00Z', 'client.authentication.k8s.io/v1beta1')}`);
  const exec = { command, env: [{ name: 'EXTRA', value: 'from-kubeconfig' }], apiVersion: 'client.authentication.k8s.io/v1beta1' };
  assert.equal((await execCredential(exec, cluster)).token, 'old');
  await execCredential(exec, cluster);
  const runs = readFileSync(`${pids}.runs`, 'utf8').trim().split('\n');
  assert.equal(runs.length, 2);
  assert.equal(runs[0], '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","spec":{"interactive":false}} from-kubeconfig');
});

test('a credential the server refused is forgotten: the next request runs the plugin again', async () => {
  const { command, pids } = plugin(`echo run >> "$PIDS.runs"\n${credential('refused')}`);
  await execCredential({ command }, cluster);
  await execCredential({ command }, cluster);
  forgetExecCredential({ command }, cluster);
  await execCredential({ command }, cluster);
  assert.equal(readFileSync(`${pids}.runs`, 'utf8'), 'run\nrun\n');
});

test('a failing plugin reports its stderr; one that prints no ExecCredential says so', async () => {
  await assert.rejects(execCredential({ command: plugin('echo "sso session expired: run mylogin" >&2; exit 1').command }, cluster), /sso session expired: run mylogin/);
  await assert.rejects(execCredential({ command: plugin('echo hello').command }, cluster), /did not print a usable ExecCredential: its output is not JSON/);
});
