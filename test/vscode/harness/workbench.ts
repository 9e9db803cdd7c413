// A person's view of the extension: code-server with the extension installed from the VSIX, the sample project open
// against the sandbox, and Chromium showing it. Shared by the Playwright UI tests and `npm start` (server part only).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { codeServerCli, startCodeServer } from '../../../scripts/code-server.ts';
import type { CodeServer } from '../../../scripts/code-server.ts';
import type { Sandbox } from '../../sandbox/index.ts';
import { launchBrowser } from './browser.ts';
import type { Browser } from './browser.ts';
import { packageVsix } from './build-extension.ts';
import { reportUiFailure } from './failure-report.ts';
import { closeLeftovers } from './ui-actions.ts';
import { copySampleProject } from './workspace.ts';

export interface InstalledServer {
  server: CodeServer;
  workspace: string;
  stop(): Promise<void>;
}

/** Settings that point the extension at the sandbox: its plain registry as the default, reached over HTTP. */
export function sandboxSettings(sandbox: Sandbox): Record<string, unknown> {
  return { 'kaniko.defaultRegistry': sandbox.registries.plain.host, 'kaniko.extraExecutorArgs': ['--insecure'] };
}

/** Packages the VSIX (or takes KANIKO_VSIX, built once by the caller), installs it privately and opens a sample project copy. */
export interface ServerOptions {
  smokeDriver?: boolean;
  /** Workspace trust on: the folder opens untrusted until someone trusts it. */
  workspaceTrust?: boolean;
  log?: (line: string) => void;
}

export async function startInstalledServer(sandbox: Sandbox, options: ServerOptions = {}): Promise<InstalledServer> {
  const scratch = mkdtempSync(join(tmpdir(), 'kaniko-ui-'));
  const extensionDir = join(scratch, 'extensions');
  mkdirSync(extensionDir);
  let workspace: string | undefined;
  const removeFolders = () => {
    if (workspace) rmSync(join(workspace, '..'), { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  };
  try {
    const vsix = process.env.KANIKO_VSIX || (await packageVsix(scratch));
    codeServerCli(['--install-extension', vsix], extensionDir);
    workspace = copySampleProject(sandboxSettings(sandbox));
    const server = await startCodeServer({ folder: workspace, extensionDir, env: { KUBECONFIG: sandbox.kubeconfigPath }, smokeDriver: options.smokeDriver, workspaceTrust: options.workspaceTrust, log: options.log });
    return {
      server,
      workspace,
      async stop() {
        await server.stop();
        removeFolders();
      },
    };
  } catch (error) {
    removeFolders();
    throw error;
  }
}

export interface UiSession extends InstalledServer {
  browser: Browser;
  page: Page;
  /** Prints a screenshot path, the workbench's focus, quick input and notifications, and the extension's logs. */
  reportFailure(testName: string): Promise<void>;
}

/** The installed server plus Chromium on the workbench, waited until the explorer lists the sample project. */
export async function startUiSession(sandbox: Sandbox, log?: (line: string) => void, options: Pick<ServerOptions, 'workspaceTrust'> = {}): Promise<UiSession> {
  const installed = await startInstalledServer(sandbox, { log, ...options });
  let browser: Browser | undefined;
  try {
    browser = await launchBrowser({ width: 1280, height: 800 });
    const { page } = browser;
    if (log) page.on('console', (message) => log(`[browser] ${message.text()}`));
    await page.goto(`${installed.server.url}?folder=${encodeURIComponent(installed.workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'failing.Dockerfile' }).waitFor({ timeout: 60_000 });
    const opened = browser;
    return {
      ...installed,
      browser: opened,
      page,
      reportFailure: (testName) => reportUiFailure(page, installed.server.userDataDir, testName),
      async stop() {
        await opened.close();
        await installed.stop();
      },
    };
  } catch (error) {
    await browser?.close();
    await installed.stop();
    throw error;
  }
}

/**
 * For afterEach: after a failed test, prints the session's failure report and closes what the test left open, so
 * the next test starts from the workbench. (TestContext.passed exists at run time in Node 24, not yet in @types/node.)
 */
export async function reportIfFailed(test: object, session: UiSession | undefined): Promise<void> {
  if ((test as { passed?: boolean }).passed !== false || !session) return;
  await session.reportFailure((test as { name?: string }).name ?? 'test');
  await closeLeftovers(session.page);
}
