// Builds without root's powers: the tests run as root, for whom chmod 000 denies nothing, so the cases
// about unreadable files run the engine in a child process in a new user namespace (`unshare -U`, as
// test/unit/context/errors.test.ts does). There it has no capability over the host's files, so their
// permission bits apply (chmod 000 denies it), while it can still read the root-owned checkout wherever
// it lies (0700 under /root included, which a real uid 65534 from setpriv could not); it sees itself
// as uid 65534.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { BuildEvent, BuildRequest, BuildResult } from '../../src/core/build/model.ts';

const NOBODY = 65534;

export interface StartedBuild {
  readonly result: Promise<BuildResult>;
  /** Filled as the events arrive. */
  readonly events: BuildEvent[];
  cancel(): void;
}

export function startUnprivileged(request: BuildRequest): StartedBuild {
  const helper = fileURLToPath(new URL('./build-as-user.ts', import.meta.url));
  const child = spawn('unshare', ['-U', process.execPath, helper, JSON.stringify(request)], { stdio: ['ignore', 'pipe', 'pipe'] });
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
