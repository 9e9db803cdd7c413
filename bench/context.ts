// Benchmark: the context packager against GNU `tar -c | gzip -6` on the same files.
// Generates ~sizeMb of semi-compressible files in ~100 files per MB beside a node_modules of
// 50 000 small files that .dockerignore excludes, then times both, alternating, and prints
//   context.ratio       median packager time / median tar+gzip time (target <= 1.0)
//   context.mb_per_s    included MB / median packager seconds
//   context.peak_rss_mb peak RSS of the packager's own child process (target <= 120, flat)
// Standalone: node bench/context.ts [--size-mb 1000] [--rounds 3]
import { seededRandom } from '../test/seeded-random.ts';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const FILES_PER_MB = 100;
const NODE_MODULES_FILES = 50_000;

/** 4 MiB of text-like data with a little binary noise: gzip -6 takes it to about 40 %. */
function makePool(rand: () => number): Buffer {
  const words = Array.from({ length: 2000 }, () => Math.floor(rand() * 1e9).toString(36));
  const pool = Buffer.alloc(4 * 1024 * 1024);
  let at = 0;
  while (at < pool.length) {
    if (rand() < 0.02) {
      for (let i = 0; i < 16 && at < pool.length; i++) pool[at++] = Math.floor(rand() * 256);
    } else {
      at += pool.write(`${words[Math.floor(rand() * words.length)]}${rand() < 0.15 ? '\n' : ' '}`, at);
    }
  }
  return pool;
}

/** Sizes: mostly small files, some medium, a few large, summing to about totalBytes. */
function fileSize(rand: () => number, mean: number): number {
  const r = rand();
  if (r < 0.80) return Math.floor(rand() * mean * 0.5);
  if (r < 0.98) return Math.floor(mean + rand() * mean * 6);
  return Math.floor(mean * 10 + rand() * mean * 60);
}

export interface Tree {
  readonly root: string;
  /** Entries tar must archive: directories and files outside node_modules, in creation order. */
  readonly included: string[];
  readonly bytes: number;
}

export async function generateContextTree(sizeMb: number): Promise<Tree> {
  const rand = seededRandom(42);
  const pool = makePool(rand);
  const root = await mkdtemp(join(tmpdir(), 'bench-context-'));
  const included: string[] = ['Dockerfile', '.dockerignore'];
  await writeFile(join(root, 'Dockerfile'), 'FROM scratch\nCOPY . /app\n');
  await writeFile(join(root, '.dockerignore'), 'node_modules\n.git\n');
  const files = sizeMb * FILES_PER_MB;
  // fileSize() averages 1.72 times its `mean` argument.
  const mean = (sizeMb * 1024 * 1024) / files / 1.72;
  let bytes = 0;
  const perDir = 50;
  for (let i = 0; i < files; i++) {
    const dir = `src/d${Math.floor(i / (perDir * 20))}/s${Math.floor(i / perDir)}`;
    if (i % perDir === 0) {
      await mkdir(join(root, dir), { recursive: true });
      if (i % (perDir * 20) === 0) included.push(dir.slice(0, dir.lastIndexOf('/')));
      included.push(dir);
    }
    const size = Math.min(fileSize(rand, mean), 64 * 1024 * 1024);
    const parts: Buffer[] = [];
    for (let left = size; left > 0;) {
      const start = Math.floor(rand() * (pool.length - 1));
      const take = Math.min(left, pool.length - start);
      parts.push(pool.subarray(start, start + take));
      left -= take;
    }
    await writeFile(join(root, dir, `f${i}.txt`), parts);
    included.push(`${dir}/f${i}.txt`);
    bytes += size;
  }
  included.splice(2, 0, 'src');
  for (let i = 0; i < NODE_MODULES_FILES; i++) {
    const dir = join(root, 'node_modules', `p${Math.floor(i / 20)}`);
    if (i % 20 === 0) await mkdir(dir, { recursive: true });
    await writeFile(join(dir, `m${i}.js`), pool.subarray(i % 4096, (i % 4096) + 200));
  }
  return { root, included, bytes };
}

