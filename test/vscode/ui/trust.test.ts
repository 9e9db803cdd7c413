// Workspace trust in a real VS Code: a Dockerfile's RUN lines execute in the user's namespace, so a folder the user
// has not trusted offers no build in its menus, and the palette command says why instead of building.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../../../src/core/build/defaults.ts';
import { startSandbox } from '../../sandbox/index.ts';
import type { Sandbox } from '../../sandbox/index.ts';
import type { UiSession } from '../harness/workbench.ts';
import { reportIfFailed, startUiSession } from '../harness/workbench.ts';
import { contextMenuItem, openContextMenu, quickInput, runCommand, waitForExtension } from '../harness/ui-actions.ts';

const MENU = 'Build with kaniko on OpenShift';

describe('an untrusted workspace', { timeout: 300_000 }, () => {
  let sandbox: Sandbox;
  let session: UiSession;

  before(async () => {
    sandbox = await startSandbox();
    session = await startUiSession(sandbox, process.env.KANIKO_TEST_VERBOSE === '1' ? (line) => console.error(line) : undefined, { workspaceTrust: true });
    // A folder nobody has trusted yet opens in Restricted Mode.
    await session.page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).waitFor({ timeout: 30_000 });
    await waitForExtension(session.page);
  });

  afterEach((t) => reportIfFailed(t, session));

  after(async () => {
    await session?.stop();
    await sandbox?.stop();
  });

  const buildPods = () => sandbox.store.list('pods').filter((pod) => pod.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE);

  test("the palette's Build Image… explains that building needs trust, and builds nothing", async () => {
    const { page } = session;
    await runCommand(page, 'Kaniko: Build Image…');
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'untrusted workspace' });
    await toast.waitFor({ timeout: 30_000 });
    assert.match(await toast.innerText(), /RUN instructions would execute in your cluster namespace/);
    await toast.locator('.monaco-button', { hasText: 'Manage Workspace Trust' }).waitFor();
    // The palette's own quick input may still be closing as the toast appears: wait for it to go, then make sure
    // no Dockerfile or destination prompt takes its place.
    await quickInput(page).waitFor({ state: 'hidden', timeout: 10_000 });
    await page.waitForTimeout(1000);
    assert.equal(await quickInput(page).isVisible(), false, 'no Dockerfile or destination is asked for');
    assert.deepEqual(buildPods(), []);
  });

  test("the Dockerfile's explorer menu has no build entry until the folder is trusted", async () => {
    const { page } = session;
    const menu = await openContextMenu(page, 'Dockerfile');
    await menu.getByRole('menuitem', { name: 'Copy Path' }).first().waitFor();
    assert.deepEqual((await menu.getByRole('menuitem').allInnerTexts()).filter((text) => text.includes(MENU)), []);
    await page.keyboard.press('Escape');

    // The check above is only worth something if the same menu shows the entry once trusted.
    await runCommand(page, 'Workspaces: Manage Workspace Trust');
    await page.locator('.workspace-trust-editor .monaco-button', { hasText: /^Trust$/ }).first().click();
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).waitFor({ state: 'detached', timeout: 30_000 });
    // The trust editor opens as a modal over the workbench; close it to reach the explorer again.
    const modal = page.locator('.monaco-modal-editor-block');
    await modal.locator('.action-label[aria-label^="Close"]').click();
    await modal.waitFor({ state: 'detached' });
    assert.ok(await (await contextMenuItem(page, 'Dockerfile', MENU)).isVisible());
    await page.keyboard.press('Escape');
  });
});
