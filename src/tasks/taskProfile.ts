// A `kaniko` task definition as a build profile: paths resolved against the task's workspace folder.
import { isAbsolute, resolve } from 'node:path';
import type { BuildProfile, KanikoTaskDefinition } from '../config/settings.ts';
import type { ContextRootRule } from '../core/context/resolve-dir.ts';
import { resolveContextDir } from '../core/context/resolve-dir.ts';

export function taskProfile(definition: KanikoTaskDefinition, folder: string, contextRoot: ContextRootRule): BuildProfile {
  const absolute = (path: string): string => (isAbsolute(path) ? path : resolve(folder, path));
  const dockerfile = absolute(definition.dockerfile);
  return {
    dockerfile,
    contextDir: definition.context ? absolute(definition.context) : resolveContextDir(dockerfile, folder, contextRoot),
    destinations: definition.destinations ?? [],
    buildArgs: definition.buildArgs,
    target: definition.target,
    namespace: definition.namespace,
    extraArgs: definition.extraArgs,
  };
}
