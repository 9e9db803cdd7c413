// Builds what code-server loads: dist/ for a development run, or the VSIX a user installs.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
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

/** The production build packaged as dist/kaniko-build.vsix (what `npm run package` ships). */
export function packageVsix(): string {
  npmRun('package');
  if (!existsSync(vsixPath)) throw new Error(`npm run package did not produce ${vsixPath}`);
  return vsixPath;
}
