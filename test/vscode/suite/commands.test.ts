/// <reference types="mocha" />
// The manifest as VS Code loaded it: commands registered, Dockerfile menus shown only on Dockerfiles.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { activateExtension, waitFor } from './api.ts';

suite('kaniko commands and menus', () => {
  test('every contributed command is registered after activation', async () => {
    const { extension } = await activateExtension();
    const contributed = (extension.packageJSON.contributes.commands as Array<{ command: string }>).map((c) => c.command);
    assert.ok(contributed.length >= 17);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(contributed.filter((id) => !registered.has(id)), []);
  });

  test("the Dockerfile menus' when clause matches Dockerfile names and nothing else", async () => {
    const { extension } = await activateExtension();
    const menus = extension.packageJSON.contributes.menus as Record<string, Array<{ command: string; when: string }>>;
    const table: Record<string, boolean> = {
      Dockerfile: true,
      Containerfile: true,
      'app.Dockerfile': true,
      'Dockerfile.dev': true,
      'x.containerfile': true,
      'README.md': false,
      'Dockerfile.md': false,
      'dockerfile.txt': false,
    };
    // VS Code hands out the when clauses normalised (quoted values, distributed over ||): check their meaning.
    for (const menu of ['explorer/context', 'editor/title', 'editor/context', 'editor/title/context', 'commandPalette']) {
      const when = menus[menu].find((item) => item.command === 'kaniko.build')?.when ?? '';
      assert.match(when, /isWorkspaceTrusted/, menu);
      assert.match(when, /resourceScheme != '?untitled'?/, menu);
      assert.match(when, /resourceLangId == '?dockerfile'?/, menu);
      const regex = new RegExp(/resourceFilename =~ \/([^/]*)\//.exec(when)?.[1] ?? '(?!)');
      for (const [name, shown] of Object.entries(table)) assert.equal(regex.test(name), shown, `${menu}: ${name}`);
    }
  });

  test('commands that need a build are hidden from the palette until one exists', async () => {
    const { extension } = await activateExtension();
    const palette = extension.packageJSON.contributes.menus.commandPalette as Array<{ command: string; when: string }>;
    const when = (id: string) => palette.find((item) => item.command === id)?.when;
    assert.equal(when('kaniko.cancelBuild'), 'kaniko.buildRunning');
    assert.match(when('kaniko.rebuildLast') ?? '', /kaniko\.hasBuilds/);
    assert.equal(when('kaniko.tree.cancel'), 'false');
  });

  test('Dockerfile hints appear as warnings and go away when the file is fixed', async () => {
    await activateExtension();
    const dir = mkdtempSync(join(tmpdir(), 'kaniko-hints-'));
    try {
      const file = join(dir, 'Dockerfile');
      writeFileSync(file, 'FROM scratch\nUSER nobody\nCOPY a.txt /a.txt\n');
      const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
      const warnings = await waitFor('the USER hint', () => {
        const found = vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === 'kaniko' && d.severity === vscode.DiagnosticSeverity.Warning);
        return found.length > 0 ? found : undefined;
      });
      assert.equal(warnings[0].range.start.line, 2, 'on the COPY after USER nobody');
      const edit = new vscode.WorkspaceEdit();
      edit.delete(document.uri, new vscode.Range(1, 0, 2, 0));
      assert.ok(await vscode.workspace.applyEdit(edit));
      await waitFor('the hint to clear', () => vscode.languages.getDiagnostics(document.uri).every((d) => d.source !== 'kaniko') || undefined);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a .dockerignore line Docker refuses is an error on that line until it is fixed', async () => {
    await activateExtension();
    const dir = mkdtempSync(join(tmpdir(), 'kaniko-ignore-'));
    try {
      const file = join(dir, '.dockerignore');
      writeFileSync(file, '# comment\nnode_modules\nsrc/[a-\n');
      const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
      const errors = await waitFor('the pattern error', () => {
        const found = vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === 'kaniko' && d.severity === vscode.DiagnosticSeverity.Error);
        return found.length > 0 ? found : undefined;
      });
      assert.equal(errors[0].range.start.line, 2, 'on src/[a-');
      assert.match(errors[0].message, /unclosed/);
      const edit = new vscode.WorkspaceEdit();
      edit.replace(document.uri, new vscode.Range(2, 0, 2, 7), 'src/[a-z]');
      assert.ok(await vscode.workspace.applyEdit(edit));
      await waitFor('the error to clear', () => vscode.languages.getDiagnostics(document.uri).every((d) => d.source !== 'kaniko') || undefined);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
