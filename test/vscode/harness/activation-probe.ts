// Runs inside the extension host (bundled to CommonJS): activates the extension on demand in a workspace without a
// Dockerfile (so nothing activated it before), times activate(), and records which of the extension's files it loaded.
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { extensionId } from './activation-metrics.ts';
import type { ActivationMetrics } from './activation-metrics.ts';
import type { SuiteResult, TestOutcome } from './result.ts';

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
    const main = join(extension.extensionPath, 'dist', 'extension.js');
    const started = performance.now();
    await extension.activate();
    const activationMs = performance.now() - started;
    const loadedFiles = extensionModules(extension.extensionPath).filter((file) => !before.has(file));
    const loadedKb = loadedFiles.reduce((sum, file) => sum + statSync(file).size, 0) / 1024;
    metrics = { activationMs, loadedKb, loadedFiles };
    check('activation loads dist/extension.js', loadedFiles.includes(main), `loaded: ${loadedFiles.join(', ')}`);
    check('activation does not load the engine (dist/engine.js)', !loadedFiles.some((file) => file.endsWith('/dist/engine.js')), `loaded: ${loadedFiles.join(', ')}`);
    check('activation returns the test API', typeof (extension.exports as { builds?: unknown })?.builds === 'function', 'exports.builds is not a function');
  }
  const result: SuiteResult & { metrics?: ActivationMetrics } = {
    passed: tests.filter((t) => t.state === 'passed').length,
    failed: tests.filter((t) => t.state === 'failed').length,
    tests,
    metrics,
  };
  const resultFile = process.env.KANIKO_TEST_RESULT ?? 'activation-result.json';
  writeFileSync(resultFile, JSON.stringify(result, null, 2));
  // The benchmark reads VS Code's own figure from the Running Extensions view; keep the window until it is done.
  if (process.env.KANIKO_PROBE_HOLD === '1') await waitForFile(`${resultFile}.done`, 60_000);
  if (result.failed) throw new Error(`${result.failed} activation check(s) failed`);
}

async function waitForFile(file: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(file) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
}
