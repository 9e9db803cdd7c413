// `npm test`: every level of the test suite on this machine, ending with `N passed, N failed`.
// Levels run one after another; a level that cannot run (a missing tool) counts as failed, never as skipped.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { checkPrerequisites } from './prerequisites.mjs';

const root = new URL('..', import.meta.url).pathname;
const only = process.argv.slice(2); // e.g. `npm test -- unit sandbox`

/** Finds `*.test.ts` files below a folder, sorted, so levels with no tests are reported rather than passing. */
function testFiles(dir) {
  const full = join(root, dir);
  if (!existsSync(full)) return [];
  return readdirSync(full, { recursive: true })
    .map(String)
    .filter((name) => name.endsWith('.test.ts') && statSync(join(full, name)).isFile())
    .sort()
    .map((name) => join(dir, name));
}

/** Runs a command in its own process group, echoing its output; kills the whole group on timeout. */
function run(command, args, timeoutMs) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    const collect = (stream, sink) =>
      stream.on('data', (chunk) => {
        output += chunk;
        sink.write(chunk);
      });
    collect(child.stdout, process.stdout);
    collect(child.stderr, process.stderr);
    const signal = (name) => {
      try {
        process.kill(-child.pid, name);
      } catch {
        /* already gone */
      }
    };
    // SIGTERM first so harnesses stop their servers (own process groups); SIGKILL if they do not.
    let killer;
    const timer = setTimeout(() => {
      output += `\n# timed out after ${timeoutMs / 1000} s\n`;
      signal('SIGTERM');
      killer = setTimeout(() => signal('SIGKILL'), 10_000);
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      clearTimeout(killer);
      resolve({ code: code ?? 1, output });
    });
  });
}

/** Reads the counts node's test runner (spec or TAP) or our own harnesses print. */
function counts(output) {
  const last = (name) => {
    const matches = [...output.matchAll(new RegExp(`^(?:ℹ|#) ${name} (\\d+)$`, 'gm'))];
    return matches.length ? Number(matches.at(-1)[1]) : undefined;
  };
  const passed = last('pass');
  const failed = (last('fail') ?? 0) + (last('cancelled') ?? 0);
  return passed === undefined ? undefined : { passed, failed };
}

const minutes = (n) => n * 60_000;
const nodeTest = (dir, timeoutMin) => ({
  files: () => testFiles(dir),
  command: (files) => ['node', ['--test', '--test-reporter=spec', '--test-timeout=300000', ...files]],
  timeout: minutes(timeoutMin),
});

const levels = [
  { name: 'lint', command: () => ['npx', ['eslint', '.']], timeout: minutes(5) },
  { name: 'typecheck', command: () => ['npx', ['tsc', '--noEmit', '-p', '.']], timeout: minutes(5) },
  { name: 'build', command: () => ['node', ['scripts/build.mjs']], timeout: minutes(3) },
  // First of the test levels: a fresh clone with nothing installed, so nothing a later level installs can hide a gap.
  { name: 'newcomer', ...nodeTest('test/newcomer', 30) },
  { name: 'unit', ...nodeTest('test/unit', 15) },
  { name: 'sandbox', ...nodeTest('test/sandbox', 20) },
  { name: 'integration', ...nodeTest('test/integration', 25) },
  { name: 'reliability', ...nodeTest('test/reliability', 15) },
  { name: 'vscode', command: () => ['node', ['test/vscode/run-extension-tests.ts']], needs: 'test/vscode/run-extension-tests.ts', timeout: minutes(12) },
  { name: 'ui', ...nodeTest('test/vscode/ui', 15) },
];

let passed = 0;
let failed = 0;
const table = [];

const missing = checkPrerequisites();
if (missing.length) {
  console.error('Missing prerequisites (the levels that need them will fail):');
  for (const line of missing) console.error(`  - ${line}`);
  failed += 1;
  table.push(['prerequisites', 'FAILED', `${missing.length} missing`]);
}

for (const level of levels.filter((l) => only.length === 0 || only.includes(l.name))) {
  const files = level.files?.();
  if ((files && files.length === 0) || (level.needs && !existsSync(join(root, level.needs)))) {
    failed += 1;
    table.push([level.name, 'FAILED', 'no tests found']);
    continue;
  }
  console.log(`\n=== ${level.name}`);
  const [command, args] = level.command(files);
  const started = Date.now();
  const { code, output } = await run(command, args, level.timeout);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const found = counts(output);
  if (found) {
    // A runner that exits non-zero without reporting a failed test still failed (a crash, a timeout).
    const extra = code !== 0 && found.failed === 0 ? 1 : 0;
    passed += found.passed;
    failed += found.failed + extra;
    table.push([level.name, code === 0 ? 'ok' : 'FAILED', `${found.passed} passed, ${found.failed + extra} failed, ${seconds} s`]);
  } else {
    // Checks without test counts (lint, typecheck, build) count as one test each.
    if (code === 0) passed += 1;
    else failed += 1;
    table.push([level.name, code === 0 ? 'ok' : 'FAILED', `${seconds} s`]);
  }
}

console.log('\n=== summary');
for (const [name, state, detail] of table) console.log(`${name.padEnd(14)} ${state.padEnd(7)} ${detail}`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
