// One extension-host run end to end: bundle the entry, run it in code-server, read the result file it wrote.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Page } from 'playwright-core';
import { repoRoot } from '../../../scripts/code-server.ts';
import { bundleTests } from './bundle-tests.ts';
import { runInExtensionHost } from './extension-host.ts';
import { normaliseResult } from './result.ts';
import type { SuiteResult } from './result.ts';

export interface EntryRun {
  result: SuiteResult;
  /** The raw JSON, for fields beyond the test list (e.g. metrics). */
  raw: Record<string, unknown> | undefined;
  /** Problems outside the tests (timeout, no result file, non-zero exit without failures). */
  problems: string[];
  elapsedMs: number;
}

export interface EntryOptions {
  /** TypeScript entry exporting run(): Promise<void>. */
  entry: string;
  folder: string;
  /** The extension folder to load (the repository by default; an unpacked VSIX for the benchmark). */
  extensionDevelopmentPath?: string;
  env?: Record<string, string>;
  timeoutMs: number;
  log?: (line: string) => void;
  /** Drives the workbench during the run; gets the result file's path (the entry writes it before it ends). */
  duringRun?: (page: Page, resultFile: string) => Promise<void>;
}

export async function runEntry(options: EntryOptions): Promise<EntryRun> {
  const outfile = join(repoRoot, 'out', 'test', `${basename(options.entry, '.ts')}.js`);
  await bundleTests(options.entry, outfile);
  const scratch = mkdtempSync(join(tmpdir(), 'kaniko-ext-result-'));
  const resultFile = join(scratch, 'result.json');
  try {
    const run = await runInExtensionHost({
      folder: options.folder,
      testsPath: outfile,
      extensionDevelopmentPath: options.extensionDevelopmentPath,
      env: { ...options.env, KANIKO_TEST_RESULT: resultFile },
      timeoutMs: options.timeoutMs,
      log: options.log,
      duringRun: options.duringRun && ((page) => options.duringRun!(page, resultFile)),
    });
    const problems: string[] = [];
    if (run.duringRunError) problems.push(`${basename(options.entry)}: driving the workbench failed: ${run.duringRunError}`);
    if (run.exitCode === undefined) problems.push(`${basename(options.entry)}: timed out after ${options.timeoutMs / 1000} s`);
    const raw = existsSync(resultFile) ? (JSON.parse(readFileSync(resultFile, 'utf8')) as Record<string, unknown>) : undefined;
    if (!raw) problems.push(`${basename(options.entry)}: wrote no result file (exit ${run.exitCode ?? 'timeout'})`);
    const result = raw ? normaliseResult(raw) : { passed: 0, failed: 0, tests: [] };
    if (raw && run.exitCode !== 0 && run.exitCode !== undefined && result.failed === 0) {
      problems.push(`${basename(options.entry)}: the extension host reported exit ${run.exitCode} without a failed test`);
    }
    return { result, raw, problems, elapsedMs: run.elapsedMs };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
