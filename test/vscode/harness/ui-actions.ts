// What a person does in the workbench, as Playwright steps over VS Code's DOM (selectors checked on code-server 4.139).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { repoRoot } from '../../../scripts/code-server.ts';

export const screenshotDir = join(repoRoot, 'docs', 'screenshots');

/** Saves docs/screenshots/NAME.png, only when KANIKO_SCREENSHOTS=1 so ordinary runs leave the tree clean. */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.KANIKO_SCREENSHOTS !== '1') return;
  mkdirSync(screenshotDir, { recursive: true });
  // Let animations (menus, toasts) settle so the picture shows what the step asserted.
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(screenshotDir, `${name}.png`) });
}

/** The extension's contributions are registered once its activity-bar container appears; menus opened earlier lack them. */
export async function waitForExtension(page: Page): Promise<void> {
  await page.locator('.activitybar .action-item a.action-label[aria-label^="Kaniko Builds"]').waitFor({ timeout: 60_000 });
}

export function explorerRow(page: Page, name: string): Locator {
  return page.locator(`.explorer-folders-view .monaco-list-row[aria-label="${name}"]`);
}

/** Brings the explorer back (clicking an already shown container would hide the side bar instead). */
export async function showExplorer(page: Page): Promise<void> {
  if (await page.locator('.explorer-folders-view').isVisible()) return;
  await page.locator('.activitybar .action-item a.action-label[aria-label^="Explorer"]').click();
  await page.locator('.explorer-folders-view').waitFor();
}

/**
 * Right-clicks a file in the explorer and returns the context menu's item with that text. Just after start-up the
 * workbench may build a menu before it has taken in the extension's menu contributions: then close it and retry.
 */
export async function contextMenuItem(page: Page, file: string, item: string, timeoutMs = 30_000): Promise<Locator> {
  await showExplorer(page);
  const entry = page.getByRole('menuitem').filter({ hasText: item });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await explorerRow(page, file).click({ button: 'right' });
    await page.locator('.context-view .monaco-menu').waitFor();
    if (await entry.isVisible()) return entry;
    if (Date.now() > deadline) throw new Error(`the context menu of ${file} has no "${item}": ${(await page.getByRole('menuitem').allInnerTexts()).join(' | ')}`);
    await page.keyboard.press('Escape');
    await page.waitForTimeout(1000);
  }
}

export const quickInput = (page: Page): Locator => page.locator('.quick-input-widget');
export const quickInputBox = (page: Page): Locator => page.locator('.quick-input-widget .quick-input-box input');
export const quickPickRow = (page: Page, text: string): Locator => page.locator('.quick-input-list .monaco-list-row', { hasText: text });

/** Waits for a quick input with this title; resolves false when `optional` and it does not come within the time. */
export async function waitForQuickInput(page: Page, title: string, optional = false, timeoutMs = 15_000): Promise<boolean> {
  try {
    await page.locator('.quick-input-widget .quick-input-title', { hasText: title }).waitFor({ timeout: timeoutMs });
    return true;
  } catch (error) {
    if (optional) return false;
    throw error;
  }
}

export function statusBarItem(page: Page, text: string | RegExp): Locator {
  return page.locator('.statusbar-item', { hasText: text });
}

/** Runs a command through the palette (F1), matched by its full title as shown there. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  await quickInputBox(page).fill(`>${title}`);
  await quickPickRow(page, title).first().waitFor();
  await quickInputBox(page).press('Enter');
}

/** Drags the side bar's edge so long tree labels fit (VS Code has no setting for its width). */
export async function widenSideBar(page: Page, width: number): Promise<void> {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box || box.width >= width) return;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width + 1, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 5 });
  await page.mouse.up();
}

export async function openBuildsView(page: Page): Promise<Locator> {
  await page.locator('.activitybar .action-item a.action-label[aria-label^="Kaniko Builds"]').click();
  const rows = page.locator('.part.sidebar .monaco-list-row');
  await rows.first().waitFor();
  return rows;
}

/** Expands a collapsed tree row (clicking its twistie) and waits until it reports itself expanded. */
export async function expandRow(row: Locator): Promise<void> {
  if ((await row.getAttribute('aria-expanded')) === 'true') return;
  await row.locator('.monaco-tl-twistie').click();
  await row.and(row.page().locator('[aria-expanded="true"]')).waitFor();
}

/** The visible text of the output or Problems panel, with the editor's non-breaking spaces made plain. */
export async function panelText(page: Page, selector: string): Promise<string> {
  const texts = await page.locator(`.part.panel ${selector}`).allInnerTexts();
  return texts.join('\n').replaceAll('\u00a0', ' ');
}
