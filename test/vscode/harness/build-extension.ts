// Builds what code-server loads: dist/ for a development run, or the VSIX a user installs.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../../scripts/code-server.ts';

export const vsixPath = join(repoRoot, 'dist', 'kaniko-build.vsix');

function npmRun(script: string): void {
  const result = spawnSync('npm', ['run', '--silent', script], { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`npm run ${script} failed (exit ${result.status ?? result.signal})`);
}

/** dist/extension.js and dist/engine.js with source maps. */
export function buildExtension(): void {
  npmRun('build');
}

const lock = join(tmpdir(), 'kaniko-build-package.lock');

/** One packaging at a time (test files run in parallel and share dist/); a lock older than 5 min is a crashed run's. */
async function withPackageLock<T>(work: () => T): Promise<T> {
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      const age = Date.now() - (existsSync(lock) ? statSync(lock).mtimeMs : Date.now());
      if (age > 5 * 60_000) rmSync(lock, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    return work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Runs `npm run package` (the production build as dist/kaniko-build.vsix) and copies the VSIX into `dir` for the caller alone. */
export async function packageVsix(dir: string): Promise<string> {
  return withPackageLock(() => {
    npmRun('package');
    if (!existsSync(vsixPath)) throw new Error(`npm run package did not produce ${vsixPath}`);
    const copy = join(dir, 'kaniko-build.vsix');
    copyFileSync(vsixPath, copy);
    return copy;
  });
}
