// The status bar's text for the builds of this window: spinner and step while running, digest or error after.
import { PHASES } from '../core/build/model.ts';
import type { BuildSnapshot } from '../core/build/model.ts';
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

function progressOf(snapshot: BuildSnapshot, t: Translate): string {
  const phase = currentPhase(snapshot, PHASES);
  if (phase === 'build' && snapshot.steps.length > 0) {
    const step = snapshot.steps[snapshot.steps.length - 1];
    return t('step {0}', step.index + 1);
  }
  return phase ? phaseName(phase, t) : t('starting');
}

/** `snapshots` newest first. Undefined hides the item: nothing has run yet. */
export function statusView(snapshots: readonly BuildSnapshot[], t: Translate): StatusView | undefined {
  const running = snapshots.filter(isRunning);
  if (running.length > 1) {
    return { text: `$(sync~spin) ${t('kaniko: {0} running', running.length)}`, tooltip: running.map((s) => s.request.destinations[0]).join('\n'), error: false };
  }
  const shown = running[0] ?? snapshots[0];
  if (!shown) return undefined;
  const name = imageShortName(shown.request.destinations[0] ?? 'image');
  const tooltip = [shown.request.destinations.join('\n'), shown.result?.message].filter(Boolean).join('\n');
  const result = shown.result;
  if (!result) return { text: `$(sync~spin) kaniko: ${name} — ${progressOf(shown, t)}`, tooltip, buildId: shown.id, error: false };
  switch (result.outcome) {
    case 'succeeded':
      return { text: `$(check) kaniko: ${name}${result.digest ? ` @${shortDigest(result.digest)}` : ''}`, tooltip, buildId: shown.id, error: false };
    case 'cancelled':
      return { text: `$(circle-slash) kaniko: ${name} — ${t('cancelled')}`, tooltip, buildId: shown.id, error: false };
    case 'failed':
      return { text: `$(error) kaniko: ${name} — ${t('failed')}`, tooltip, buildId: shown.id, error: true };
  }
}
