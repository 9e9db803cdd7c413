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
 * VS Code's menu items ignore mouse-up until a 100 ms timer after they render has run (so the release of the right
 * click that opened the menu does not pick an item); a click before that is silently lost and the menu stays open.
 * A page timer of 150 ms started after the menu is visible runs after that one, however late a loaded machine runs
 * both: once it has fired, a click on an item is taken.
 */
async function menuReady(page: Page): Promise<void> {
  await page.locator('.context-view .monaco-menu').waitFor();
  await page.evaluate(() => new Promise<void>((resolve) => setTimeout(resolve, 150)));
}

/** Right-clicks a file in the explorer and returns its context menu once the menu takes clicks. */
export async function openContextMenu(page: Page, file: string): Promise<Locator> {
  await showExplorer(page);
  await explorerRow(page, file).click({ button: 'right' });
  await menuReady(page);
  return page.locator('.context-view .monaco-menu');
}

/**
 * Right-clicks a file in the explorer and returns the context menu's item with that text, ready to be clicked. Just
 * after start-up the workbench may build a menu before it has taken in the extension's menu contributions: then
 * close it and retry.
 */
export async function contextMenuItem(page: Page, file: string, item: string, timeoutMs = 30_000): Promise<Locator> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const entry = (await openContextMenu(page, file)).getByRole('menuitem').filter({ hasText: item });
    if (await entry.isVisible()) return entry;
    if (Date.now() > deadline) throw new Error(`the context menu of ${file} has no "${item}": ${(await page.getByRole('menuitem').allInnerTexts()).join(' | ')}`);
    await page.keyboard.press('Escape');
    await page.waitForTimeout(1000);
  }
}

/** Closes a context menu or quick input a failed step left open, so the next test starts from the workbench. */
export async function closeLeftovers(page: Page): Promise<void> {
  for (const selector of ['.context-view .monaco-menu', '.quick-input-widget']) {
    if (await page.locator(selector).isVisible()) await page.keyboard.press('Escape');
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
