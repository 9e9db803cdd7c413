// Problems for Dockerfiles: kaniko hints as warnings (refreshed as the file changes) and the instruction a build
// failed on as an error (until the file changes).
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { dockerfileHints, findInstructionLine, parseDockerfile } from '../core/dockerfile/index.ts';
import type { BuildResult } from '../core/build/model.ts';
import { isDockerfileName } from '../config/dockerfileNames.ts';

export function isDockerfileDocument(document: vscode.TextDocument): boolean {
  return document.uri.scheme === 'file' && (document.languageId === 'dockerfile' || isDockerfileName(basename(document.uri.fsPath)));
}

export class DockerfileDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('kaniko');
  private readonly failures = new Map<string, vscode.Diagnostic>();
  private readonly hints = new Map<string, vscode.Diagnostic[]>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor() {
    this.disposables.push(
      this.collection,
      vscode.workspace.onDidOpenTextDocument((document) => this.refreshHints(document)),
      vscode.workspace.onDidChangeTextDocument((change) => {
        if (change.contentChanges.length === 0) return;
        this.failures.delete(change.document.uri.toString());
        this.refreshHints(change.document);
      }),
      vscode.workspace.onDidCloseTextDocument((document) => {
        this.hints.delete(document.uri.toString());
        this.publish(document.uri);
      }),
    );
    for (const document of vscode.workspace.textDocuments) this.refreshHints(document);
  }

  refreshHints(document: vscode.TextDocument): void {
    if (!isDockerfileDocument(document)) return;
    const diagnostics = dockerfileHints(parseDockerfile(document.getText())).map((hint) => {
      const line = document.lineAt(Math.min(Math.max(hint.line - 1, 0), document.lineCount - 1));
      const diagnostic = new vscode.Diagnostic(line.range, hint.message, hint.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information);
      diagnostic.source = 'kaniko';
      return diagnostic;
    });
    this.hints.set(document.uri.toString(), diagnostics);
    this.publish(document.uri);
  }

  /** Marks the failed instruction of a finished build, clears an old mark after a success. */
  async showResult(dockerfile: string, result: BuildResult): Promise<void> {
    const uri = vscode.Uri.file(dockerfile);
    this.failures.delete(uri.toString());
    const step = result.failedStep;
    if (result.outcome === 'failed' && step) {
      const document = await vscode.workspace.openTextDocument(uri).then((d) => d, () => undefined);
      const line = step.line ?? (document && findInstructionLine(parseDockerfile(document.getText()), step.stage, step.instruction)?.line);
      if (line !== undefined) {
        const range = document ? document.lineAt(Math.min(line - 1, document.lineCount - 1)).range : new vscode.Range(line - 1, 0, line - 1, Number.MAX_SAFE_INTEGER);
        const diagnostic = new vscode.Diagnostic(range, result.message, vscode.DiagnosticSeverity.Error);
        diagnostic.source = 'kaniko';
        if (step.exitCode !== undefined) diagnostic.code = `exit ${step.exitCode}`;
        this.failures.set(uri.toString(), diagnostic);
      }
    }
    this.publish(uri);
  }

  private publish(uri: vscode.Uri): void {
    const key = uri.toString();
    const failure = this.failures.get(key);
    this.collection.set(uri, [...(failure ? [failure] : []), ...(this.hints.get(key) ?? [])]);
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
