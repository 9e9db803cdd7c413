// The cancellable notification shown while the context is packaged and uploaded.
import * as vscode from 'vscode';
import type { BuildEvent, BuildSession } from '../core/build/model.ts';
import { phaseName } from './phaseNames.ts';
import { formatBytes } from '../format.ts';

const TRANSFER_DONE = new Set(['done', 'failed', 'skipped', 'cancelled']);

export function showTransferProgress(session: BuildSession, image: string): void {
  void vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Kaniko: {0}', image), cancellable: true },
    (progress, token) =>
      new Promise<void>((resolve) => {
        let lastPercent = 0;
        const finish = (): void => {
          unsubscribe();
          cancel.dispose();
          resolve();
        };
        const onEvent = (event: BuildEvent): void => {
          if (event.type === 'phase' && (event.phase === 'package' || event.phase === 'upload') && event.state === 'running') {
            progress.report({ message: phaseName(event.phase, vscode.l10n.t) });
          } else if (event.type === 'progress') {
            const total = event.totalBytes ? ` / ${formatBytes(event.totalBytes)}` : '';
            const percent = event.totalBytes ? Math.min(100, (event.bytes / event.totalBytes) * 100) : lastPercent;
            progress.report({ message: `${phaseName(event.phase, vscode.l10n.t)}: ${formatBytes(event.bytes)}${total}`, increment: event.phase === 'upload' ? percent - lastPercent : undefined });
            if (event.phase === 'upload') lastPercent = percent;
          } else if ((event.type === 'phase' && event.phase === 'upload' && TRANSFER_DONE.has(event.state)) || event.type === 'result') {
            finish();
          }
        };
        const unsubscribe = session.onEvent(onEvent);
        const cancel = token.onCancellationRequested(() => void session.cancel());
        void session.done.finally(finish);
      }),
  );
}
