// Problems for .dockerignore files: each line Docker would refuse (an unclosed `[`, a lone `!`, …) as an error on
// that line, refreshed as the file changes, so that it shows before a build fails on it.
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { ignoreFileProblems, isIgnoreFileName } from '../core/context/ignore-problems.ts';

function isIgnoreDocument(document: vscode.TextDocument): boolean {
  return document.uri.scheme === 'file' && isIgnoreFileName(basename(document.uri.fsPath));
}

export class IgnoreFileDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('kaniko-dockerignore');
  private readonly disposables: vscode.Disposable[] = [];

  constructor() {
    this.disposables.push(
      this.collection,
      vscode.workspace.onDidOpenTextDocument((document) => this.refresh(document)),
      vscode.workspace.onDidChangeTextDocument((change) => this.refresh(change.document)),
      vscode.workspace.onDidCloseTextDocument((document) => this.collection.delete(document.uri)),
    );
    for (const document of vscode.workspace.textDocuments) this.refresh(document);
  }

  private refresh(document: vscode.TextDocument): void {
    if (!isIgnoreDocument(document)) return;
    const diagnostics = ignoreFileProblems(document.getText()).map(({ line, problem }) => {
      const range = document.lineAt(Math.min(line - 1, document.lineCount - 1)).range;
      const diagnostic = new vscode.Diagnostic(range, `Docker refuses this pattern: it has ${problem}.`, vscode.DiagnosticSeverity.Error);
      diagnostic.source = 'kaniko';
      return diagnostic;
    });
    this.collection.set(document.uri, diagnostics);
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
