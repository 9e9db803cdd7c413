// Upload benchmark against the sandbox, same run, same kind of pod (kaniko-init, busybox):
//   upload.engine_s / upload.kubectl_cp_s  median time of the engine's upload (pack + exec stream + verify +
//                       trigger) and of `kubectl cp` of the same folder, in alternating order after one warm-up each
//   upload.ratio        their quotient (target <= 0.8)
//   upload.peak_rss_mb  peak RSS of the engine's upload in its own child process (target <= 120): the worse of
//                       the quiet rounds (upload.peak_rss_mb_quiet: the timed ones and the warm-up) and of
//                       HOG_ROUNDS more with a CPU hog spinning on the other core (upload.peak_rss_mb_hog); the
//                       extension host's memory must not depend on how busy the machine is. With --large also
//                       upload.peak_rss_mb_1gb for a 1 GB context, likewise the worse of one quiet and one hog run
//   upload.memory.<case>.*  the breakdown of each case's worst run at its highest-RSS sample (bench/memory-sampler.ts):
//                       V8 heap used and committed, external memory and the array buffers among it, RSS
//   build.overhead_s    from the start of a 10 MB build to the trigger, minus pod start (target <= 1.0)
// The context is bench/context.ts's realistic tree without its ignored node_modules, so both tools send the same files.
// Both sides unpack into the sandbox node's folder, by default on tmpfs (/dev/shm): this machine's root ext4 has
// no journal, and then ext4 will not reuse an inode freed in the last 60 s (360 s while its block is dirty), so
// each round's files are created slower than the last's, whichever tool wrote them (perf: ext4's
// recently_deleted; the same 20 000-file tar unpacks in 0.6 s, then in 6.6 s, 11.5 s, 15.6 s after the copy
// before was deleted). BENCH_NODE_DIR chooses another folder. LEVEL sets the engine's compression level.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { clientNodeTreeShaking } from '../scripts/esbuild-plugins.ts';
import { startSandbox } from '../test/sandbox/index.ts';
import type { Sandbox } from '../test/sandbox/index.ts';
import { generateContextTree } from './context.ts';
import { buildPodManifest } from '../src/core/build/podSpec.ts';
import { KubeGateway } from '../src/core/kube/gateway.ts';
import { connect } from '../src/core/kube/kubeconfig.ts';
import { startBuild } from '../src/core/engine.ts';
import { startCpuHog } from './cpu-hog.ts';
import type { MemoryReport } from './memory-sampler.ts';

const ROUNDS = 7;
const HOG_ROUNDS = 3;

// Bundled and minified like the packaged dist/engine.js (`npm run package`), so the measured memory is the
// shipped engine's, not the type stripper's nor that of 1 MB more source text.
const CHILD_SOURCE = `
import { join } from 'node:path';
import { connect } from '../src/core/kube/kubeconfig.ts';
import { uploadContext } from '../src/core/build/upload.ts';
import { sampleMemory } from './memory-sampler.ts';
const [kubeconfig, pod, root] = process.argv.slice(2);
const connection = connect({ kubeconfig });
const memory = sampleMemory();
const start = process.hrtime.bigint();
await uploadContext(connection, connection.namespace, pod, { contextDir: root, dockerfile: join(root, 'Dockerfile') }, {
  compressionLevel: process.env.LEVEL ? Number(process.env.LEVEL) : undefined,
  waitForInit: () => Promise.resolve(),
});
const ms = Number(process.hrtime.bigint() - start) / 1e6;
process.stdout.write(JSON.stringify({ ms, memory: memory() }));
`;

const run = promisify(execFile);

