// Builds real trees in temp folders from a declarative description, and reads them back.
import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { packContext } from '../../../src/core/context/index.ts';
import type { ContextManifest, ContextSource, PackOptions } from '../../../src/core/context/index.ts';

/** A path ending in `/` is a directory; `{ link }` a symlink; a string or `{ content }` a file. */
export type TreeSpec = Record<string, string | { readonly content: string | Buffer; readonly mode?: number } | { readonly link: string } | { readonly dir: true; readonly mode?: number }>;

export async function tempDir(prefix = 'ctx-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function removeDir(dir: string): Promise<void> {
  await chmod(dir, 0o755).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
}

/** Trees built in fresh temp folders, all removed by one `removeAll()` (call it from `after`). */
export function treeFactory(): { tree(spec: TreeSpec): Promise<string>; removeAll(): Promise<void> } {
  const dirs: string[] = [];
  return {
    async tree(spec) {
      const root = await tempDir();
      dirs.push(root);
      await buildTree(root, spec);
      return root;
    },
    async removeAll() {
      for (const dir of dirs.splice(0)) await removeDir(dir);
    },
  };
}

export async function buildTree(root: string, spec: TreeSpec, mtime?: Date): Promise<void> {
  for (const [path, value] of Object.entries(spec)) {
    const abs = join(root, path);
    if (path.endsWith('/') || (typeof value === 'object' && 'dir' in value)) {
      await mkdir(abs, { recursive: true });
      if (typeof value === 'object' && 'mode' in value && value.mode !== undefined) await chmod(abs, value.mode);
      continue;
    }
    await mkdir(dirname(abs), { recursive: true });
    if (typeof value === 'object' && 'link' in value) {
      await symlink(value.link, abs);
      continue;
    }
    const content = typeof value === 'string' ? value : value.content;
    await writeFile(abs, content);
    await chmod(abs, typeof value === 'object' && value.mode !== undefined ? value.mode : 0o644);
    if (mtime !== undefined) await utimes(abs, mtime, mtime);
  }
}

export interface TreeNode {
  readonly kind: 'file' | 'directory' | 'symlink';
  readonly mode: number;
  readonly content?: string;
  readonly target?: string;
}

/** Every directory, file and symlink below root (root itself excluded), POSIX relative paths. */
export async function readTree(root: string): Promise<Record<string, TreeNode>> {
  const out: Record<string, TreeNode> = {};
  const visit = async (dir: string, rel: string): Promise<void> => {
    for (const name of (await readdir(dir)).sort()) {
      const abs = join(dir, name);
      const r = rel === '' ? name : `${rel}/${name}`;
      const info = await lstat(abs);
      const mode = info.mode & 0o7777;
      if (info.isDirectory()) {
        out[r] = { kind: 'directory', mode };
        await visit(abs, r);
      } else if (info.isSymbolicLink()) {
        out[r] = { kind: 'symlink', mode: 0, target: await readlink(abs) };
      } else if (info.isFile()) {
        out[r] = { kind: 'file', mode, content: (await readFile(abs)).toString('latin1') };
      }
    }
  };
  await visit(root, '');
  return out;
}

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function run(command: string, args: readonly string[], input?: Buffer): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => stdout.push(c));
    child.stderr.on('data', (c: Buffer) => stderr.push(c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(stdout).toString(), stderr: Buffer.concat(stderr).toString() }));
    child.stdin.end(input);
  });
}

/** Open file descriptors of this process (Linux). */
export async function openFds(): Promise<number> {
  return (await readdir('/proc/self/fd')).length;
}

/** Packs into memory (fine for small test trees) and returns the gzip'd bytes. */
export async function packToBuffer(source: ContextSource, options: PackOptions = {}): Promise<{ archive: Buffer; manifest: ContextManifest }> {
  const chunks: Buffer[] = [];
  const sink = new Writable({ write(chunk: Buffer, _encoding, callback) { chunks.push(chunk); callback(); } });
  const manifest = await packContext(source, sink, options);
  return { archive: Buffer.concat(chunks), manifest };
}

/** Extracts a tar.gz with GNU tar into a new temp folder. */
export async function extractWithTar(archive: Buffer): Promise<string> {
  const dir = await tempDir('ctx-out-');
  const result = await run('tar', ['-xzf', '-', '-C', dir], archive);
  if (result.code !== 0) throw new Error(`tar -x failed: ${result.stderr}`);
  return dir;
}

/** Paths listed by `tar -tzf` (GNU tar), as stored. */
export async function listWithTar(archive: Buffer): Promise<string[]> {
  const result = await run('tar', ['-tzf', '-'], archive);
  if (result.code !== 0) throw new Error(`tar -t failed: ${result.stderr}`);
  return result.stdout.split('\n').filter((line) => line !== '');
}
