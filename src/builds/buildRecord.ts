// What the UI keeps about one build: the engine's snapshot plus the latest byte counts, which the snapshot does not carry.
// Records are plain JSON: they persist in workspaceState across reloads. The request holds no credentials, and history
// drops the values of secret-looking build arguments.
import type { BuildEvent, BuildSnapshot, PhaseId } from '../core/build/model.ts';
import { withoutSecretArgs } from '../core/build/secret-args.ts';

export interface ByteProgress {
  readonly bytes: number;
  readonly totalBytes?: number;
  readonly files?: number;
  /** When the phase's first progress event arrived, for the speed. */
  readonly since: number;
  readonly at: number;
}

export interface BuildRecord {
  readonly snapshot: BuildSnapshot;
  readonly progress: Partial<Record<'package' | 'upload', ByteProgress>>;
  /** Kube context name shown next to the namespace, when known. */
  readonly context?: string;
  /** Instructions kaniko will run, counted from the Dockerfile at start (for "step 4/9"). */
  readonly totalSteps?: number;
}

export function withProgress(record: BuildRecord, event: Extract<BuildEvent, { type: 'progress' }>, now: number): BuildRecord {
  const previous = record.progress[event.phase];
  const progress: ByteProgress = { bytes: event.bytes, totalBytes: event.totalBytes, files: event.files, since: previous?.since ?? now, at: now };
  return { ...record, progress: { ...record.progress, [event.phase]: progress } };
}

/** The record as history keeps it: without the values of secret-looking build arguments (a rebuild asks for them again). */
export function forHistory(record: BuildRecord): BuildRecord {
  const { request } = record.snapshot;
  if (!request.buildArgs) return record;
  return { ...record, snapshot: { ...record.snapshot, request: { ...request, buildArgs: withoutSecretArgs(request.buildArgs) } } };
}

export function isRunning(snapshot: BuildSnapshot): boolean {
  return snapshot.result === undefined;
}

export function namespaceOf(snapshot: BuildSnapshot): string | undefined {
  return snapshot.pod?.namespace ?? snapshot.result?.namespace ?? snapshot.request.kube?.namespace;
}

/** The phase shown as "current": the last one running, else the last one that moved. */
export function currentPhase(snapshot: BuildSnapshot, phases: readonly PhaseId[]): PhaseId | undefined {
  const running = phases.filter((phase) => snapshot.phases[phase]?.state === 'running');
  if (running.length > 0) return running[running.length - 1];
  return [...phases].reverse().find((phase) => snapshot.phases[phase] && snapshot.phases[phase].state !== 'pending');
}
