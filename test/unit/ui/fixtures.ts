// Snapshots as the engine produces them, for the pure UI helpers' tests.
import { PHASES } from '../../../src/core/build/model.ts';
import type { BuildResult, BuildSnapshot, BuildStep, PhaseId, PhaseState } from '../../../src/core/build/model.ts';
import type { BuildRecord } from '../../../src/builds/buildRecord.ts';
import type { Translate } from '../../../src/l10nTypes.ts';

/** The translator without a bundle, as VS Code behaves in English: `{n}` placeholders filled in. */
export const english: Translate = (message, ...args) => message.replace(/\{(\d+)\}/g, (whole, i: string) => (args[Number(i)] === undefined ? whole : String(args[Number(i)])));

export const T0 = 1_700_000_000_000;

export function snapshot(overrides: Partial<BuildSnapshot> & { states?: Partial<Record<PhaseId, PhaseState>> } = {}): BuildSnapshot {
  const { states = {}, ...rest } = overrides;
  const phases = Object.fromEntries(PHASES.map((phase, i) => [phase, { state: states[phase] ?? 'pending', ...(states[phase] && states[phase] !== 'pending' ? { startedAt: T0 + i * 1000 } : {}), ...(states[phase] === 'done' ? { finishedAt: T0 + i * 1000 + 500 } : {}) }]));
  return {
    id: 'b1',
    request: { dockerfile: '/ws/app/Dockerfile', contextDir: '/ws/app', destinations: ['registry.example.com:5000/team/myapp:1.0'], kube: { namespace: 'dev' } },
    startedAt: T0,
    phases: phases as BuildSnapshot['phases'],
    steps: [],
    ...rest,
  };
}

export function step(index: number, overrides: Partial<BuildStep> = {}): BuildStep {
  return { index, stage: 0, instruction: `RUN echo ${index}`, state: 'done', cached: false, startedAt: T0 + 10_000 + index * 1000, finishedAt: T0 + 10_500 + index * 1000, ...overrides };
}

export function record(snap: BuildSnapshot, extra: Partial<BuildRecord> = {}): BuildRecord {
  return { snapshot: snap, progress: {}, ...extra };
}

export const DIGEST = `sha256:${'ab12cd34'.repeat(8)}`;

export const success: BuildResult = { outcome: 'succeeded', message: 'Pushed 1 image.', digest: DIGEST, images: [{ reference: 'registry.example.com:5000/team/myapp:1.0', digest: DIGEST }], podName: 'kaniko-b1', namespace: 'dev' };

export const allDone: Partial<Record<PhaseId, PhaseState>> = Object.fromEntries(PHASES.map((phase) => [phase, 'done']));
