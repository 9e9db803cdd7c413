// Runs one case of the .dockerignore differential test on both sides: Docker's Go code (our wrapper program in
// test/go/dockerignore, one process answering many cases over stdin/stdout) and packContext, the real packer,
// on the same tree on disk.
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import tar from 'tar-stream';
import { buildGoProgram } from '../../../scripts/go-programs.ts';
import { packContext } from '../../../src/core/context/index.ts';

/** One case: the tree (a path ending in `/` is a folder, `{ link }` a symbolic link), the ignore file and the Dockerfile. */
export interface IgnoreCase {
  readonly name: string;
  readonly tree: readonly (string | { readonly path: string; readonly link: string })[];
  /** Text of the ignore file; none when undefined. */
  readonly ignore?: string;
  /** Where the ignore file goes, default `.dockerignore`. */
  readonly ignoreName?: string;
  /** Default `Dockerfile`. */
  readonly dockerfile?: string;
}

/** The context as sorted `d path` / `f path` / `l path` lines, or the failure. */
export type Outcome = { readonly entries: readonly string[] } | { readonly error: string };

const moduleDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../go/dockerignore');

/** Docker's side: one long-running Go process; answers come back in the order asked. */
export class DockerOracle {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #waiting: Array<(line: string) => void> = [];

  constructor() {
    const { path } = buildGoProgram({ name: 'dockerignore-oracle', module: moduleDir, package: '.' });
    this.#child = spawn(path, [], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.#child.stderr.pipe(process.stderr);
    createInterface({ input: this.#child.stdout }).on('line', (line) => this.#waiting.shift()?.(line));
  }

  context(root: string, dockerfile: string): Promise<Outcome> {
    return new Promise((resolveAnswer) => {
      this.#waiting.push((line) => {
        const answer = JSON.parse(line) as { entries?: string[]; error?: string };
        resolveAnswer(answer.error === undefined ? { entries: answer.entries ?? [] } : { error: answer.error });
      });
      this.#child.stdin.write(`${JSON.stringify({ root, dockerfile })}\n`);
    });
  }

  close(): void {
    this.#child.stdin.end();
  }
}

/** Writes the case's tree under `root` (which must exist and be empty). */
export function writeCase(root: string, c: IgnoreCase): void {
  const dockerfile = c.dockerfile ?? 'Dockerfile';
  const files = [...c.tree, dockerfile];
  for (const item of files) {
    const path = typeof item === 'string' ? item : item.path;
    const abs = join(root, path);
    mkdirSync(path.endsWith('/') ? abs : dirname(abs), { recursive: true });
    if (typeof item !== 'string') symlinkSync(item.link, abs);
    else if (!path.endsWith('/')) writeFileSync(abs, path);
  }
  if (c.ignore !== undefined) {
    const ignorePath = join(root, c.ignoreName ?? '.dockerignore');
    mkdirSync(dirname(ignorePath), { recursive: true });
    writeFileSync(ignorePath, c.ignore);
  }
}

const KIND: Record<string, string> = { directory: 'd', file: 'f', symlink: 'l', link: 'f' };

/** Our side: packContext's plain tar, read back entry by entry. */
export async function packedContext(root: string, dockerfile: string): Promise<Outcome> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  try {
    await packContext({ contextDir: root, dockerfile: join(root, dockerfile) }, sink, { compressionLevel: 0 });
  } catch (error) {
    return { error: (error as Error).message };
  }
  const entries: string[] = [];
  const extract = tar.extract();
  extract.on('entry', (header, stream, next) => {
    entries.push(`${KIND[header.type ?? 'file'] ?? header.type} ${header.name.replace(/\/$/, '')}`);
    stream.on('end', next);
    stream.resume();
  });
  await new Promise<void>((resolveDone, reject) => {
    extract.on('finish', resolveDone);
    extract.on('error', reject);
    extract.end(Buffer.concat(chunks));
  });
  return { entries: entries.sort() };
}

/** A one-line description of how the outcomes differ, or undefined when they agree (any error agrees with any error). */
export function difference(docker: Outcome, ours: Outcome): string | undefined {
  if ('error' in docker) return 'error' in ours ? undefined : `Docker fails (${docker.error}), we do not`;
  if ('error' in ours) return `we fail (${ours.error}), Docker does not`;
  const theirs = new Set(docker.entries);
  const mine = new Set(ours.entries);
  const missing = docker.entries.filter((e) => !mine.has(e));
  const extra = ours.entries.filter((e) => !theirs.has(e));
  if (missing.length === 0 && extra.length === 0) return undefined;
  return `missing ${JSON.stringify(missing)}, extra ${JSON.stringify(extra)}`;
}
