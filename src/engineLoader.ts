// The engine pulls in the Kubernetes client; it is imported on first use only, so activation stays small and does no cluster I/O.
// (scripts/build.mjs turns this dynamic import into the separate dist/engine.js.)
import type * as EngineModule from './core/engine.ts';
import type { KubeTarget } from './core/build/model.ts';

export type Engine = typeof EngineModule;
export type { ClusterDescription } from './core/engine.ts';

let engine: Promise<Engine> | undefined;

export function loadEngine(): Promise<Engine> {
  engine ??= import('./core/engine.ts');
  return engine;
}

type PodDeleter = (kube: KubeTarget, namespace: string, name: string) => Promise<unknown>;

/**
 * Deletes one finished build's pod (kept by the cleanup policy). The facade has no such call yet: `cancel()` is a
 * no-op once a build has ended, so until `deleteBuildPod` exists this falls back to the clean-up of finished pods.
 */
export async function deleteBuildPod(engine: Engine, kube: KubeTarget, namespace: string, name: string): Promise<void> {
  const deleter = (engine as Partial<Record<'deleteBuildPod', PodDeleter>>).deleteBuildPod;
  if (deleter) await deleter(kube, namespace, name);
  else await engine.cleanUpBuildPods({ ...kube, namespace });
}
