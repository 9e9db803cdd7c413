/// <reference types="mocha" />
// A `kaniko` task from tasks.json runs the same build in a pseudoterminal and ends with the build's exit code.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, requireEnv } from './api.ts';

suite('kaniko tasks', () => {
  test('a tasks.json build runs to success and shows in the tree', async () => {
    const registry = requireEnv('KANIKO_TEST_REGISTRY');
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the harness opens a workspace folder');
    const { api } = await activateExtension();
    const dir = mkdtempSync(join(folder.uri.fsPath, 'kaniko-task-'));
    const vscodeDir = join(folder.uri.fsPath, '.vscode');
    mkdirSync(vscodeDir, { recursive: true });
    const tasksFile = join(vscodeDir, 'tasks.json');
    const reference = `${registry}/vscode/task:t${Date.now().toString(36)}`;
    try {
      writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\nCOPY Dockerfile /Dockerfile\n');
      const definition = { type: 'kaniko', label: 'kaniko: task test', dockerfile: `${dir.slice(folder.uri.fsPath.length + 1)}/Dockerfile`, destinations: [reference], extraArgs: ['--insecure'] };
      writeFileSync(tasksFile, JSON.stringify({ version: '2.0.0', tasks: [definition] }));
      const task = await findTask('kaniko: task test');
      const ended = new Promise<number | undefined>((resolve) => {
        const listener = vscode.tasks.onDidEndTaskProcess((event) => {
          if (event.execution.task.name !== task.name) return;
          listener.dispose();
          resolve(event.exitCode);
        });
      });
      await vscode.tasks.executeTask(task);
      assert.equal(await ended, 0);
      const build = api.builds().find((snapshot) => snapshot.request.destinations[0] === reference);
      assert.ok(build, 'the task build is in the tree');
      assert.equal(build.result?.outcome, 'succeeded', build.result?.message);
      assert.deepEqual(build.request.extraArgs, ['--insecure']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(tasksFile, { force: true });
    }
  });
});

/** tasks.json is read asynchronously after it changes: poll until the task is there. */
async function findTask(name: string): Promise<vscode.Task> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const task = (await vscode.tasks.fetchTasks({ type: 'kaniko' })).find((candidate) => candidate.name === name);
    if (task) return task;
    assert.ok(Date.now() < deadline, `task "${name}" not found`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
