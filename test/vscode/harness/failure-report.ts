// What a failed UI test leaves behind so the next failure explains itself: a screenshot, what had the focus, the
// open quick input, the notifications, and the extension host's logs and the extension's output channels.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Page } from 'playwright-core';

const TAIL_LINES = 60;

function logFiles(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true })
      .map((name) => join(dir, String(name)))
      .filter((path) => path.endsWith('.log') && statSync(path).isFile());
  } catch {
    return [];
  }
}

/** The extension host's own log and every output channel of the extension ("Kaniko: …"), last lines of each. */
function extensionLogs(userDataDir: string): string[] {
  const wanted = logFiles(join(userDataDir, 'logs')).filter((path) => /kaniko|exthost\.log$|remoteexthost\.log$/i.test(basename(path)));
  return wanted.map((path) => {
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    return `--- ${path} (last ${Math.min(lines.length, TAIL_LINES)} of ${lines.length} lines)\n${lines.slice(-TAIL_LINES).join('\n')}`;
  });
}

/** Which element has the keyboard focus and in which part of the workbench (evaluated in the page). */
const FOCUS = `(() => {
  const active = document.activeElement;
  if (!active) return 'none';
  const part = active.closest('[id^="workbench.parts"]');
  return active.tagName.toLowerCase() + '.' + [...active.classList].join('.') + ' in ' + (part ? part.id : '?');
})()`;

const oneLine = (texts: string[]): string => JSON.stringify(texts.map((text) => text.replace(/\s+/g, ' ').trim()));

/** The workbench's state as text: focus, quick input, context menu, notifications, the extension's status bar item. */
async function workbenchState(page: Page): Promise<string> {
  const quickInput = page.locator('.quick-input-widget');
  const menu = page.locator('.context-view .monaco-menu');
  const statusItems = (await page.locator('.statusbar-item').allInnerTexts()).filter((text) => /kaniko/i.test(text));
  return [
    `focus: ${await page.evaluate<string>(FOCUS)}`,
    `quick input: ${(await quickInput.isVisible())
      ? `open, title ${oneLine(await quickInput.locator('.quick-input-title').allInnerTexts())}, rows ${oneLine(await quickInput.locator('.quick-input-list .monaco-list-row').allInnerTexts())}`
      : 'closed'}`,
    `context menu: ${(await menu.isVisible()) ? oneLine(await menu.locator('.action-label').allInnerTexts()) : 'closed'}`,
    `notifications: ${oneLine(await page.locator('.notifications-toasts .notification-toast').allInnerTexts())}`,
    `status bar: ${oneLine(statusItems)}`,
  ].join('\n');
}

/** Prints the report to stderr and saves the screenshot under /tmp; never throws (the test's own error matters more). */
export async function reportUiFailure(page: Page, userDataDir: string, testName: string): Promise<void> {
  const lines = [`=== UI failure report: ${testName}`];
  const shot = join(tmpdir(), `kaniko-ui-failure-${testName.replace(/\W+/g, '-').slice(0, 40)}-${Date.now()}.png`);
  try {
    await page.screenshot({ path: shot, timeout: 10_000 });
    lines.push(`screenshot: ${shot}`);
  } catch (error) {
    lines.push(`screenshot failed: ${String(error)}`);
  }
  try {
    lines.push(await workbenchState(page));
  } catch (error) {
    lines.push(`workbench state unavailable: ${String(error)}`);
  }
  lines.push(...extensionLogs(userDataDir));
  console.error(lines.join('\n'));
}
