// Builds as an unprivileged user: the tests run as root, for whom chmod 000 denies nothing, so the
// cases about unreadable files run the engine in a child process under uid/gid 65534 (setpriv).
import { spawn } from 'node:child_process';
import { chmod, copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { BuildEvent, BuildRequest, BuildResult } from '../../src/core/build/model.ts';
import type { InputEnv } from './input-support.ts';

export const NOBODY = 65534;

export interface StartedBuild {
  readonly result: Promise<BuildResult>;
  /** Filled as events arrive (in process) or once the build ended (child process). */
  readonly events: BuildEvent[];
  cancel(): void;
}

/** A folder nobody may read, holding a copy of the sandbox kubeconfig it may read; the context opened to it. */
export async function openToNobody(env: InputEnv, contextDir: string): Promise<{ kubeconfig: string; close(): Promise<void> }> {
  const home = await mkdtemp(join(tmpdir(), 'kaniko-nobody-'));
  await chmod(home, 0o755);
  const kubeconfig = join(home, 'kubeconfig');
  await copyFile(env.sandbox.kubeconfigPath, kubeconfig);
  await chmod(kubeconfig, 0o644);
  await chmod(contextDir, 0o755);
  return { kubeconfig, close: () => rm(home, { recursive: true, force: true }) };
}

export function startAsNobody(request: BuildRequest): StartedBuild {
  const helper = fileURLToPath(new URL('./build-as-user.ts', import.meta.url));
  const home = request.kube?.kubeconfig === undefined ? tmpdir() : join(request.kube.kubeconfig, '..');
  const child = spawn('/usr/bin/setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, helper, JSON.stringify(request)], {
    stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home },
  });
  const events: BuildEvent[] = [];
  let last: { uid: number; result: BuildResult } | undefined;
  const stderr: Buffer[] = [];
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  createInterface({ input: child.stdout }).on('line', (line) => {
    const parsed = JSON.parse(line) as { event: BuildEvent } | { uid: number; result: BuildResult };
    if ('event' in parsed) events.push(parsed.event);
    else last = parsed;
  });
  const result = new Promise<BuildResult>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      if (last === undefined) reject(new Error(`the unprivileged build exited ${code} without a result: ${Buffer.concat(stderr).toString('utf8')}`));
      else if (last.uid !== NOBODY) reject(new Error(`the build ran as uid ${last.uid}, not ${NOBODY}`));
      else resolve(last.result);
    });
  });
  return { result, events, cancel: () => child.kill('SIGINT') };
}
