// The CLI in a terminal that goes away: a closed terminal (SIGHUP, its output pipes gone) or an impatient second
// Ctrl-C must not leak the build's pod.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startSandbox } from '../sandbox/index.ts';
import type { Sandbox } from '../sandbox/index.ts';
import { assertNoBuildPods, makeContext } from './helpers.ts';

let sandbox: Sandbox;
let contextDir: string;

before(async () => {
  sandbox = await startSandbox();
  contextDir = await makeContext({ Dockerfile: 'FROM scratch\nCOPY a.txt /a.txt\n', 'a.txt': 'alpha\n' });
});
after(async () => {
  await sandbox?.stop();
});

/** Starts a CLI build whose upload the API server holds back, and resolves once the CLI has named its pod. */
async function cliWithPod(): Promise<{ child: ReturnType<typeof spawn>; pod: string; stderr: () => string; exited: Promise<number | null> }> {
  sandbox.faults.delayRequests({ path: '/exec' }, 15_000);
  const args = ['src/cli.ts', 'build', '--dockerfile', join(contextDir, 'Dockerfile'), '--destination', `${sandbox.registries.plain.host}/team/signals:v1`];
  args.push('--kubeconfig', sandbox.kubeconfigPath, '--secret', '', '--executor-arg=--insecure');
  const child = spawn(process.execPath, args, { cwd: join(import.meta.dirname, '..', '..'), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  for (let i = 0; i < 300 && !/^--> pod \S+\/(\S+)$/m.test(stderr); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  const pod = /^--> pod \S+\/(\S+)$/m.exec(stderr)?.[1];
  assert.ok(pod, `the CLI named no pod:\n${stderr}`);
  return { child, pod, stderr: () => stderr, exited };
}

test('CLI: a closed terminal (SIGHUP, output pipes gone) cancels the build and deletes its pod', async () => {
  const { child, exited } = await cliWithPod();
  try {
    // What a closed terminal does: the reader of the CLI's output is gone, then the hang-up arrives.
    child.stdout!.destroy();
    child.stderr!.destroy();
    child.kill('SIGHUP');
    assert.equal(await exited, 130, 'the CLI ends as cancelled, not killed by the signal or a write error');
    await assertNoBuildPods(sandbox.kubeconfigPath);
  } finally {
    sandbox.faults.reset();
  }
});

test('CLI: a second Ctrl-C names the kubectl command for the pod and still lets the delete finish', async () => {
  const { child, pod, stderr, exited } = await cliWithPod();
  try {
    // The delete is slow to answer, so the second Ctrl-C arrives while it is in flight.
    sandbox.faults.delayRequests({ path: `/pods/${pod}`, method: 'DELETE' }, 3_000);
    child.kill('SIGINT');
    // A second SIGINT sent before the first is handled merges with it (signals do not queue): wait for the cancel.
    for (let i = 0; i < 200 && !stderr().includes('Cancelling: deleting the build pod.'); i++) await new Promise((resolve) => setTimeout(resolve, 25));
    child.kill('SIGINT');
    assert.equal(await exited, 130);
    assert.ok(stderr().includes(`kubectl delete pod ${pod} -n ${sandbox.namespace}`), stderr());
    await assertNoBuildPods(sandbox.kubeconfigPath);
  } finally {
    sandbox.faults.reset();
  }
});
