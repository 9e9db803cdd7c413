// The Dockerfile a build command works on: the clicked file, the active editor's, or one picked from the workspace.
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { DOCKERFILE_GLOB } from '../config/dockerfileNames.ts';
import { isDockerfileDocument } from '../diagnostics/dockerfileDiagnostics.ts';

export async function pickDockerfile(): Promise<vscode.Uri | undefined> {
  const active = vscode.window.activeTextEditor?.document;
  if (active && isDockerfileDocument(active)) return active.uri;
  const found = await vscode.workspace.findFiles(DOCKERFILE_GLOB, '**/node_modules/**', 500);
  if (found.length === 0) {
    void vscode.window.showWarningMessage(vscode.l10n.t('No Dockerfile or Containerfile found in this workspace.'));
    return undefined;
  }
  if (found.length === 1) return found[0];
  const items = found
    .map((uri) => ({ label: basename(uri.fsPath), description: vscode.workspace.asRelativePath(uri), uri }))
    .sort((a, b) => a.description.localeCompare(b.description));
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Build Image'), placeHolder: vscode.l10n.t('Choose the Dockerfile to build') });
  return picked?.uri;
}
