import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contextOutsideWorkspace } from '../../../src/core/context/outside-workspace.ts';
import { resolveContextDir } from '../../../src/core/context/resolve-dir.ts';

const workspace = '/home/me/project';
const contextFor = (rule: string) => resolveContextDir(`${workspace}/app/Dockerfile`, workspace, rule);

test('kaniko.contextRoot values that stay inside the workspace folder need no confirmation', () => {
  for (const rule of ['workspaceFolder', 'dockerfileFolder', 'app', './app/../app', '..docker', 'a/..b']) {
    assert.equal(contextOutsideWorkspace(contextFor(rule), workspace), false, rule);
  }
});

test('kaniko.contextRoot values that leave it (.., a parent path, an absolute path) need one', () => {
  for (const rule of ['..', '../..', 'app/../../other', '/', '/etc', '/home/me']) {
    assert.equal(contextOutsideWorkspace(contextFor(rule), workspace), true, rule);
  }
});

test('a loose Dockerfile (no workspace folder) has its own folder as the context', () => {
  assert.equal(contextOutsideWorkspace('/tmp/x', undefined), false);
});
