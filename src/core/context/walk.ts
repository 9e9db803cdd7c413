// The one walk shared by packContext and summarizeContext: depth first, siblings in byte
// order of their names (as `tar --sort=name`), ignore rules applied on the way down so that
// an excluded folder no exception can reach is never even listed.
import { lstat, readdir, readlink } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join } from 'node:path';
import { fromFsError, throwIfAborted } from './errors.ts';
import type { ResolvedContext } from './resolve-source.ts';

export interface WalkEntry {
  /** POSIX path relative to the context root, without a trailing slash. */
  readonly rel: string;
  readonly abs: string;
  readonly kind: 'file' | 'directory' | 'symlink';
  /** Permission bits (mode & 0o7777). */
  readonly mode: number;
  /** Bytes for files, 0 otherwise. */
  readonly size: number;
  readonly mtime: Date;
  readonly linkTarget?: string;
}

export interface WalkOptions {
  readonly signal?: AbortSignal;
  readonly onWarning?: (warning: string) => void;
  /** Diagnostics: called with the relative path of every folder whose listing is read ('' for the root). */
  readonly onDirectoryRead?: (rel: string) => void;
}

// lstat this many siblings at once: the calls overlap on libuv's thread pool.
const STAT_BATCH = 32;

const byteOrder = (a: { key: Buffer }, b: { key: Buffer }): number => Buffer.compare(a.key, b.key);

async function sortedNames(abs: string): Promise<string[]> {
  const names = await readdir(abs).catch((error: unknown) => { throw fromFsError(error, abs); });
  return names.map((name) => ({ name, key: Buffer.from(name) })).sort(byteOrder).map((n) => n.name);
}

function specialKind(info: Stats): string {
  if (info.isSocket()) return 'socket';
  if (info.isFIFO()) return 'FIFO';
  if (info.isBlockDevice()) return 'block device';
  return 'character device';
}

async function toEntry(rel: string, abs: string, info: Stats): Promise<WalkEntry | undefined> {
  const common = { rel, abs, mode: info.mode & 0o7777, mtime: info.mtime };
  if (info.isFile()) return { ...common, kind: 'file', size: info.size };
  if (info.isDirectory()) return { ...common, kind: 'directory', size: 0 };
  if (info.isSymbolicLink()) {
    const linkTarget = await readlink(abs).catch((error: unknown) => { throw fromFsError(error, abs); });
    return { ...common, kind: 'symlink', size: 0, linkTarget };
  }
  return undefined;
}

/** Yields every entry that goes into the context, parents before children. */
export async function* walkContext(context: ResolvedContext, options: WalkOptions = {}): AsyncGenerator<WalkEntry> {
  // Excluded folders we still descend into (an exception may re-include something below):
  // they are emitted only once something inside them is, so extraction keeps their mode.
  const pending: WalkEntry[] = [];

  async function* visit(dirAbs: string, dirRel: string): AsyncGenerator<WalkEntry> {
    throwIfAborted(options.signal);
    options.onDirectoryRead?.(dirRel);
    const names = await sortedNames(dirAbs);
    for (let start = 0; start < names.length; start += STAT_BATCH) {
      const batch = names.slice(start, start + STAT_BATCH);
      const infos = await Promise.all(batch.map((name) => lstat(join(dirAbs, name)).catch((error: unknown) => {
        throw fromFsError(error, join(dirAbs, name));
      })));
      for (let i = 0; i < batch.length; i++) {
        throwIfAborted(options.signal);
        const abs = join(dirAbs, batch[i]);
        const rel = dirRel === '' ? batch[i] : `${dirRel}/${batch[i]}`;
        const excluded = context.rules.excludes(rel);
        if (excluded && !(infos[i].isDirectory() && context.rules.mayIncludeBelow(rel))) continue;
        const entry = await toEntry(rel, abs, infos[i]);
        if (entry === undefined) {
          options.onWarning?.(`Skipped ${rel}: a ${specialKind(infos[i])} cannot be part of a build context.`);
        } else if (entry.kind !== 'directory') {
          yield* flushThen(entry);
        } else if (!excluded) {
          yield* flushThen(entry);
          yield* visit(abs, rel);
        } else {
          pending.push(entry);
          yield* visit(abs, rel);
          if (pending.at(-1) === entry) pending.pop();
        }
      }
    }
  }

  function* flushThen(entry: WalkEntry): Generator<WalkEntry> {
    yield* pending;
    pending.length = 0;
    yield entry;
  }

  yield* visit(context.root, '');
}