async function runProcess(command: string, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<string> {
  const { stdout } = await run(command, [...args], { env: env ?? process.env, maxBuffer: 1024 * 1024 });
  return stdout;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

interface EngineRun {
  readonly ms: number;
  readonly memory: MemoryReport;
}

const worse = (a: EngineRun, b: EngineRun): EngineRun => (a.memory.peakRssMb >= b.memory.peakRssMb ? a : b);

function printMemory(print: (key: string, value: number) => void, name: string, run: EngineRun): void {
  const parts = run.memory.atPeak;
  print(`upload.memory.${name}.peak_rss_mb`, run.memory.peakRssMb);
  print(`upload.memory.${name}.heap_used_mb`, parts.heapUsedMb);
  print(`upload.memory.${name}.heap_total_mb`, parts.heapTotalMb);
  print(`upload.memory.${name}.external_mb`, parts.externalMb);
  print(`upload.memory.${name}.array_buffers_mb`, parts.arrayBuffersMb);
  print(`upload.memory.${name}.max_external_mb`, run.memory.max.externalMb);
}

/** The worse of a quiet run and a run beside a CPU hog, each printed with its breakdown. */
function printPeak(print: (key: string, value: number) => void, key: string, name: string, quiet: EngineRun, hog: EngineRun): void {
  print(key, Math.max(quiet.memory.peakRssMb, hog.memory.peakRssMb));
  print(`${key}_quiet`, quiet.memory.peakRssMb);
  print(`${key}_hog`, hog.memory.peakRssMb);
  printMemory(print, `${name}_quiet`, quiet);
  printMemory(print, `${name}_hog`, hog);
}

/** A pod of the build's kind whose kaniko-init is running, ready to receive a context. */
async function readyPod(sandbox: Sandbox, gateway: KubeGateway, contextDir: string): Promise<string> {
  const manifest = buildPodManifest({
    request: { dockerfile: join(contextDir, 'Dockerfile'), contextDir, destinations: [`${sandbox.registries.plain.host}/bench/upload:v1`], extraArgs: ['--no-push'] },
    buildId: 'bench', dockerfileInArchive: 'Dockerfile',
  });
  const pod = await gateway.createPod(sandbox.namespace, manifest);
  const name = String(pod.metadata.name);
  for (let i = 0; i < 300; i++) {
    const current = await gateway.getPod(sandbox.namespace, name);
    if (current.status?.initContainerStatuses?.[0]?.state?.running) return name;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`pod ${name} did not start`);
}

function nodeDir(): string | undefined {
  if (process.env.BENCH_NODE_DIR) return process.env.BENCH_NODE_DIR;
  return existsSync('/dev/shm') ? '/dev/shm' : undefined;
}

export async function benchUpload(print: (key: string, value: number) => void, options: { large?: boolean } = {}): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'bench-upload-'));
  const dir = nodeDir();
  console.log(`# sandbox node in ${dir ?? tmpdir()}`);
  const sandbox = await startSandbox(dir ? { dir } : {});
  try {
    const childScript = join(work, 'upload-child.mjs');
    await build({
      stdin: { contents: CHILD_SOURCE, resolveDir: dirname(fileURLToPath(import.meta.url)), loader: 'ts' },
      bundle: true, minify: true, platform: 'node', format: 'esm', target: 'node24', outfile: childScript, logLevel: 'error', plugins: [clientNodeTreeShaking],
      banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    });
    const tree = await generateContextTree(200);
    await rm(join(tree.root, 'node_modules'), { recursive: true, force: true });
    const gateway = new KubeGateway(connect({ kubeconfig: sandbox.kubeconfigPath }));
    const kubectlEnv = { ...process.env, KUBECONFIG: sandbox.kubeconfigPath };
    const engineUpload = async (root: string, withHog = false): Promise<EngineRun> => {
      const pod = await readyPod(sandbox, gateway, root);
      const hog = withHog ? await startCpuHog() : undefined;
      try {
        return JSON.parse(await runProcess(process.execPath, [childScript, sandbox.kubeconfigPath, pod, root])) as EngineRun;
      } finally {
        await hog?.stop();
        await gateway.deletePod(sandbox.namespace, pod);
      }
    };
    const kubectlCp = async (): Promise<number> => {
      const pod = await readyPod(sandbox, gateway, tree.root);
      const start = process.hrtime.bigint();
      await runProcess('kubectl', ['cp', `${tree.root}/.`, `${sandbox.namespace}/${pod}:/kaniko/build-context`, '-c', 'kaniko-init'], kubectlEnv);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      await gateway.deletePod(sandbox.namespace, pod);
      return ms;
    };
    // Warm-up: the first of each pays for cold caches (the tree's pages, kubectl's and node's binaries).
    let quiet = await engineUpload(tree.root);
    await kubectlCp();
    const engine: number[] = [];
    const kubectl: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const engineFirst = round % 2 === 0;
      if (!engineFirst) kubectl.push(await kubectlCp());
      const out = await engineUpload(tree.root);
      engine.push(out.ms);
      quiet = worse(quiet, out);
      if (engineFirst) kubectl.push(await kubectlCp());
    }
    let hog = await engineUpload(tree.root, true);
    for (let round = 1; round < HOG_ROUNDS; round++) hog = worse(hog, await engineUpload(tree.root, true));
    await rm(tree.root, { recursive: true, force: true });
    print('upload.engine_s', Number((median(engine) / 1000).toFixed(2)));
    print('upload.kubectl_cp_s', Number((median(kubectl) / 1000).toFixed(2)));
    print('upload.ratio', Number((median(engine) / median(kubectl)).toFixed(3)));
    printPeak(print, 'upload.peak_rss_mb', '200mb', quiet, hog);
    if (options.large) {
      const big = await generateContextTree(1000);
      await rm(join(big.root, 'node_modules'), { recursive: true, force: true });
      try {
        printPeak(print, 'upload.peak_rss_mb_1gb', '1gb', await engineUpload(big.root), await engineUpload(big.root, true));
      } finally {
        await rm(big.root, { recursive: true, force: true });
      }
    }
    print('build.overhead_s', Number((await buildOverhead(sandbox)).toFixed(3)));
  } finally {
    await sandbox.stop();
    await rm(work, { recursive: true, force: true });
  }
}

/** Start of a 10 MB build → trigger (upload done), minus pod start (created → kaniko-init running); median of ROUNDS. */
async function buildOverhead(sandbox: Sandbox): Promise<number> {
  const tree = await generateContextTree(10);
  await rm(join(tree.root, 'node_modules'), { recursive: true, force: true });
  const samples: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const session = startBuild({
      dockerfile: join(tree.root, 'Dockerfile'), contextDir: tree.root, destinations: [`${sandbox.registries.plain.host}/bench/overhead:v${round}`],
      kube: { kubeconfig: sandbox.kubeconfigPath }, secretName: '', extraArgs: ['--insecure'],
    });
    const started = Date.now();
    let triggered = 0;
    let podStart = 0;
    session.onEvent((event) => {
      if (event.type !== 'phase' || event.state !== 'done') return;
      const phases = session.snapshot().phases;
      if (event.phase === 'schedule') podStart = (phases.schedule.finishedAt ?? 0) - (phases.createPod.finishedAt ?? 0);
      if (event.phase === 'upload') triggered = Date.now();
    });
    const result = await session.done;
    if (!triggered) throw new Error(`the overhead build did not reach its trigger: ${result.message}`);
    samples.push((triggered - started - podStart) / 1000);
  }
  await rm(tree.root, { recursive: true, force: true });
  return median(samples);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await benchUpload((key, value) => console.log(`${key}: ${value}`));
}
