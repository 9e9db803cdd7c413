// Reliability figures: a soak of consecutive builds (handles, listeners, memory of THIS process), a log
// flood through the real log-follow path (event-loop stall), and the fault and hostile-input tables.
// The soak and the flood use a sandbox in a child process so that only the engine's own resources count here.
// Standalone: node bench/reliability.ts [--soak N] [--large] [soak logs faults inputs]
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createRegistrySecret, listBuilds, startBuild } from '../src/core/engine.ts';
import { makeContext, run } from '../test/integration/helpers.ts';
import { startSandbox } from '../test/sandbox/index.ts';
import { faultCases, runFaultCase } from '../test/reliability/fault-cases.ts';
import { inputCases, runInputCase } from '../test/reliability/input-cases.ts';

type Print = (key: string, value: number) => void;
type Part = 'soak' | 'logs' | 'faults' | 'inputs';
const PARTS: readonly Part[] = ['soak', 'logs', 'faults', 'inputs'];

interface ChildSandbox {
  readonly kubeconfig: string;
  readonly registry: string;
  stop(): Promise<void>;
}

/** `npm run sandbox` in a child process; resolves once it prints `ready`. */
async function startChildSandbox(): Promise<ChildSandbox> {
  const cli = fileURLToPath(new URL('../test/sandbox/cli.ts', import.meta.url));
  const child: ChildProcess = spawn(process.execPath, [cli], { stdio: ['ignore', 'pipe', 'inherit'] });
  const info: Record<string, string> = {};
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for await (const line of createInterface({ input: child.stdout as NodeJS.ReadableStream })) {
    if (line === 'ready') break;
    const colon = line.indexOf(': ');
    if (colon > 0) info[line.slice(0, colon)] = line.slice(colon + 2);
  }
  if (!info.kubeconfig) throw new Error('the sandbox did not start');
  child.stdout?.resume();
  return {
    kubeconfig: info.kubeconfig, registry: info.registry,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function exposeGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

interface Usage { rssMb: number; fds: number; handles: number; listeners: number }

function usage(gc: () => void): Usage {
  gc();
  gc();
  return {
    rssMb: process.memoryUsage().rss / 2 ** 20,
    fds: readdirSync('/proc/self/fd').length,
    handles: process.getActiveResourcesInfo().length,
    listeners: process.eventNames().reduce((n, name) => n + process.listenerCount(name), 0),
  };
}

const round = (n: number, digits = 1): number => Number(n.toFixed(digits));
const settle = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** One small FROM-scratch build; true when it succeeded. */
async function smallBuild(sandbox: ChildSandbox): Promise<boolean> {
  const contextDir = await makeContext({ Dockerfile: 'FROM scratch\nCOPY a.txt /a.txt\n', 'a.txt': 'soak\n' });
  const request = { dockerfile: join(contextDir, 'Dockerfile'), contextDir, kube: { kubeconfig: sandbox.kubeconfig }, destinations: [`${sandbox.registry}/soak/app:latest`], secretName: '', extraArgs: ['--insecure'] };
  const ok = (await run(request).result).outcome === 'succeeded';
  await rm(contextDir, { recursive: true, force: true });
  return ok;
}

/** Module loading, TLS sessions, the JIT: paid once per process, not per build. */
async function warmUp(sandbox: ChildSandbox): Promise<void> {
  for (let i = 0; i < 3; i++) await smallBuild(sandbox);
}

async function soak(print: Print, sandbox: ChildSandbox, builds: number): Promise<void> {
  const gc = exposeGc();
  const once = (): Promise<boolean> => smallBuild(sandbox);
  await warmUp(sandbox);
  await settle(500);
  const before = usage(gc);
  let succeeded = 0;
  const started = Date.now();
  for (let i = 0; i < builds; i++) if (await once()) succeeded++;
  const seconds = (Date.now() - started) / 1000;
  await settle(1000); // let sockets of the last build close
  const after = usage(gc);
  print('soak.builds', builds);
  print('soak.succeeded', succeeded);
  print('soak.seconds_per_build', round(seconds / builds, 2));
  print('soak.pods_left', (await listBuilds({ kubeconfig: sandbox.kubeconfig })).length);
  print('soak.rss_growth_mb', round(after.rssMb - before.rssMb));
  print('soak.fd_growth', after.fds - before.fds);
  print('soak.handle_growth', after.handles - before.handles);
  print('soak.listener_growth', after.listeners - before.listeners);
}

async function logFlood(print: Print, sandbox: ChildSandbox, lines: number): Promise<void> {
  const gc = exposeGc();
  const contextDir = await makeContext({ Dockerfile: `FROM busybox:1.36\nRUN seq ${lines}\n` });
  // A first small build loads the engine's lazily required modules, as the extension host has after its first build.
  await warmUp(sandbox);
  // The same monitor on an idle loop: on a busy machine the scheduler's own delays show up here, not the engine's.
  const idle = monitorEventLoopDelay({ resolution: 5 });
  idle.enable();
  await settle(5000);
  idle.disable();
  print('logs.idle_max_stall_ms', round(idle.max / 1e6));
  const before = usage(gc);
  const delay = monitorEventLoopDelay({ resolution: 5 });
  let received = 0;
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  delay.enable();
  // startBuild directly: the test helper's run() keeps every event, which would be the bench's memory, not the engine's.
  const session = startBuild({ dockerfile: join(contextDir, 'Dockerfile'), contextDir, kube: { kubeconfig: sandbox.kubeconfig }, destinations: [`${sandbox.registry}/flood/app:v1`], secretName: '', extraArgs: ['--insecure'] });
  session.onEvent((event) => {
    if (event.type === 'log' && event.source === 'kaniko') received++;
  });
  const result = await session.done;
  delay.disable();
  clearInterval(sampler);
  if (result.outcome !== 'succeeded') throw new Error(`the log-flood build failed: ${result.message}`);
  print('logs.lines_printed', lines);
  print('logs.lines_received', received);
  print('logs.max_stall_ms', round(delay.max / 1e6));
  print('logs.p99_stall_ms', round(delay.percentile(99) / 1e6));
  print('logs.peak_rss_growth_mb', round(peakRss / 2 ** 20 - before.rssMb));
}

async function tables(print: Print, parts: ReadonlySet<Part>, large: boolean): Promise<void> {
  const sandbox = await startSandbox();
  const dir = await mkdtemp(join(tmpdir(), 'kaniko-bench-inputs-'));
  const problem = (name: string, problems: string[]): void => {
    if (problems.length > 0) console.error(`# not clean: ${name}: ${problems.join('; ')}`);
  };
  try {
    if (parts.has('faults')) {
      const { host, user, password } = sandbox.registries.tls;
      await createRegistrySecret({ kubeconfig: sandbox.kubeconfigPath }, { name: 'regcred', server: host, username: user, password });
      let clean = 0;
      for (const c of faultCases) {
        const report = await runFaultCase(sandbox, c);
        problem(`fault ${c.name}`, report.problems);
        if (report.problems.length === 0) clean++;
      }
      print('faults.tried', faultCases.length);
      print('faults.clean', clean);
    }
    if (parts.has('inputs')) {
      // The 200 000-file and 1 GB contexts only with --large; their smaller twins always run.
      const cases = inputCases.filter((c) => large || !c.large);
      const gc = exposeGc();
      let clean = 0;
      for (const c of cases) {
        const report = await runInputCase({ sandbox, dir }, c, { beforeBuild: () => { gc(); gc(); } });
        problem(`input ${c.name}`, report.problems);
        if (report.problems.length === 0) clean++;
        if (c.figure !== undefined) {
          print(`inputs.${c.figure}.seconds`, round(report.seconds, 2));
          print(`inputs.${c.figure}.peak_rss_mb`, round(report.peakRssMb));
          print(`inputs.${c.figure}.rss_growth_mb`, round(report.rssGrowthMb));
        }
      }
      print('inputs.tried', cases.length);
      print('inputs.clean', clean);
    }
  } finally {
    await sandbox.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

export async function benchReliability(print: Print, options: { soakBuilds?: number; parts?: readonly Part[]; large?: boolean } = {}): Promise<void> {
  const parts = new Set(options.parts ?? PARTS);
  if (parts.has('soak') || parts.has('logs')) {
    const sandbox = await startChildSandbox();
    try {
      if (parts.has('soak')) await soak(print, sandbox, options.soakBuilds ?? 100);
      if (parts.has('logs')) await logFlood(print, sandbox, 200_000);
    } finally {
      await sandbox.stop();
    }
  }
  if (parts.has('faults') || parts.has('inputs')) await tables(print, parts, options.large === true);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const soakAt = args.indexOf('--soak');
  const parts = args.filter((a, i) => PARTS.includes(a as Part) && (soakAt < 0 || i !== soakAt + 1)) as Part[];
  await benchReliability((key, value) => console.log(`${key}: ${value}`), {
    ...(soakAt >= 0 ? { soakBuilds: Number(args[soakAt + 1]) } : {}),
    ...(parts.length > 0 ? { parts } : {}),
    large: args.includes('--large'),
  });
}
