// Whether a build context reaches outside the workspace folder (kaniko.contextRoot with `..` or an absolute path):
// every file in it is uploaded to the cluster, so the user confirms such a folder, seeing it, before it is sent.
import { isAbsolute, relative, sep } from 'node:path';

export function contextOutsideWorkspace(contextDir: string, workspaceFolder: string | undefined): boolean {
  if (workspaceFolder === undefined) return false;
  return leavesFolder(relative(workspaceFolder, contextDir));
}

/** Whether a path relative to a folder leaves it: `..` alone or as the first segment; `..docker/x` stays inside. */
export function leavesFolder(relativePath: string): boolean {
  return relativePath === '..' || relativePath.startsWith(`..${sep}`) || relativePath.startsWith('../') || isAbsolute(relativePath);
}
