// `node test/vscode/run-extension-tests.ts`: the extension-host tests in a real VS Code (code-server + Chromium)
// against the sandbox cluster. Prints one line per test and `# pass N` / `# fail N`; exits non-zero on any failure.
// Always stops code-server, Chromium and the sandbox, also on a timeout or Ctrl-C.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCodeServer, missingPrerequisites, repoRoot } from '../../scripts/code-server.ts';
import { startSandbox } from '../sandbox/index.ts';
import type { Sandbox } from '../sandbox/index.ts';
import { buildExtension } from './harness/build-extension.ts';
import { printResult } from './harness/result.ts';
import type { SuiteResult } from './harness/result.ts';
import { runEntry } from './harness/run-entry.ts';
import { copySampleProject } from './harness/workspace.ts';

const overallTimeoutMs = 6 * 60_000;
const verbose = process.env.KANIKO_TEST_VERBOSE === '1';
// The browser console and code-server's log: all of it with KANIKO_TEST_VERBOSE=1, else the tail when something failed.
const recent: string[] = [];
const log = (line: string) => {
  if (verbose) console.error(line);
  recent.push(line);
  if (recent.length > 120) recent.shift();
};

let sandbox: Sandbox | undefined;
const scratch: string[] = [];
async function cleanUp(): Promise<void> {
  await sandbox?.stop();
  sandbox = undefined;
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
}
// code-server registers its own exit hook; the sandbox and folders need an explicit stop before exiting.
const abort = (why: string) => {
  console.log(`not ok - ${why}`);
  console.log('# pass 0');
  console.log('# fail 1');
  void cleanUp().finally(() => process.exit(1));
};
let backstop: NodeJS.Timeout | undefined;
process.once('SIGINT', () => abort('interrupted'));
process.once('SIGTERM', () => abort('terminated'));

async function main(): Promise<number> {
  const missing = missingPrerequisites();
  if (missing.length) {
    printResult({ passed: 0, failed: 0, tests: [] }, [`missing prerequisites: ${missing.join('; ')}`]);
    return 1;
  }
  // The first run installs code-server (≈2 min); the time limit is for the tests.
  ensureCodeServer();
  backstop = setTimeout(() => abort(`extension-host tests did not finish within ${overallTimeoutMs / 60_000} min`), overallTimeoutMs);
  buildExtension();
  const results: SuiteResult[] = [];
  const problems: string[] = [];
  const collect = (run: Awaited<ReturnType<typeof runEntry>>) => {
    results.push(run.result);
    problems.push(...run.problems);
    console.error(`(${(run.elapsedMs / 1000).toFixed(1)} s)`);
  };

  // 1. Activation on demand in a folder without a Dockerfile: nothing else activates the extension first.
  const empty = mkdtempSync(join(tmpdir(), 'kaniko-empty-ws-'));
  scratch.push(empty);
  console.error('extension host: activation probe…');
  collect(await runEntry({ entry: join(repoRoot, 'test/vscode/harness/activation-probe.ts'), folder: empty, timeoutMs: 90_000, log }));

  // 2. The VS Code layer's suites in the sample project, against the sandbox cluster.
  sandbox = await startSandbox();
  const workspace = copySampleProject();
  scratch.push(join(workspace, '..'));
  console.error('extension host: suites…');
  collect(
    await runEntry({
      entry: join(repoRoot, 'test/vscode/suite/index.ts'),
      folder: workspace,
      // Hosts and paths only: credentials never travel in the payload URL.
      env: {
        KUBECONFIG: sandbox.kubeconfigPath,
        KANIKO_TEST_NAMESPACE: sandbox.namespace,
        KANIKO_TEST_REGISTRY: sandbox.registries.plain.host,
        KANIKO_TEST_TLS_REGISTRY: sandbox.registries.tls.host,
        KANIKO_TEST_TLS_CA: sandbox.registries.tls.caFile,
        KANIKO_TEST_WORKSPACE: workspace,
      },
      timeoutMs: overallTimeoutMs - 90_000,
      log,
    }),
  );

  const merged: SuiteResult = {
    passed: results.reduce((sum, r) => sum + r.passed, 0),
    failed: results.reduce((sum, r) => sum + r.failed, 0),
    tests: results.flatMap((r) => r.tests),
  };
  const failed = printResult(merged, problems);
  if (failed && !verbose) console.error(`--- last lines of the browser console and code-server log ---\n${recent.join('\n')}`);
  return failed;
}

try {
  process.exitCode = (await main()) === 0 ? 0 : 1;
} catch (error) {
  printResult({ passed: 0, failed: 0, tests: [] }, [`harness error: ${(error as Error).stack ?? String(error)}`]);
  process.exitCode = 1;
} finally {
  clearTimeout(backstop);
  await cleanUp();
}
