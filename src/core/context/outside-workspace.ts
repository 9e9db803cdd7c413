// Whether a build context reaches outside the workspace folder (kaniko.contextRoot with `..` or an absolute path):
// every file in it is uploaded to the cluster, so the user confirms such a folder, seeing it, before it is sent.
import { isAbsolute, relative } from 'node:path';

export function contextOutsideWorkspace(contextDir: string, workspaceFolder: string | undefined): boolean {
  if (workspaceFolder === undefined) return false;
  const path = relative(workspaceFolder, contextDir);
  // `..` alone or as the first segment leaves the folder; a folder named `..docker` inside it does not.
  return path === '..' || path.startsWith('../') || path.startsWith('..\\') || isAbsolute(path);
}
