// The status bar's text for the builds of this window: spinner and step while running, digest or error after.
import { PHASES } from '../core/build/model.ts';
import type { BuildRecord } from '../builds/buildRecord.ts';
import { currentPhase, isRunning } from '../builds/buildRecord.ts';
import { phaseName } from '../builds/phaseNames.ts';
import { imageShortName, shortDigest } from '../format.ts';
import type { Translate } from '../l10nTypes.ts';

export interface StatusView {
  readonly text: string;
  readonly tooltip: string;
  /** The build a click shows; undefined shows the view. */
  readonly buildId?: string;
  readonly error: boolean;
}

function progressOf(record: BuildRecord, t: Translate): string {
  const { snapshot, totalSteps } = record;
  const phase = currentPhase(snapshot, PHASES);
  if (phase === 'build' && snapshot.steps.length > 0) {
    const step = snapshot.steps[snapshot.steps.length - 1].index + 1;
    return totalSteps && step <= totalSteps ? t('step {0}/{1}', step, totalSteps) : t('step {0}', step);
  }
  return phase ? phaseName(phase, t) : t('starting');
}

/** `records` newest first. Undefined hides the item: nothing has run yet. */
export function statusView(records: readonly BuildRecord[], t: Translate): StatusView | undefined {
  const running = records.filter((record) => isRunning(record.snapshot));
  if (running.length > 1) {
    return { text: `$(sync~spin) ${t('kaniko: {0} running', running.length)}`, tooltip: running.map((r) => r.snapshot.request.destinations[0]).join('\n'), error: false };
  }
  const record = running[0] ?? records[0];
  if (!record) return undefined;
  const shown = record.snapshot;
  const name = imageShortName(shown.request.destinations[0] ?? 'image');
  const tooltip = [shown.request.destinations.join('\n'), shown.result?.message].filter(Boolean).join('\n');
  const result = shown.result;
  if (!result) return { text: `$(sync~spin) kaniko: ${name} — ${progressOf(record, t)}`, tooltip, buildId: shown.id, error: false };
  switch (result.outcome) {
    case 'succeeded':
      return { text: `$(check) kaniko: ${name}${result.digest ? ` @${shortDigest(result.digest)}` : ''}`, tooltip, buildId: shown.id, error: false };
    case 'cancelled':
      return { text: `$(circle-slash) kaniko: ${name} — ${t('cancelled')}`, tooltip, buildId: shown.id, error: false };
    case 'failed':
      return { text: `$(error) kaniko: ${name} — ${t('failed')}`, tooltip, buildId: shown.id, error: true };
  }
}
