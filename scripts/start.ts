// `npm start`: the extension as a person meets it. Builds the VSIX, starts the sandbox cluster and registries,
// installs the VSIX into a private code-server and opens a copy of the sample project against the sandbox.
// `npm start -- --openshift` gives the sandbox OpenShift's APIs and internal registry. Ctrl-C stops everything.
// KANIKO_VSIX=path uses an already built VSIX instead of packaging one.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startSandbox } from '../test/sandbox/index.ts';
import type { Sandbox } from '../test/sandbox/index.ts';
import { startInstalledServer } from '../test/vscode/harness/workbench.ts';
import type { InstalledServer } from '../test/vscode/harness/workbench.ts';
import { missingPrerequisites, repoRoot } from './code-server.ts';

const openshift = process.argv.includes('--openshift');
// --state-dir keeps a test's run apart from a person's `.sandbox/` (kubeconfig, registry password).
const stateDirIndex = process.argv.indexOf('--state-dir');
const stateDir = stateDirIndex > 0 ? resolve(process.argv[stateDirIndex + 1]) : join(repoRoot, '.sandbox');
const passwordFile = join(stateDir, 'tls-registry-password');

let sandbox: Sandbox | undefined;
let installed: InstalledServer | undefined;
let stopping = false;

async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    console.log('\nStopping code-server and the sandbox…');
    await installed?.stop().catch((error: unknown) => console.error(error));
    await sandbox?.stop().catch((error: unknown) => console.error(error));
    rmSync(passwordFile, { force: true });
  }
  process.exit(code);
}
process.once('SIGINT', () => void stop(0));
process.once('SIGTERM', () => void stop(0));

try {
  const missing = missingPrerequisites();
  if (missing.length) throw new Error(`missing prerequisites:\n  ${missing.join('\n  ')}`);
  mkdirSync(stateDir, { recursive: true });
  console.log(`Starting the sandbox cluster${openshift ? ' (OpenShift mode)' : ''}…`);
  sandbox = await startSandbox({ openshift, kubeconfigPath: join(stateDir, 'kubeconfig') });
  console.log('Packaging the extension and starting code-server (the first run installs code-server, ≈2 min)…');
  installed = await startInstalledServer(sandbox);
  // The password goes to a private file, never to the terminal.
  writeFileSync(passwordFile, sandbox.registries.tls.password + '\n', { mode: 0o600 });
  const { plain, tls } = sandbox.registries;
  console.log(`
open ${installed.server.url}

  workspace        ${installed.workspace}  (kaniko.defaultRegistry = ${plain.host})
  cluster          ${sandbox.server}, namespace ${sandbox.namespace}
  kubeconfig       ${sandbox.kubeconfigPath}   (KUBECONFIG=${sandbox.kubeconfigPath} kubectl get pods)
  plain registry   ${plain.host}  (HTTP, anonymous pushes)
  TLS registry     ${tls.host}  user ${tls.user}, password in ${passwordFile}, CA ${tls.caFile}

Right-click Dockerfile → Build with kaniko on OpenShift. Ctrl-C stops everything.`);
} catch (error) {
  console.error(`npm start failed: ${(error as Error).message}`);
  await stop(1);
}