function runProcess(command: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} exited with ${code}`))));
  });
}

async function timeTar(tree: Tree, listFile: string): Promise<number> {
  const start = process.hrtime.bigint();
  await runProcess('sh', ['-c', `tar -C "${tree.root}" --no-recursion -c -T "${listFile}" | gzip -6 > /dev/null`]);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

// The child runs the packager bundled by esbuild, as the extension ships it: running the
// .ts sources would add Node's type stripper (~35 MB) to the memory measured.
const CHILD_SOURCE = `
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { packContext } from '../src/core/context/index.ts';
const root = process.argv[2];
const start = process.hrtime.bigint();
await packContext({ contextDir: root, dockerfile: join(root, 'Dockerfile') }, createWriteStream('/dev/null'), { compressionLevel: 6 });
const ms = Number(process.hrtime.bigint() - start) / 1e6;
process.stdout.write(JSON.stringify({ ms, rssMb: process.resourceUsage().maxRSS / 1024 }));
`;

async function bundleChild(dir: string): Promise<string> {
  const outfile = join(dir, 'pack-child.mjs');
  await build({
    stdin: { contents: CHILD_SOURCE, resolveDir: dirname(fileURLToPath(import.meta.url)), loader: 'ts' },
    bundle: true, platform: 'node', format: 'esm', target: 'node24', outfile, logLevel: 'error',
    // CommonJS dependencies (tar-stream) call require() for Node built-ins.
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  });
  return outfile;
}

/** Runs the packager in a child so that only its own memory is measured. */
async function timePackager(childScript: string, tree: Tree): Promise<{ ms: number; rssMb: number }> {
  const out = await runProcess(process.execPath, [childScript, tree.root]);
  return JSON.parse(out) as { ms: number; rssMb: number };
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function benchContext(print: (key: string, value: number) => void, options: { sizeMb?: number; rounds?: number } = {}): Promise<void> {
  const sizeMb = options.sizeMb ?? 200;
  const rounds = options.rounds ?? 3;
  const suffix = sizeMb === 200 ? '' : sizeMb % 1000 === 0 ? `_${sizeMb / 1000}gb` : `_${sizeMb}mb`;
  const work = await mkdtemp(join(tmpdir(), 'bench-context-work-'));
  let tree: Tree | undefined;
  try {
    const childScript = await bundleChild(work);
    tree = await generateContextTree(sizeMb);
    const listFile = join(work, 'included.list');
    await writeFile(listFile, `${tree.included.join('\n')}\n`);
    // One untimed pass each so both read from a warm page cache.
    await timeTar(tree, listFile);
    await timePackager(childScript, tree);
    const tar: number[] = [];
    const packer: number[] = [];
    let rss = 0;
    for (let i = 0; i < rounds; i++) {
      tar.push(await timeTar(tree, listFile));
      const run = await timePackager(childScript, tree);
      packer.push(run.ms);
      rss = Math.max(rss, run.rssMb);
    }
    const mb = tree.bytes / (1024 * 1024);
    print(`context.ratio${suffix}`, Number((median(packer) / median(tar)).toFixed(3)));
    print(`context.mb_per_s${suffix}`, Number((mb / (median(packer) / 1000)).toFixed(1)));
    print(`context.peak_rss_mb${suffix}`, Number(rss.toFixed(1)));
    print(`context.tar_ms${suffix}`, Math.round(median(tar)));
    print(`context.packager_ms${suffix}`, Math.round(median(packer)));
  } finally {
    await rm(work, { recursive: true, force: true });
    if (tree !== undefined) await rm(tree.root, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const flag = (name: string): number | undefined => {
    const at = args.indexOf(name);
    return at === -1 ? undefined : Number(args[at + 1]);
  };
  await benchContext((key, value) => console.log(`${key}: ${value}`), { sizeMb: flag('--size-mb'), rounds: flag('--rounds') });
}
