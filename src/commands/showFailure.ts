// A failed build as a notification in plain words, with buttons for the fix.
import * as vscode from 'vscode';
import type { BuildResult } from '../core/build/model.ts';
import { failureActions, headline, settingFor } from './failureActions.ts';
import type { FailureAction } from './failureActions.ts';

function label(action: FailureAction): string {
  switch (action) {
    case 'showLog': return vscode.l10n.t('Show Log');
    case 'copyFix': return vscode.l10n.t('Copy Command');
    case 'createSecret': return vscode.l10n.t('Create Secret');
    case 'openSettings': return vscode.l10n.t('Open Settings');
    case 'selectContext': return vscode.l10n.t('Select Context');
    case 'openDockerfile': return vscode.l10n.t('Open Dockerfile');
    case 'rebuild': return vscode.l10n.t('Rebuild');
  }
}

export async function showFailure(result: BuildResult, buildId: string, dockerfile: string, image: string): Promise<void> {
  const actions = failureActions(result);
  const text = result.fix
    ? vscode.l10n.t('Kaniko build of {0} failed: {1} Fix: {2}', image, headline(result.message), result.fix)
    : vscode.l10n.t('Kaniko build of {0} failed: {1}', image, headline(result.message));
  const chosen = await vscode.window.showErrorMessage(text, ...actions.map(label));
  const action = actions.find((a) => label(a) === chosen);
  switch (action) {
    case undefined:
      return;
    case 'showLog':
      await vscode.commands.executeCommand('kaniko.tree.showLog', buildId);
      return;
    case 'copyFix':
      await vscode.env.clipboard.writeText(result.fix ?? '');
      return;
    case 'createSecret':
      await vscode.commands.executeCommand('kaniko.createRegistrySecret');
      return;
    case 'openSettings':
      await vscode.commands.executeCommand('workbench.action.openSettings', settingFor(result));
      return;
    case 'selectContext':
      await vscode.commands.executeCommand('kaniko.selectKubeContext');
      return;
    case 'rebuild':
      await vscode.commands.executeCommand('kaniko.tree.rebuild', buildId);
      return;
    case 'openDockerfile':
      await vscode.window.showTextDocument(vscode.Uri.file(dockerfile), { selection: new vscode.Range((result.failedStep?.line ?? 1) - 1, 0, (result.failedStep?.line ?? 1) - 1, 0) });
      return;
  }
}
