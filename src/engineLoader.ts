// The engine pulls in the Kubernetes client; it is imported on first use only, so activation stays small and does no cluster I/O.
// (scripts/build.mjs turns this dynamic import into the separate dist/engine.js.)
import type * as EngineModule from './core/engine.ts';

export type Engine = typeof EngineModule;
export type { ClusterDescription } from './core/engine.ts';

let engine: Promise<Engine> | undefined;

export function loadEngine(): Promise<Engine> {
  engine ??= import('./core/engine.ts');
  return engine;
}
