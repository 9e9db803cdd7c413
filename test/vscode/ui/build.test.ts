// UI tests: a person's clicks in a real VS Code (code-server + Chromium) with the extension installed from the VSIX,
// building the sample project on the sandbox cluster. Screenshots go to docs/screenshots/ with KANIKO_SCREENSHOTS=1.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { ANNOTATION_DESTINATIONS, MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../../../src/core/build/defaults.ts';
import { startSandbox } from '../../sandbox/index.ts';
import type { Sandbox } from '../../sandbox/index.ts';
import { baseImages } from '../../sandbox/registry/base-images.ts';
import { inspectImage } from '../../sandbox/registry/inspect.ts';
import type { UiSession } from '../harness/workbench.ts';
import { reportIfFailed, startUiSession } from '../harness/workbench.ts';
import {
  contextMenuItem,
  expandRow,
  explorerRow,
  openBuildsView,
  panelText,
  quickInputBox,
  quickPickRow,
  runCommand,
  screenshot,
  showExplorer,
  statusBarItem,
  waitForExtension,
  waitForQuickInput,
  widenSideBar,
} from '../harness/ui-actions.ts';

const MENU = 'Build with kaniko on OpenShift';
const tag = `ui${Date.now().toString(36)}`;

describe('building from the explorer in VS Code', { timeout: 600_000 }, () => {
  let sandbox: Sandbox;
  let session: UiSession;

  before(async () => {
    sandbox = await startSandbox();
    session = await startUiSession(sandbox, process.env.KANIKO_TEST_VERBOSE === '1' ? (line) => console.error(line) : undefined);
    await waitForExtension(session.page);
    // The sample's busybox comes from the sandbox registry here, as kaniko pulls every base image from a registry.
    const failing = join(session.workspace, 'failing.Dockerfile');
    writeFileSync(failing, readFileSync(failing, 'utf8').replace('FROM busybox:1.36', `FROM ${busybox()}`));
  });

  const busybox = () => `${sandbox.registries.plain.host}/${baseImages.busybox}`;

  afterEach((t) => reportIfFailed(t, session));

  after(async () => {
    await session?.stop();
    await sandbox?.stop();
  });

  /** Right-click → Build, type the destination, and answer the registry-credentials question when it is asked. */
  async function startBuild(file: string, destination: string, screenshots?: { menu: string; destination: string }): Promise<void> {
    const { page } = session;
    const item = await contextMenuItem(page, file, MENU);
    if (screenshots) {
      await item.hover();
      await screenshot(page, screenshots.menu);
    }
    await item.click();
    await waitForQuickInput(page, 'Push the image to');
    // The default (from kaniko.defaultRegistry) is offered; a person may also type any reference.
    await quickPickRow(page, `${sandbox.registries.plain.host}/sample-project:latest`).waitFor();
    await quickPickRow(page, 'Enter image reference').click();
    await quickInputBox(page).fill(destination);
    if (screenshots) await screenshot(page, screenshots.destination);
    await quickInputBox(page).press('Enter');
    // Asked once per registry (then remembered): the sandbox's plain registry takes anonymous pushes.
    if (await waitForQuickInput(page, 'not found', true, 5_000)) await quickPickRow(page, 'Push without credentials').click();
  }

  test('right-click Dockerfile → Build → destination → phases in the tree → success in the status bar → image in the registry', async () => {
    const { page } = session;
    const destination = `${sandbox.registries.plain.host}/sample/app:${tag}`;
    // Open the Dockerfile too, as a person looking at it would; the pictures then show it beside the tree.
    await explorerRow(page, 'Dockerfile').click();
    await page.locator('.editor-instance .view-lines', { hasText: 'FROM scratch' }).waitFor();
    await startBuild('Dockerfile', destination, { menu: '01-explorer-menu', destination: '02-destination-prompt' });

    const success = statusBarItem(page, /kaniko: app @sha256:[0-9a-f]{8}/);
    await success.waitFor({ timeout: 180_000 });
    const shortDigest = /@sha256:([0-9a-f]{8})/.exec(await success.innerText())?.[1] ?? '';

    const rows = await openBuildsView(page);
    await widenSideBar(page, 480);
    const buildRow = rows.filter({ hasText: 'app' }).first();
    await expandRow(buildRow);
    for (const phase of ['Package context', 'Create pod', 'Upload context', 'Build', 'Push']) {
      await rows.filter({ hasText: phase }).first().waitFor({ timeout: 10_000 });
    }
    await expandRow(rows.filter({ hasText: /^Build/ }).first());
    await rows.filter({ hasText: 'COPY app/ /app/' }).first().waitFor({ timeout: 10_000 });
    await runCommand(page, 'Kaniko: Show Build Log');
    await page.locator('.part.panel .monaco-editor .view-lines').first().waitFor();
    await screenshot(page, 'build-succeeded');

    const image = await inspectImage({ host: sandbox.registries.plain.host }, 'sample/app', tag);
    assert.equal(image.digest.slice(7, 15), shortDigest, 'the status bar shows the pushed digest');
    assert.ok(image.files.has('app/index.html') && image.files.has('etc/sample/config.json'), [...image.files.keys()].join(', '));
    assert.ok(![...image.files.keys()].some((path) => path.endsWith('build.log') || path.startsWith('tmp/')), '.dockerignore entries stay out');
    assert.ok(image.config.config?.Env?.includes('SAMPLE_MODE=production'));
  });

  test('a failing RUN shows the error notification, the log in the output panel and the Problems entry', async () => {
    const { page } = session;
    await showExplorer(page);
    await explorerRow(page, 'failing.Dockerfile').click();
    await page.locator('.editor-instance .view-lines', { hasText: 'self-test failed' }).waitFor();
    await startBuild('failing.Dockerfile', `${sandbox.registries.plain.host}/sample/failing:${tag}`);

    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: /failed/i });
    await toast.waitFor({ timeout: 180_000 });
    assert.match(await toast.innerText(), /exit (code|status) 3|RUN/i);
    await screenshot(page, 'build-failed-notification');

    // The log opens by itself on failure and holds the RUN's own output.
    await page.locator('.part.panel .monaco-editor .view-lines', { hasText: 'self-test failed' }).waitFor({ timeout: 30_000 });
    assert.match(await panelText(page, '.monaco-editor .view-lines'), /exit status 3/);

    await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
    const problem = page.locator('.part.panel .markers-panel .monaco-list-row', { hasText: /exit|RUN|failed/i }).first();
    await problem.waitFor({ timeout: 30_000 });
    const problems = await panelText(page, '.markers-panel');
    assert.match(problems, /failing\.Dockerfile/);
    assert.match(problems, /Ln 5/, 'the error sits on the failing RUN line');
    await screenshot(page, 'build-failed-problems');
  });

  test('a window reloaded mid-build re-attaches: the build follows to success in the status bar and the tree, and its pod goes', async () => {
    const { page } = session;
    // A RUN long enough to reload the window while kaniko executes it.
    writeFileSync(join(session.workspace, 'slow.Dockerfile'), `FROM ${busybox()}\nRUN echo "slow step starts" && sleep 12 && echo "slow step done"\n`);
    await explorerRow(page, 'slow.Dockerfile').waitFor({ timeout: 30_000 });
    await startBuild('slow.Dockerfile', `${sandbox.registries.plain.host}/sample/slow:${tag}`);
    await statusBarItem(page, /kaniko: slow — step/).waitFor({ timeout: 120_000 });
    assert.equal(podsFor('slow').length, 1, 'one build pod runs the RUN');
    await assert.rejects(inspectImage({ host: sandbox.registries.plain.host }, 'sample/slow', tag), 'nothing is pushed yet: the reload comes mid-build');

    await page.reload();
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await waitForExtension(page);
    // Followed again without opening the view: the status bar reaches the pushed digest.
    const success = statusBarItem(page, /kaniko: slow @sha256:[0-9a-f]{8}/);
    await success.waitFor({ timeout: 120_000 });
    const shortDigest = /@(sha256:[0-9a-f]{8})/.exec(await success.innerText())?.[1] ?? '';
    const image = await inspectImage({ host: sandbox.registries.plain.host }, 'sample/slow', tag);
    assert.equal(image.digest.slice(0, 15), shortDigest);

    const rows = await openBuildsView(page);
    // Top-level rows only: the build's own rows below it (its RUN line) mention "slow" too.
    const buildRow = rows.and(page.locator('[aria-level="1"]')).filter({ hasText: 'slow' });
    await buildRow.first().waitFor();
    assert.equal(await buildRow.count(), 1, 'the restored build is followed in its own node, not a second one');
    await expandRow(buildRow.first());
    await rows.filter({ hasText: 'Pushed' }).filter({ hasText: shortDigest }).first().waitFor({ timeout: 10_000 });

    // The cleanup policy removes a succeeded build's pod, re-attached or not.
    const deadline = Date.now() + 30_000;
    while (podsFor('slow').length > 0 && Date.now() < deadline) await page.waitForTimeout(250);
    assert.deepEqual(podsFor('slow'), [], 'no pod left on the cluster');
  });

  test('a window reloaded before the build pod exists ends that build as cancelled with the reason, and no pod appears', async () => {
    const { page } = session;
    const heldMs = 15_000;
    // The cluster check holds the build before it creates its pod: the access reviews are answered after 15 s.
    sandbox.faults.delayRequests({ path: 'selfsubjectaccessreviews', method: 'POST' }, heldMs, 10);
    try {
      await startBuild('Dockerfile', `${sandbox.registries.plain.host}/sample/early:${tag}`);
      await statusBarItem(page, /kaniko: early — Check cluster/).waitFor({ timeout: heldMs });
      const held = Date.now();
      await page.reload();
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      await waitForExtension(page);

      const rows = await openBuildsView(page);
      const buildRow = rows.and(page.locator('[aria-level="1"]')).filter({ hasText: 'early' });
      await expandRow(buildRow.first());
      await rows.filter({ hasText: 'Cancelled' }).filter({ hasText: 'window closed before the build pod was created' }).first().waitFor({ timeout: 10_000 });

      // Once the held answers have gone out (to an extension host that is gone), still nothing builds.
      await page.waitForTimeout(Math.max(0, held + heldMs + 3000 - Date.now()));
      assert.deepEqual(podsFor('early'), [], 'no pod was created for the interrupted build');
    } finally {
      await sandbox.faults.reset();
    }
  });

  test('a window reloaded after the build pod was created but before its name came back deletes that pod at start-up', async () => {
    const { page } = session;
    // The create is served at once, its answer held: the build never learns its pod's name before the reload.
    sandbox.faults.holdAnswers({ path: '/pods', method: 'POST' }, 30_000, 1);
    try {
      await startBuild('Dockerfile', `${sandbox.registries.plain.host}/sample/orphan:${tag}`);
      const created = Date.now() + 30_000;
      while (podsFor('orphan').length === 0 && Date.now() < created) await page.waitForTimeout(100);
      assert.equal(podsFor('orphan').length, 1, 'the build created its pod');
      await page.reload();
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      await waitForExtension(page);

      const rows = await openBuildsView(page);
      await rows.and(page.locator('[aria-level="1"]')).filter({ hasText: 'orphan' }).first().waitFor({ timeout: 10_000 });
      // Found by the build id on its label, long before the held answer or kaniko-init's own timeout.
      const gone = Date.now() + 15_000;
      while (podsFor('orphan').length > 0 && Date.now() < gone) await page.waitForTimeout(250);
      assert.deepEqual(podsFor('orphan'), [], 'the orphaned pod was deleted');
    } finally {
      await sandbox.faults.reset();
    }
  });

  /** The sandbox's build pods pushing to a repository whose name has this word, straight from its object store. */
  function podsFor(word: string): string[] {
    return sandbox.store
      .list('pods')
      .filter((pod) => pod.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE && (pod.metadata.annotations?.[ANNOTATION_DESTINATIONS] ?? '').includes(`/${word}:`))
      .map((pod) => String(pod.metadata.name));
  }
});
