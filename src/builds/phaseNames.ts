// Localised names of the engine's phases, shared by the tree, the log and the status bar.
import type { PhaseId, PhaseState } from '../core/build/model.ts';
import type { Translate } from '../l10nTypes.ts';

export function phaseName(phase: PhaseId, t: Translate): string {
  switch (phase) {
    case 'package': return t('Package context');
    case 'preflight': return t('Check cluster');
    case 'createPod': return t('Create pod');
    case 'schedule': return t('Pull images and schedule');
    case 'upload': return t('Upload context');
    case 'build': return t('Build');
    case 'push': return t('Push');
  }
}

export function phaseStateName(state: PhaseState, t: Translate): string {
  switch (state) {
    case 'pending': return t('pending');
    case 'running': return t('running');
    case 'done': return t('done');
    case 'failed': return t('failed');
    case 'skipped': return t('skipped');
    case 'cancelled': return t('cancelled');
  }
}
