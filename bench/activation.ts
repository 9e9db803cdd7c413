// Benchmark: activation of the extension in a real VS Code (code-server), as shipped (the VSIX's production bundle).
// Each round starts a fresh extension host in a folder without a Dockerfile, so the probe's activate() call is the
// activation; then the Running Extensions view gives VS Code's own figure for it. Prints
//   activation.ms         median of VS Code's "Activation: N ms" (loading the code + the activate() call; target <= 50)
//   activation.ratio      activation.ms / the median activation of VS Code's built-in extensions in the same window
//   activation.total_ms   median from the probe's activate() call to the returned API, including VS Code's own work
//                         for the extension (context, storage) — for comparison
//   activation.bundle_kb  size of the extension's code loaded by activation (target <= 300; the engine is not loaded)
// Standalone: node bench/activation.ts [--rounds 3]
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { codeServerCli, repoRoot } from '../scripts/code-server.ts';
import { packageVsix } from '../test/vscode/harness/build-extension.ts';
import { extensionId } from '../test/vscode/harness/activation-metrics.ts';
import type { ActivationMetrics } from '../test/vscode/harness/activation-metrics.ts';
import { runEntry } from '../test/vscode/harness/run-entry.ts';
import { runCommand } from '../test/vscode/harness/ui-actions.ts';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** The view names a development extension by its identifier, an installed one by its display name. */
const isOurs = (name: string) => name === extensionId || name.startsWith('Kaniko Build');
const ACTIVATION = /Activation: (\d+(?:\.\d+)?)\s*ms/;

/** Every row of Developer: Show Running Extensions as name → activation ms, scrolling through the virtual list. */
async function runningExtensions(page: Page, resultFile: string): Promise<Map<string, number>> {
  try {
    const deadline = Date.now() + 90_000;
    while (!existsSync(resultFile)) {
      if (Date.now() > deadline) throw new Error('the probe wrote no result');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await runCommand(page, 'Developer: Show Running Extensions');
    const rows = page.locator('.runtime-extensions-editor .monaco-list-row');
    await rows.first().filter({ hasText: ACTIVATION }).waitFor({ timeout: 30_000 });
    const seen = new Map<string, number>();
    for (let scroll = 0; scroll < 30; scroll++) {
      for (const text of await rows.allInnerTexts()) {
        const ms = ACTIVATION.exec(text)?.[1];
        if (ms) seen.set(text.split('\n')[0].trim(), Number(ms));
      }
      if ([...seen.keys()].some(isOurs)) break;
      const box = await page.locator('.runtime-extensions-editor').boundingBox();
      if (box) await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.wheel(0, 300);
      await page.waitForTimeout(100);
    }
    if (process.env.KANIKO_BENCH_DEBUG) console.error([...seen]);
    return seen;
  } finally {
    writeFileSync(`${resultFile}.done`, '');
  }
}

/** The shipped form: the VSIX (packaged now, or KANIKO_VSIX) installed into a scratch folder, safe from rebuilds of dist/. */
async function installedExtension(scratch: string): Promise<string> {
  codeServerCli(['--install-extension', process.env.KANIKO_VSIX || (await packageVsix(scratch))], scratch);
  const folder = readdirSync(scratch).find((name) => name.startsWith(`${extensionId}-`));
  if (!folder) throw new Error(`the VSIX did not install into ${scratch}`);
  return join(scratch, folder);
}

export async function benchActivation(print: (key: string, value: number) => void, options: { rounds?: number } = {}): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'kaniko-bench-extension-'));
  try {
    await measure(await installedExtension(scratch), print, options.rounds ?? 3);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function measure(extensionPath: string, print: (key: string, value: number) => void, rounds: number): Promise<void> {
  const reported: number[] = [];
  const totals: number[] = [];
  const peers: number[] = [];
  let loadedKb = 0;
  for (let round = 0; round < rounds; round++) {
    const folder = mkdtempSync(join(tmpdir(), 'kaniko-bench-activation-'));
    try {
      let vscodeMs: number | undefined;
      let peerMs: number | undefined;
      const run = await runEntry({
        entry: join(repoRoot, 'test/vscode/harness/activation-probe.ts'),
        folder,
        extensionDevelopmentPath: extensionPath,
        env: { KANIKO_PROBE_HOLD: '1' },
        timeoutMs: 150_000,
        duringRun: async (page, resultFile) => {
          const times = await runningExtensions(page, resultFile);
          vscodeMs = [...times].find(([name]) => isOurs(name))?.[1];
          // The peer: VS Code's built-in extensions activated in the same window on the same (possibly busy) machine.
          const others = [...times].filter(([name]) => !isOurs(name)).map(([, ms]) => ms);
          peerMs = others.length ? median(others) : undefined;
        },
      });
      const metrics = run.raw?.metrics as ActivationMetrics | undefined;
      const failures = [...run.problems, ...run.result.tests.filter((t) => t.state !== 'passed').map((t) => `${t.title}: ${t.error}`)];
      if (!metrics || vscodeMs === undefined || peerMs === undefined || failures.length) throw new Error(`activation probe failed: ${failures.join('; ')}`);
      console.error(`activation round ${round + 1}: VS Code ${vscodeMs} ms (built-in extensions' median ${peerMs} ms), probe ${metrics.activationMs.toFixed(1)} ms`);
      reported.push(vscodeMs);
      peers.push(peerMs);
      totals.push(metrics.activationMs);
      loadedKb = metrics.loadedKb;
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }
  print('activation.ms', median(reported));
  print('activation.ratio', Number((median(reported) / median(peers)).toFixed(3)));
  print('activation.total_ms', Number(median(totals).toFixed(1)));
  print('activation.bundle_kb', Number(loadedKb.toFixed(1)));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const index = process.argv.indexOf('--rounds');
  await benchActivation((key, value) => console.log(`${key} ${value}`), { rounds: index > 0 ? Number(process.argv[index + 1]) : undefined });
}
