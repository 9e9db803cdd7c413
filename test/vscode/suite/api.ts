// The extension under test, activated, and small polling helpers over its test API.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KanikoApi } from '../../../src/extension.ts';
import type { BuildSnapshot } from '../../../src/core/build/model.ts';

export const EXTENSION_ID = 'kaniko-build.kaniko-build';

export async function activateExtension(): Promise<{ api: KanikoApi; extension: vscode.Extension<KanikoApi> }> {
  const extension = vscode.extensions.getExtension<KanikoApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed in this VS Code`);
  const api = await extension.activate();
  return { api, extension };
}

export function requireEnv(name: string): string {
  const value = process.env[name];
  assert.ok(value, `the harness must set ${name}`);
  return value;
}

/** Polls every 20 ms, calling `observe` on each snapshot of the build, until it has a result or the time is up. */
export async function followBuild(api: KanikoApi, id: string, observe: (snapshot: BuildSnapshot) => void, timeoutMs = 150_000): Promise<BuildSnapshot> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const snapshot = api.builds().find((build) => build.id === id);
    assert.ok(snapshot, `build ${id} is not in the store`);
    observe(snapshot);
    if (snapshot.result) return snapshot;
    assert.ok(Date.now() < deadline, `build ${id} did not finish in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
