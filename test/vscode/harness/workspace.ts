// Fresh copies of the sample project, so a run never writes into the repository's fixture.
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../../scripts/code-server.ts';

export const sampleProject = join(repoRoot, 'test', 'fixtures', 'sample-project');

/** Copies the sample project to a new folder named `sample-project` (the folder name shows in the default image name). */
export function copySampleProject(workspaceSettings?: Record<string, unknown>): string {
  const folder = join(mkdtempSync(join(tmpdir(), 'kaniko-ws-')), 'sample-project');
  cpSync(sampleProject, folder, { recursive: true });
  if (workspaceSettings) {
    mkdirSync(join(folder, '.vscode'), { recursive: true });
    writeFileSync(join(folder, '.vscode', 'settings.json'), JSON.stringify(workspaceSettings, null, 2));
  }
  return folder;
}
