// Extension-host entry: runs the mocha suites inside VS Code and writes the outcome to $KANIKO_TEST_RESULT
// (mocha's own output only reaches the browser console). Bundled to CommonJS by test/vscode/harness/bundle-tests.ts.
import { writeFileSync } from 'node:fs';
import Mocha from 'mocha';

interface Outcome {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 180_000 });
  // Define suite()/test() before the suites load; the static import() paths let esbuild bundle them.
  mocha.suite.emit('pre-require', globalThis, 'bundle', mocha);
  await import('./commands.test.ts');
  await import('./build.test.ts');
  await import('./task.test.ts');
  await import('./cluster.test.ts');
  const outcomes: Outcome[] = [];
  const failures = await new Promise<number>((resolve) => {
    const runner = mocha.run(resolve);
    runner.on('pass', (test) => outcomes.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration }));
    runner.on('fail', (test, error: Error) => outcomes.push({ title: test.fullTitle(), state: 'failed', durationMs: test.duration, error: error.stack ?? String(error) }));
    runner.on('pending', (test) => outcomes.push({ title: test.fullTitle(), state: 'pending' }));
  });
  const resultFile = process.env.KANIKO_TEST_RESULT;
  if (resultFile) {
    const passed = outcomes.filter((o) => o.state === 'passed').length;
    writeFileSync(resultFile, JSON.stringify({ passed, failed: outcomes.length - passed, tests: outcomes }, null, 2));
  }
  if (failures > 0) throw new Error(`${failures} extension-host test(s) failed`);
}
