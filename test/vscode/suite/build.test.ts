/// <reference types="mocha" />
// Real builds against the sandbox cluster (KUBECONFIG) and registry (KANIKO_TEST_REGISTRY), started through the
// kaniko.build command with the destination given, followed through the extension's tree, status bar and Problems.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { PHASES } from '../../../src/core/build/model.ts';
import type { PhaseState } from '../../../src/core/build/model.ts';
import { activateExtension, followBuild, requireEnv, waitFor } from './api.ts';

function project(dockerfile: string): { dir: string; dockerfile: string } {
  const dir = mkdtempSync(join(tmpdir(), 'kaniko-vscode-'));
  writeFileSync(join(dir, 'hello.txt'), 'hello from the extension-host test\n');
  writeFileSync(join(dir, 'Dockerfile'), dockerfile);
  return { dir, dockerfile: join(dir, 'Dockerfile') };
}

const tag = (): string => `t${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

suite('kaniko builds in VS Code', () => {
  const dirs: string[] = [];
  const kaniko = () => vscode.workspace.getConfiguration('kaniko');
  // The sandbox registry speaks plain HTTP: kaniko needs --insecure for it, set as a user would.
  suiteSetup(() => kaniko().update('extraExecutorArgs', ['--insecure'], vscode.ConfigurationTarget.Global));
  /** Starts a build of a new project through the command, with the destination given (no prompts). */
  const start = async (dockerfileText: string, destination: string): Promise<{ id: string; dockerfile: string }> => {
    const { dir, dockerfile } = project(dockerfileText);
    dirs.push(dir);
    const id = await vscode.commands.executeCommand<string>('kaniko.build', { dockerfile: vscode.Uri.file(dockerfile), destinations: [destination] });
    assert.ok(id, 'kaniko.build returns the build id');
    return { id, dockerfile };
  };
  suiteTeardown(async () => {
    await kaniko().update('extraExecutorArgs', undefined, vscode.ConfigurationTarget.Global);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  test('a build drives the tree and the status bar through every phase to success, and the image is in the registry', async () => {
    const registry = requireEnv('KANIKO_TEST_REGISTRY');
    requireEnv('KUBECONFIG');
    const { api } = await activateExtension();
    const reference = `${registry}/vscode/app:${tag()}`;
    const { id } = await start('FROM scratch\nCOPY hello.txt /hello.txt\nENV GREETING=hello\nCMD ["/hello.txt"]\n', reference);

    const seen = new Map<string, Set<PhaseState>>(PHASES.map((phase) => [phase, new Set<PhaseState>()]));
    const statusTexts = new Set<string>();
    const treeLabels = new Set<string>();
    const final = await followBuild(api, id, (snapshot) => {
      for (const phase of PHASES) seen.get(phase)?.add(snapshot.phases[phase].state);
      statusTexts.add(api.statusBar().text);
      const node = api.tree().find((root) => root.buildId === id);
      for (const child of node?.children ?? []) treeLabels.add(`${child.label}:${child.icon?.id ?? ''}`);
    });
    assert.equal(final.result?.outcome, 'succeeded', final.result?.message);
    for (const phase of PHASES) {
      assert.ok(['done', 'skipped'].includes(final.phases[phase].state), `${phase} ended ${final.phases[phase].state}`);
    }
    assert.ok([...seen.values()].some((states) => states.has('running')), 'phases were seen running');
    assert.ok([...statusTexts].some((text) => text.startsWith('$(sync~spin) kaniko: app')), `status while running: ${[...statusTexts].join(' | ')}`);
    assert.ok([...treeLabels].some((label) => label.endsWith(':sync~spin')), 'a phase node showed the spinner');

    const node = api.tree().find((root) => root.buildId === id);
    assert.ok(node);
    assert.equal(node.label, 'app');
    assert.match(node.contextValue, /\bfinished\b.*\bdigest\b/);
    assert.deepEqual(node.icon, { id: 'pass', color: 'testing.iconPassed' });
    const buildPhase = node.children.find((child) => child.contextValue === 'kanikoPhase build');
    assert.ok(buildPhase && buildPhase.children.length >= 2, 'instructions under the build phase');
    assert.ok(buildPhase.children.some((step) => step.label.startsWith('COPY') && step.location?.line === 2), 'COPY mapped to line 2');
    const digest = final.result?.digest ?? '';
    assert.match(digest, /^sha256:[a-f0-9]{64}$/);
    await waitFor('the status bar to show the digest', () => api.statusBar().text === `$(check) kaniko: app @sha256:${digest.slice(7, 15)}` || undefined, 5000);

    const [repository, version] = reference.slice(registry.length + 1).split(':');
    const response = await fetch(`http://${registry}/v2/${repository}/manifests/${version}`, {
      headers: { accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' },
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('docker-content-digest'), digest);
  });

  test('Rebuild Last starts the same request again; Show Build and Show Build Log work on it', async () => {
    const { api } = await activateExtension();
    const previous = api.builds().find((build) => build.result?.outcome === 'succeeded');
    assert.ok(previous, 'the first test left a successful build');
    const before = new Set(api.builds().map((build) => build.id));
    await vscode.commands.executeCommand('kaniko.tree.rebuild', previous.id);
    const id = await waitFor('the rebuild to appear', () => api.builds().find((build) => !before.has(build.id))?.id);
    const final = await followBuild(api, id, () => undefined);
    assert.equal(final.result?.outcome, 'succeeded', final.result?.message);
    assert.deepEqual(final.request, previous.request);
    await vscode.commands.executeCommand('kaniko.showBuild', id);
    await vscode.commands.executeCommand('kaniko.showBuildLog', id);
  });

  test('five builds at once: each its own node and result, the status bar counts them', async () => {
    const registry = requireEnv('KANIKO_TEST_REGISTRY');
    const { api } = await activateExtension();
    const run = tag();
    const ids = (await Promise.all([0, 1, 2, 3, 4].map((i) => start(`FROM scratch\nCOPY hello.txt /hello-${i}.txt\n`, `${registry}/vscode/many${i}:${run}`)))).map((b) => b.id);
    assert.equal(new Set(ids).size, 5);
    const counts = new Set<string>();
    const finals = await Promise.all(ids.map((id) => followBuild(api, id, () => counts.add(api.statusBar().text))));
    assert.ok([...counts].some((text) => /^\$\(sync~spin\) kaniko: [2-5] running$/.test(text)), `status texts: ${[...counts].join(' | ')}`);
    finals.forEach((final, i) => {
      assert.equal(final.result?.outcome, 'succeeded', final.result?.message);
      assert.equal(final.result?.images?.[0]?.reference, `${registry}/vscode/many${i}:${run}`);
    });
    const roots = api.tree().filter((root) => ids.includes(root.buildId));
    assert.deepEqual(roots.map((root) => root.label).sort(), ['many0', 'many1', 'many2', 'many3', 'many4']);
  });

  test('the interactive flow: suggested destination from kaniko.defaultRegistry, then push without credentials', async () => {
    const registry = requireEnv('KANIKO_TEST_REGISTRY');
    const { api } = await activateExtension();
    const { dir, dockerfile } = project('FROM scratch\nCOPY hello.txt /hello.txt\n');
    dirs.push(dir);
    await kaniko().update('defaultRegistry', `${registry}/interactive`, vscode.ConfigurationTarget.Global);
    try {
      const before = new Set(api.builds().map((build) => build.id));
      const started = vscode.commands.executeCommand<string>('kaniko.build', vscode.Uri.file(dockerfile));
      const answer = async (moves: number) => {
        await new Promise((resolve) => setTimeout(resolve, 1500));
        for (let i = 0; i < moves; i++) await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
        await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      };
      await answer(0); // the suggested destination
      await answer(1); // "Secret regcred not found": create / push without credentials
      const id = await started;
      assert.ok(id && !before.has(id), 'a new build started');
      const final = await followBuild(api, id, () => undefined);
      assert.equal(final.result?.outcome, 'succeeded', final.result?.message);
      const folder = dir.slice(dir.lastIndexOf('/') + 1).toLowerCase();
      assert.deepEqual(final.request.destinations, [`${registry}/interactive/${folder}:latest`]);
      assert.equal(final.request.secretName, undefined, 'no secret mounted');
    } finally {
      await kaniko().update('defaultRegistry', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('a pod kept by kaniko.cleanupPolicy "keep" is offered for deletion and deleted from the tree', async () => {
    const registry = requireEnv('KANIKO_TEST_REGISTRY');
    const kubeconfig = requireEnv('KUBECONFIG');
    const { api } = await activateExtension();
    await kaniko().update('cleanupPolicy', 'keep', vscode.ConfigurationTarget.Global);
    try {
      const { id } = await start('FROM scratch\nCOPY hello.txt /hello.txt\n', `${registry}/vscode/kept:${tag()}`);
      const final = await followBuild(api, id, () => undefined);
      assert.equal(final.result?.outcome, 'succeeded', final.result?.message);
      const pod = final.pod;
      assert.ok(pod);
      const getPod = () => spawnSync('kubectl', ['--kubeconfig', kubeconfig, '-n', pod.namespace, 'get', 'pod', pod.name, '-o', 'name'], { encoding: 'utf8' });
      assert.equal(getPod().status, 0, 'the pod is kept');
      assert.match(api.tree().find((root) => root.buildId === id)?.contextValue ?? '', /\bpod\b/);
      await vscode.commands.executeCommand('kaniko.tree.deletePod', id);
      await waitFor('the pod to be deleted', () => (getPod().status !== 0 ? true : undefined), 30_000);
      assert.equal(api.builds().some((build) => build.id === id), false, 'the build left the tree');
    } finally {
      await kaniko().update('cleanupPolicy', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('cancel stops a running build and leaves it cancelled', async () => {
    const registry = requireEnv('KANIKO_TEST_REGISTRY');
    const { api } = await activateExtension();
    const { id } = await start('FROM scratch\nCOPY hello.txt /hello.txt\n', `${registry}/vscode/cancelled:${tag()}`);
    await waitFor('the pod to be created', () => api.builds().find((b) => b.id === id)?.phases.createPod.state !== 'pending' || undefined);
    await vscode.commands.executeCommand('kaniko.cancelBuild', id);
    const final = await followBuild(api, id, () => undefined, 60_000);
    assert.equal(final.result?.outcome, 'cancelled', final.result?.message);
    await waitFor('the status bar to show the cancel', () => /^\$\(circle-slash\) kaniko: cancelled/.test(api.statusBar().text) || undefined);
    assert.deepEqual(api.tree().find((root) => root.buildId === id)?.icon, { id: 'circle-slash', color: 'disabledForeground' });
  });

  test('a failing RUN becomes an error on its Dockerfile line in Problems', async () => {
    const registry = requireEnv('KANIKO_TEST_REGISTRY');
    const { api } = await activateExtension();
    // scratch has no shell: the RUN on line 3 fails, as it would under kaniko.
    const { id, dockerfile } = await start('FROM scratch\nCOPY hello.txt /hello.txt\nRUN exit 3\n', `${registry}/vscode/failing:${tag()}`);
    const final = await followBuild(api, id, () => undefined);
    assert.equal(final.result?.outcome, 'failed');
    assert.equal(final.result?.failedStep?.line, 3, `failed step: ${JSON.stringify(final.result?.failedStep)}`);
    const uri = vscode.Uri.file(dockerfile);
    const errors = await waitFor('the diagnostic', () => {
      const found = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'kaniko' && d.severity === vscode.DiagnosticSeverity.Error);
      return found.length > 0 ? found : undefined;
    });
    assert.equal(errors[0].range.start.line, 2);
    assert.equal(errors[0].message, final.result?.message);
    await waitFor('the status bar to show the failure', () => /^\$\(error\) kaniko: failing/.test(api.statusBar().text) || undefined, 5000);
  });
});
