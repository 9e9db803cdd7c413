/// <reference types="mocha" />
// Cluster pickers over the sandbox kubeconfig, answered through VS Code's own quick-open commands.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, requireEnv, waitFor } from './api.ts';

const kaniko = () => vscode.workspace.getConfiguration('kaniko');

suite('kaniko cluster pickers', () => {
  teardown(async () => {
    await kaniko().update('kubeContext', undefined, vscode.ConfigurationTarget.Workspace);
    await kaniko().update('namespace', undefined, vscode.ConfigurationTarget.Workspace);
  });

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

  test('Select Namespace lists the cluster namespaces and stores the chosen one', async () => {
    const kubeconfig = requireEnv('KUBECONFIG');
    await activateExtension();
    const names = execFileSync('kubectl', ['--kubeconfig', kubeconfig, 'get', 'namespaces', '-o', 'jsonpath={.items[*].metadata.name}'], { encoding: 'utf8' }).split(/\s+/).filter(Boolean);
    assert.ok(names.length > 0);
    const picked = vscode.commands.executeCommand('kaniko.selectNamespace');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // Rows: "the context's namespace", then the namespaces.
    await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await picked;
    const namespace = await waitFor('kaniko.namespace to be set', () => kaniko().get<string>('namespace') || undefined, 5000);
    assert.ok(names.includes(namespace), `${namespace} in ${names.join(', ')}`);
  });

  test('Create Registry Secret from the local Docker config: the cluster secret holds it, nothing else does', async () => {
    const kubeconfig = requireEnv('KUBECONFIG');
    const { api } = await activateExtension();
    const password = `known-${Date.now().toString(36)}-secret`;
    const dockerConfig = mkdtempSync(join(tmpdir(), 'kaniko-docker-'));
    const previous = process.env.DOCKER_CONFIG;
    const name = `kaniko-test-${Date.now().toString(36)}`;
    try {
      // The extension host is this process: the command reads DOCKER_CONFIG from here.
      writeFileSync(join(dockerConfig, 'config.json'), JSON.stringify({ auths: { 'registry.example.com:5000': { auth: Buffer.from(`tester:${password}`).toString('base64') } } }));
      process.env.DOCKER_CONFIG = dockerConfig;
      await kaniko().update('secretName', name, vscode.ConfigurationTarget.Global);
      const created = vscode.commands.executeCommand('kaniko.createRegistrySecret');
      await new Promise((resolve) => setTimeout(resolve, 1500));
      // Rows: "Enter server, user name and password…", then the local entry.
      await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      await new Promise((resolve) => setTimeout(resolve, 1000));
      // The name box, prefilled from kaniko.secretName.
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      await created;
      const data = execFileSync('kubectl', ['--kubeconfig', kubeconfig, 'get', 'secret', name, '-o', 'jsonpath={.data.\\.dockerconfigjson}'], { encoding: 'utf8' });
      const stored = JSON.parse(Buffer.from(data, 'base64').toString('utf8'));
      assert.equal(stored.auths['registry.example.com:5000'].password, password);
      assert.equal(stored.auths['registry.example.com:5000'].username, 'tester');
      assert.ok(!JSON.stringify(vscode.workspace.getConfiguration()).includes(password), 'not in settings');
      assert.ok(!JSON.stringify(api.builds()).includes(password), 'not in the build history');
    } finally {
      if (previous === undefined) delete process.env.DOCKER_CONFIG;
      else process.env.DOCKER_CONFIG = previous;
      await kaniko().update('secretName', undefined, vscode.ConfigurationTarget.Global);
      rmSync(dockerConfig, { recursive: true, force: true });
      execFileSync('kubectl', ['--kubeconfig', kubeconfig, 'delete', 'secret', name, '--ignore-not-found']);
    }
  });
});
