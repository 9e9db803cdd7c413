// The README's commands as a newcomer types them: a fresh clone in a temporary folder, nothing installed beforehand
// (no node_modules, no code-server anywhere: private empty KANIKO_CODE_SERVER_DIRs), each command through `npm` in a
// shell environment without what our own `npm test` exports (npm_* variables, our node_modules/.bin on PATH).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { npmFreeEnvironment, repoRoot } from '../../scripts/code-server.ts';
import { vsixReadmeProblems } from './vsix-readme.ts';

const scratch = mkdtempSync(join(tmpdir(), 'kaniko-newcomer-'));
const clone = join(scratch, 'kaniko-build');

/** A person's shell: the machine's PATH (not the project's node_modules/.bin, whose node is 24) and no npm_* variables. */
function personEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const path = (process.env.PATH ?? '')
    .split(':')
    .filter((dir) => dir && !dir.includes('node_modules'))
    .join(':');
  return { ...npmFreeEnvironment(process.env), PATH: path, ...extra };
}

/** Runs a README command in the clone and returns its standard output, failing with the tail of all it printed. */
function typed(command: string, args: string[], env: NodeJS.ProcessEnv, cwd = clone): string {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const output = `${result.stdout}${result.stderr}`;
  assert.equal(result.status, 0, `${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal}):\n${output.slice(-4000)}`);
  return result.stdout;
}

/** Waits for `open URL` in the output; fails if the command exits first or takes over 12 minutes. */
async function printedUrl(output: () => string, exited: Promise<number | null>): Promise<string> {
  let code: number | null | undefined;
  void exited.then((value) => (code = value));
  const deadline = Date.now() + 12 * 60_000;
  for (;;) {
    const found = /^open (http:\/\/127\.0\.0\.1:\d+\/?)$/m.exec(output());
    if (found) return found[1];
    if (code !== undefined) throw new Error(`npm start exited (${code}) before printing the URL:\n${output().slice(-4000)}`);
    if (Date.now() > deadline) throw new Error(`no URL within 12 min:\n${output().slice(-4000)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const privateCodeServer = (name: string) => join(scratch, name);

describe('a fresh clone, as a newcomer types the README', () => {
  before(() => {
    // HEAD of this checkout: in CI, the submitted main.
    typed('git', ['clone', '--quiet', repoRoot, clone], personEnv(), scratch);
    typed('npm', ['ci', '--no-fund', '--no-audit'], personEnv());
  }, { timeout: 10 * 60_000 });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  test('npm start installs code-server itself, prints the URL, the URL answers 200, and Ctrl-C stops everything', { timeout: 15 * 60_000 }, async () => {
    const env = personEnv({ KANIKO_CODE_SERVER_DIR: privateCodeServer('code-server-start') });
    assert.equal(existsSync(env.KANIKO_CODE_SERVER_DIR!), false, 'no code-server beforehand');
    const child = spawn('npm', ['start'], { cwd: clone, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    let url: string | undefined;
    try {
      url = await printedUrl(() => output, exited);
      const response = await fetch(url);
      assert.equal(response.status, 200, `GET ${url}`);
    } finally {
      // Ctrl-C as a terminal sends it: SIGINT to the whole process group (unless npm start already ended). npm
      // itself then ends by the signal, after start.ts has stopped what it started.
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGINT');
      const stopped = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('still running'), 60_000))]);
      if (stopped === 'still running') process.kill(-child.pid!, 'SIGKILL');
      assert.notEqual(stopped, 'still running', `npm start did not stop within 60 s of Ctrl-C:\n${output.slice(-2000)}`);
    }
    const registry = /^ {2}plain registry +(\S+)/m.exec(output)?.[1];
    assert.ok(registry, output.slice(-2000));
    await assert.rejects(fetch(url, { signal: AbortSignal.timeout(2000) }), 'code-server is gone after Ctrl-C');
    await assert.rejects(fetch(`http://${registry}/v2/`, { signal: AbortSignal.timeout(2000) }), 'the sandbox registry is gone after Ctrl-C');
  });

  test('npm run bench -- activation installs code-server itself and prints its figures', { timeout: 15 * 60_000 }, () => {
    const env = personEnv({ KANIKO_CODE_SERVER_DIR: privateCodeServer('code-server-bench') });
    const output = typed('npm', ['run', 'bench', '--', 'activation'], env);
    assert.match(output, /^activation\.ms: \d/m);
  });

  test('npm run package writes a VSIX whose README shows only pictures that it holds or https URLs', { timeout: 5 * 60_000 }, () => {
    typed('npm', ['run', 'package'], personEnv());
    const vsix = join(clone, 'dist', 'kaniko-build.vsix');
    assert.deepEqual(vsixReadmeProblems(vsix), []);
  });

  test('npm pack installs globally; kaniko-build runs from any folder on Node 24 and says which Node it needs on Node 20', { timeout: 5 * 60_000 }, () => {
    const packed = typed('npm', ['pack', '--pack-destination', scratch], personEnv()).trim().split('\n').at(-1)!;
    const prefix = join(scratch, 'global');
    typed('npm', ['install', '--global', '--prefix', prefix, '--no-fund', '--no-audit', join(scratch, packed)], personEnv());
    const bin = join(prefix, 'bin', 'kaniko-build');
    const node24 = join(clone, 'node_modules', 'node', 'bin');
    const help = typed(bin, ['--help'], personEnv({ PATH: `${node24}:${personEnv().PATH}` }), tmpdir());
    assert.match(help, /^Usage: kaniko-build build /m);
    const machineNode = spawnSync('node', ['--version'], { env: personEnv(), encoding: 'utf8' }).stdout.trim();
    const major = Number(machineNode.replace(/^v/, '').split('.')[0]);
    if (major < 22) {
      const old = spawnSync(bin, ['--help'], { cwd: tmpdir(), env: personEnv(), encoding: 'utf8' });
      assert.equal(old.status, 2);
      assert.equal(old.stdout, '');
      assert.equal(old.stderr, `kaniko-build needs Node.js 22 or newer; this is Node.js ${machineNode.replace(/^v/, '')}.\n`);
    } else {
      console.log(`# the machine's Node is ${machineNode}: the old-Node message is checked where Node is older than 22`);
    }
    // The package carries what the CLI runs, and none of the project's sources or tests.
    const listing = spawnSync('tar', ['-tzf', join(scratch, packed)], { encoding: 'utf8' }).stdout;
    assert.match(listing, /^package\/dist\/cli\.js$/m);
    assert.doesNotMatch(listing, /^package\/(src|test)\//m);
    assert.ok(JSON.parse(readFileSync(join(clone, 'package.json'), 'utf8')).bin['kaniko-build']);
  });
});
