// `npm start` for a person: it prints the URL of a code-server that answers, with the sample project set up for the
// sandbox, and SIGTERM stops everything it started.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../../../scripts/code-server.ts';

test('npm start prints a working URL and the sandbox details, and stops everything on SIGTERM', { timeout: 300_000 }, async () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'kaniko-start-test-'));
  const child = spawn('node', ['scripts/start.ts', '--state-dir', stateDir], { cwd: repoRoot, detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /^open (http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(output);
        if (match && output.includes('Ctrl-C stops everything')) resolve(match[1]);
      });
      void exited.then((code) => reject(new Error(`npm start exited (${code}) before printing the URL:\n${output}`)));
    });
    const page = await fetch(url);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /vscode|workbench/i);

    const workspace = /^ {2}workspace +(\S+)/m.exec(output)?.[1] ?? '';
    const settings = JSON.parse(readFileSync(join(workspace, '.vscode', 'settings.json'), 'utf8')) as Record<string, unknown>;
    const plainRegistry = /^ {2}plain registry +(\S+)/m.exec(output)?.[1];
    assert.equal(settings['kaniko.defaultRegistry'], plainRegistry);
    assert.ok(existsSync(join(workspace, 'Dockerfile')));
    const kubeconfig = join(stateDir, 'kubeconfig');
    // A boolean check: a failing match would print the kubeconfig, token included.
    assert.ok(/server: "?https:\/\/127\.0\.0\.1:\d+/.test(readFileSync(kubeconfig, 'utf8')), 'the kubeconfig points at the sandbox API server');
    const registry = await fetch(`http://${plainRegistry}/v2/`);
    assert.equal(registry.status, 200);
    // The TLS registry's password is in a private file, never on the terminal.
    const password = readFileSync(join(stateDir, 'tls-registry-password'), 'utf8').trim();
    assert.ok(password.length >= 16 && !output.includes(password));

    process.kill(-child.pid!, 'SIGTERM');
    assert.equal(await exited, 0);
    await assert.rejects(fetch(url, { signal: AbortSignal.timeout(2000) }), 'code-server is gone');
    await assert.rejects(fetch(`http://${plainRegistry}/v2/`, { signal: AbortSignal.timeout(2000) }), 'the registry is gone');
    assert.ok(!existsSync(kubeconfig) && !existsSync(workspace), 'its files are removed');
  } finally {
    if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
    rmSync(stateDir, { recursive: true, force: true });
  }
});
