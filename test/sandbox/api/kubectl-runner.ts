// Runs the machine's real kubectl against a sandbox kubeconfig, for the sandbox's faithfulness tests.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export function kubectl(kubeconfig: string, args: string[], input?: string): Promise<Run> {
  return runKubectl(['--kubeconfig', kubeconfig, ...args], { input });
}

/** kubectl as a user's shell runs it: `env` replaces the environment when given (PATH is kept), `cwd` is the working folder. */
export function runKubectl(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const env = options.env ? { PATH: process.env.PATH, ...options.env } : process.env;
    const child = spawn('/usr/bin/kubectl', args, { env, ...(options.cwd ? { cwd: options.cwd } : {}), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(options.input);
  });
}

/** The STATUS column of `kubectl get pod NAME` (no headers). */
export async function podStatus(kubeconfig: string, pod: string): Promise<string> {
  const { stdout } = await kubectl(kubeconfig, ['get', 'pod', pod, '--no-headers']);
  return stdout.trim().split(/\s+/)[2] ?? '';
}

/** Polls `kubectl get pod` until the STATUS column is one of the wanted strings; returns it. */
export async function waitForStatus(kubeconfig: string, pod: string, wanted: string | string[], timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    last = await podStatus(kubeconfig, pod);
    if ([wanted].flat().includes(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return assert.fail(`pod ${pod} stayed ${last}, wanted ${wanted}`);
}

export const busyboxPod = (name: string, script: string, restartPolicy = 'Never'): string =>
  JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { restartPolicy, containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', script] }] } });
