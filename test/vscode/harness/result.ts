// The file an extension-host run writes (path in env KANIKO_TEST_RESULT) and how the runner reports it.
// The suite entry (test/vscode/suite/index.ts) writes it; the runner on the Node side reads it.

export interface TestOutcome {
  /** Full title, suites joined with " › " (or mocha's fullTitle()). */
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

export interface SuiteResult {
  passed: number;
  failed: number;
  tests: TestOutcome[];
}

/** Accepts the agreed shape plus mocha-like variants (fullTitle/state, `passes`/`failures` arrays) so a small drift in the writer does not hide results. */
export function normaliseResult(raw: unknown): SuiteResult {
  const value = raw as Record<string, unknown>;
  const list = (Array.isArray(value.tests) ? value.tests : [...asArray(value.passes), ...asArray(value.failures)]) as Record<string, unknown>[];
  const tests: TestOutcome[] = list.map((t) => ({
    title: String(t.title ?? t.fullTitle ?? '(untitled)'),
    state: t.state === 'failed' || t.err || t.error ? 'failed' : t.state === 'pending' ? 'pending' : 'passed',
    durationMs: typeof t.durationMs === 'number' ? t.durationMs : typeof t.duration === 'number' ? t.duration : undefined,
    error: typeof t.error === 'string' ? t.error : t.err ? JSON.stringify(t.err) : undefined,
  }));
  const count = (state: TestOutcome['state']) => tests.filter((t) => t.state === state).length;
  return {
    passed: tests.length ? count('passed') : Number(value.passed ?? 0),
    failed: tests.length ? count('failed') : Number(value.failed ?? 0),
    tests,
  };
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Prints one line per test and the `# pass N` / `# fail N` pair that scripts/test.mjs sums. */
export function printResult(result: SuiteResult, extraFailures: string[], print: (line: string) => void = console.log): number {
  for (const test of result.tests) {
    const mark = test.state === 'passed' ? 'ok' : test.state === 'failed' ? 'not ok' : 'skip';
    print(`${mark} - ${test.title}${test.durationMs !== undefined ? ` (${Math.round(test.durationMs)} ms)` : ''}`);
    if (test.error) print(`    ${test.error.split('\n').join('\n    ')}`);
  }
  for (const failure of extraFailures) print(`not ok - ${failure}`);
  // A pending (skipped) test is reported as a failure: a skip must never pass silently.
  const pending = result.tests.filter((t) => t.state === 'pending').length;
  const failed = result.failed + pending + extraFailures.length;
  print(`# pass ${result.passed}`);
  print(`# fail ${failed}`);
  return failed;
}
