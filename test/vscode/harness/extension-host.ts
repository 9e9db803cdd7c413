// Runs code in a real VS Code extension host: code-server with the smoke-test driver, opened by headless Chromium with
// a payload naming the extension under development and the tests' entry; resolves with the exit code the workbench reports.
import type { Page } from 'playwright-core';
import { startCodeServer, repoRoot } from '../../../scripts/code-server.ts';
import { launchBrowser } from './browser.ts';

export interface ExtensionHostOptions {
  /** The workspace folder to open. */
  folder: string;
  /** Absolute path of the CommonJS tests entry (exports run(): Promise<void>). */
  testsPath: string;
  /** The extension folder; the repository by default (package.json + dist/). */
  extensionDevelopmentPath?: string;
  /** Environment of the extension host (KUBECONFIG, KANIKO_TEST_RESULT, …). */
  env: Record<string, string>;
  timeoutMs: number;
  /** Receives the browser console (mocha's own output lands there) and the server's log. */
  log?: (line: string) => void;
  /** Drives the workbench while the tests run (e.g. reads VS Code's own views); its failure is reported, not thrown. */
  duringRun?: (page: Page) => Promise<void>;
}

export interface ExtensionHostRun {
  /** 0 when the tests entry resolved, 1 when it rejected; undefined on timeout. */
  exitCode: number | undefined;
  elapsedMs: number;
  /** Why duringRun failed, if it did. */
  duringRunError?: string;
}

function payloadUrl(base: string, port: number, options: ExtensionHostOptions): string {
  const remote = (path: string) => `vscode-remote://127.0.0.1:${port}${path}`;
  const payload = [
    ['extensionDevelopmentPath', remote(options.extensionDevelopmentPath ?? repoRoot)],
    ['extensionTestsPath', remote(options.testsPath)],
    ['extensionEnvironment', JSON.stringify(options.env)],
  ];
  return `${base}?folder=${encodeURIComponent(options.folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/** Starts everything, waits for the workbench to report the tests' end (or the timeout), and always stops it all. */
export async function runInExtensionHost(options: ExtensionHostOptions): Promise<ExtensionHostRun> {
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const server = await startCodeServer({ folder: options.folder, env: options.env, smokeDriver: true, log: (line) => log(`[code-server] ${line}`) });
  try {
    const browser = await launchBrowser();
    try {
      const { page } = browser;
      let reportExit: (code: number) => void = () => undefined;
      const exited = new Promise<number>((resolve) => (reportExit = resolve));
      // Must be in place before the workbench loads: it calls window.codeAutomationExit(code) when the tests end.
      await page.exposeFunction('codeAutomationExit', (code: number) => reportExit(Number(code)));
      page.on('console', (message) => log(`[browser] ${message.text()}`));
      page.on('pageerror', (error) => log(`[browser error] ${error.message}`));
      page.on('requestfailed', (request) => log(`[browser request failed] ${request.url()} ${request.failure()?.errorText ?? ''}`));
      await page.goto(payloadUrl(server.url, server.port, options));
      let duringRunError: string | undefined;
      const driving = options.duringRun?.(page).catch((error: unknown) => void (duringRunError = String((error as Error).stack ?? error)));
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), options.timeoutMs)));
      const exitCode = await Promise.race([exited, timedOut]);
      clearTimeout(timer);
      // The page may be closing: a driver still waiting on it ends now rather than holding the run.
      await Promise.race([driving, new Promise((resolve) => setTimeout(resolve, 1000))]);
      return { exitCode, elapsedMs: Date.now() - started, duringRunError };
    } finally {
      await browser.close();
    }
  } finally {
    await server.stop();
  }
}
