// Runs inside the extension host (bundled to CommonJS): activates the extension on demand in a workspace without a
// Dockerfile (so nothing activated it before), times activate(), and records which of the extension's files it loaded.
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { SuiteResult, TestOutcome } from './result.ts';

export const extensionId = 'kaniko-build.kaniko-build';

export interface ActivationMetrics {
  activationMs: number;
  /** Total size of the extension's own files that activation required. */
  loadedKb: number;
  loadedFiles: string[];
}

function extensionModules(root: string): string[] {
  return Object.keys(require.cache).filter((file) => file.startsWith(root) && !file.includes('/node_modules/') && !file.includes('/out/test/'));
}

export async function run(): Promise<void> {
  const tests: TestOutcome[] = [];
  const check = (title: string, ok: boolean, error: string) => tests.push({ title: `activation › ${title}`, state: ok ? 'passed' : 'failed', error: ok ? undefined : error });
  const extension = vscode.extensions.getExtension(extensionId);
  let metrics: ActivationMetrics | undefined;
  if (!extension) {
    check('the extension is installed', false, `${extensionId} not found`);
  } else {
    check('nothing activated the extension before the probe', !extension.isActive, 'it was already active; the timing would be meaningless');
    const before = new Set(extensionModules(extension.extensionPath));
    const started = performance.now();
    await extension.activate();
    const activationMs = performance.now() - started;
    const loadedFiles = extensionModules(extension.extensionPath).filter((file) => !before.has(file));
    const loadedKb = loadedFiles.reduce((sum, file) => sum + statSync(file).size, 0) / 1024;
    metrics = { activationMs, loadedKb, loadedFiles };
    check('activation loads dist/extension.js', loadedFiles.includes(join(extension.extensionPath, 'dist', 'extension.js')), `loaded: ${loadedFiles.join(', ')}`);
    check('activation does not load the engine (dist/engine.js)', !loadedFiles.some((file) => file.endsWith('/dist/engine.js')), `loaded: ${loadedFiles.join(', ')}`);
    check('activation returns the test API', typeof (extension.exports as { builds?: unknown })?.builds === 'function', 'exports.builds is not a function');
  }
  const result: SuiteResult & { metrics?: ActivationMetrics } = {
    passed: tests.filter((t) => t.state === 'passed').length,
    failed: tests.filter((t) => t.state === 'failed').length,
    tests,
    metrics,
  };
  writeFileSync(process.env.KANIKO_TEST_RESULT ?? 'activation-result.json', JSON.stringify(result, null, 2));
  if (result.failed) throw new Error(`${result.failed} activation check(s) failed`);
}
