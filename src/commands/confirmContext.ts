// Asks before sending a context that is large (over `kaniko.contextSizeWarningMb`, offering to add the big folders
// to .dockerignore) or that lies outside the workspace folder (a `kaniko.contextRoot` with `..` or an absolute path).
import * as vscode from 'vscode';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { contextOutsideWorkspace } from '../core/context/outside-workspace.ts';
import { summarizeContext } from '../core/context/summary.ts';
import { formatBytes } from '../format.ts';
import { isOverThreshold, suggestIgnoreEntries } from './contextCheck.ts';

/** False when the user stopped the build. */
export async function confirmContextSize(contextDir: string, dockerfile: string, thresholdMb: number): Promise<boolean> {
  if (thresholdMb <= 0) return true;
  const summary = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Kaniko: measuring the build context…') }, () => summarizeContext({ contextDir, dockerfile }));
  if (!isOverThreshold(summary, thresholdMb)) return true;
  const entries = suggestIgnoreEntries(summary, summary.dockerfileInArchive);
  const largest = summary.largestDirs.map((dir) => `${dir.path} (${formatBytes(dir.bytes)})`).join(', ');
  const buildAnyway = vscode.l10n.t('Build Anyway');
  const ignore = vscode.l10n.t('Add {0} to .dockerignore and Build', entries.join(' '));
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('The build context is {0} in {1} files (largest: {2}). Send it anyway?', formatBytes(summary.bytes), summary.files, largest),
    { modal: true },
    buildAnyway,
    ...(entries.length > 0 ? [ignore] : []),
  );
  if (choice === ignore) {
    await appendFile(join(contextDir, summary.ignoreFile ?? '.dockerignore'), `\n${entries.join('\n')}\n`);
    return true;
  }
  return choice === buildAnyway;
}

/**
 * False when the user stopped the build. A workspace's settings can point kaniko.contextRoot anywhere (a cloned
 * repository's .vscode/settings.json too), and every file of the context is uploaded: the folder is shown first.
 */
export async function confirmContextOutsideWorkspace(contextDir: string, workspaceFolder: string | undefined): Promise<boolean> {
  if (!contextOutsideWorkspace(contextDir, workspaceFolder)) return true;
  const send = vscode.l10n.t('Send This Folder');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('The build context {0} (setting kaniko.contextRoot) is outside the workspace folder {1}. Every file in it that .dockerignore does not exclude will be uploaded to the cluster.', contextDir, workspaceFolder ?? ''),
    { modal: true },
    send,
  );
  return choice === send;
}
