// How engine events read in a build's log (output channel and task terminal): kaniko's lines without colour,
// and one line of our own per phase change, result and context summary.
import type { BuildEvent } from '../core/build/model.ts';
import { phaseName, phaseStateName } from '../builds/phaseNames.ts';
import { formatBytes, shortDigest, stripAnsi } from '../format.ts';
import type { Translate } from '../l10nTypes.ts';

/** The log lines for one event; progress events produce none (they would flood the log). */
export function eventLines(event: BuildEvent, t: Translate): string[] {
  switch (event.type) {
    case 'log':
      return [event.source === 'kaniko' ? stripAnsi(event.line) : `[kaniko-build] ${stripAnsi(event.line)}`];
    case 'phase':
      return [`[kaniko-build] ${phaseName(event.phase, t)}: ${phaseStateName(event.state, t)}${event.detail ? ` — ${event.detail}` : ''}`];
    case 'summary': {
      const { summary } = event;
      const dirs = summary.largestDirs.map((dir) => `${dir.path || '.'} ${formatBytes(dir.bytes)}`).join(', ');
      return [
        `[kaniko-build] ${t('Context: {0} files, {1}; ignore file: {2}', summary.files, formatBytes(summary.bytes), summary.ignoreFile ?? t('none'))}`,
        ...(dirs ? [`[kaniko-build] ${t('Largest folders: {0}', dirs)}`] : []),
      ];
    }
    case 'pod':
      return [`[kaniko-build] ${t('Pod {0}/{1}', event.namespace, event.name)}`];
    case 'result': {
      const { result } = event;
      const images = (result.images ?? []).map((image) => `[kaniko-build] ${t('Pushed {0} {1}', image.reference, shortDigest(image.digest))}`);
      const fix = result.fix ? [`[kaniko-build] ${t('Fix: {0}', result.fix)}`] : [];
      return [...images, `[kaniko-build] ${result.outcome}: ${result.message}`, ...fix];
    }
    case 'step':
    case 'progress':
      return [];
  }
}
