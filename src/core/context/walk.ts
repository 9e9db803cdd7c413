// The one walk shared by packContext and summarizeContext: depth first, siblings in byte
// order of their names (as `tar --sort=name`), ignore rules applied on the way down so that
// an excluded folder no exception can reach is never even listed.
import { lstatSync, readlinkSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join } from 'node:path';
import { fromFsError, throwIfAborted } from './errors.ts';
import type { ResolvedContext } from './resolve-source.ts';
import { TimeSlice } from './time-slice.ts';

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
  /** Shared with the reader so that walking and reading together respect one time slice. */
  readonly slice?: TimeSlice;
  readonly signal?: AbortSignal;
  readonly onWarning?: (warning: string) => void;
  /** Diagnostics: called with the relative path of every folder whose listing is read ('' for the root). */
  readonly onDirectoryRead?: (rel: string) => void;
}


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

function lstatEntry(abs: string): Stats {
  try {
    return lstatSync(abs);
  } catch (error) {
    throw fromFsError(error, abs);
  }
}

function toEntry(rel: string, abs: string, info: Stats): WalkEntry | undefined {
  const common = { rel, abs, mode: info.mode & 0o7777, mtime: info.mtime };
  if (info.isFile()) return { ...common, kind: 'file', size: info.size };
  if (info.isDirectory()) return { ...common, kind: 'directory', size: 0 };
  if (info.isSymbolicLink()) {
    try {
      return { ...common, kind: 'symlink', size: 0, linkTarget: readlinkSync(abs) };
    } catch (error) {
      throw fromFsError(error, abs);
    }
  }
  return undefined;
}

/** Yields every entry that goes into the context, parents before children. */
export async function* walkContext(context: ResolvedContext, options: WalkOptions = {}): AsyncGenerator<WalkEntry> {
  // Excluded folders we still descend into (an exception may re-include something below):
  // they are emitted only once something inside them is, so extraction keeps their mode.
  const pending: WalkEntry[] = [];
  const slice = options.slice ?? new TimeSlice();

  async function* visit(dirAbs: string, dirRel: string): AsyncGenerator<WalkEntry> {
    throwIfAborted(options.signal);
    options.onDirectoryRead?.(dirRel);
    const names = await sortedNames(dirAbs);
    for (const name of names) {
      await slice.pause();
      throwIfAborted(options.signal);
      const abs = join(dirAbs, name);
      const rel = dirRel === '' ? name : `${dirRel}/${name}`;
      const info = lstatEntry(abs);
      const excluded = context.rules.excludes(rel);
      if (excluded && !(info.isDirectory() && context.rules.mayIncludeBelow(rel))) continue;
      const entry = toEntry(rel, abs, info);
      if (entry === undefined) {
        options.onWarning?.(`Skipped ${rel}: a ${specialKind(info)} cannot be part of a build context.`);
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

  function* flushThen(entry: WalkEntry): Generator<WalkEntry> {
    yield* pending;
    pending.length = 0;
    yield entry;
  }

  yield* visit(context.root, '');
}
