/// <reference types="mocha" />
// Cluster pickers over the sandbox kubeconfig, answered through VS Code's own quick-open commands.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { activateExtension, requireEnv, waitFor } from './api.ts';

const kaniko = () => vscode.workspace.getConfiguration('kaniko');

suite('kaniko cluster pickers', () => {
  teardown(() => kaniko().update('kubeContext', undefined, vscode.ConfigurationTarget.Workspace));

  test("Select Kube Context lists the kubeconfig's contexts and stores the chosen one", async () => {
    const kubeconfig = readFileSync(requireEnv('KUBECONFIG'), 'utf8');
    // The sandbox kubeconfig has one context, the current one.
    const current = /current-context:\s*"?([^"\s]+)/.exec(kubeconfig)?.[1];
    assert.ok(current, 'the kubeconfig has a current context');
    await activateExtension();
    const picked = vscode.commands.executeCommand('kaniko.selectKubeContext');
    // The first row is "current context"; the next one is the first named context of the kubeconfig.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await picked;
    const context = await waitFor('kaniko.kubeContext to be set', () => kaniko().get<string>('kubeContext') || undefined, 5000);
    assert.equal(context, current);
  });
});
