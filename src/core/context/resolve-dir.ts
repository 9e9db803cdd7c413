// Which folder is the build context, from the setting kaniko.contextRoot.
import { dirname, resolve } from 'node:path';

/** 'workspaceFolder', 'dockerfileFolder', or a fixed folder relative to the workspace folder. */
export type ContextRootRule = 'workspaceFolder' | 'dockerfileFolder' | (string & {});

/**
 * The context folder for `dockerfile` (absolute). Without a workspace folder (a loose file)
 * the Dockerfile's own folder stands in for it.
 */
export function resolveContextDir(dockerfile: string, workspaceFolder: string | undefined, rule: ContextRootRule): string {
  const dockerfileFolder = dirname(resolve(dockerfile));
  const base = workspaceFolder === undefined ? dockerfileFolder : resolve(workspaceFolder);
  const trimmed = rule.trim();
  if (trimmed === 'dockerfileFolder') return dockerfileFolder;
  if (trimmed === 'workspaceFolder' || trimmed === '') return base;
  return resolve(base, trimmed);
}
