// The one walk shared by packContext and summarizeContext: depth first, siblings in byte
// order of their names (as `tar --sort=name`), ignore rules applied on the way down as BuildKit's
// filter applies them (each folder's per-pattern results handed to its children, see ignore-rules.ts),
// so that an excluded folder no exception can reach is never even listed. Names are read as bytes:
// one that is not valid UTF-8 is opened by its bytes and archived as them (see names.ts).
import { isUtf8 } from 'node:buffer';
import { lstatSync, readlinkSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join } from 'node:path';
import { fromFsError, throwIfAborted } from './errors.ts';
import { displayName, matchingName } from './names.ts';
import type { FsPath } from './names.ts';
import type { FolderState } from './ignore-rules.ts';
import type { ResolvedContext } from './resolve-source.ts';
import { TimeSlice } from './time-slice.ts';

export interface WalkEntry {
  /**
   * POSIX path relative to the context root, without a trailing slash; bytes that are not
   * UTF-8 read as U+FFFD (as Docker's matcher sees them), their real value is in `rawRel`.
   */
  readonly rel: string;
  /** Only for a path that is not valid UTF-8: its exact bytes, for the archive. */
  readonly rawRel?: Buffer;
  /** The path on disk; raw bytes when it is not valid UTF-8. */
  readonly abs: FsPath;
  /** `link`: a hard link to a file archived earlier, sent as tar's link entry (no content), as `docker build` does. */
  readonly kind: 'file' | 'directory' | 'symlink' | 'link';
  /** Permission bits (mode & 0o7777). */
  readonly mode: number;
  /** Bytes for files, 0 otherwise. */
  readonly size: number;
  readonly mtime: Date;
  /** A symlink's target as stored on disk, or a hard link's archive name of its file; raw bytes when not valid UTF-8. */
  readonly linkTarget?: FsPath;
}

export interface WalkOptions {
  /** Shared with the reader so that walking and reading together respect one time slice. */
  readonly slice?: TimeSlice;
  readonly signal?: AbortSignal;
  readonly onWarning?: (warning: string) => void;
  /** Diagnostics: called with the relative path of every folder whose listing is read ('' for the root). */
  readonly onDirectoryRead?: (rel: string) => void;
}

const SLASH = Buffer.from('/');

async function sortedNames(abs: FsPath): Promise<Buffer[]> {
  const names = await readdir(abs, { encoding: 'buffer' }).catch((error: unknown) => { throw fromFsError(error, abs); });
  return names.sort(Buffer.compare);
}

/** Where a child lives on disk and in the archive: strings while every name is UTF-8, bytes from the first one that is not. */
interface Place {
  readonly abs: FsPath;
  readonly rel: string;
  readonly rawRel?: Buffer;
}

const bytesOf = (path: FsPath): Buffer => (typeof path === 'string' ? Buffer.from(path) : path);

function childPlace(dir: Place, name: Buffer): Place {
  const text = matchingName(name);
  const rel = dir.rel === '' ? text : `${dir.rel}/${text}`;
  if (dir.rawRel === undefined && typeof dir.abs === 'string' && isUtf8(name)) return { abs: join(dir.abs, text), rel };
  const rawRel = dir.rel === '' ? name : Buffer.concat([dir.rawRel ?? Buffer.from(dir.rel), SLASH, name]);
  return { abs: Buffer.concat([bytesOf(dir.abs), SLASH, name]), rel, rawRel };
}

function readLink(abs: FsPath): FsPath {
  const target = readlinkSync(abs, { encoding: 'buffer' });
  return isUtf8(target) ? target.toString('utf8') : target;
}

function specialKind(info: Stats): string {
  if (info.isSocket()) return 'socket';
  if (info.isFIFO()) return 'FIFO';
  if (info.isBlockDevice()) return 'block device';
  return 'character device';
}

function lstatEntry(abs: FsPath): Stats {
  try {
    return lstatSync(abs);
  } catch (error) {
    throw fromFsError(error, abs);
  }
}

/**
 * The archive names of files with more than one link, by device and inode, so that their other names go as
 * links, as Docker's archiver sends them. Not on Windows, whose file ids do not fit a number (Docker does not either).
 */
class HardLinks {
  #first = new Map<string, FsPath>();

  /** The archive name this file was sent under, or undefined after remembering this one as the first. */
  seen(place: Place, info: Stats): FsPath | undefined {
    if (info.nlink < 2 || process.platform === 'win32' || !Number.isSafeInteger(info.ino)) return undefined;
    const key = `${info.dev}:${info.ino}`;
    const first = this.#first.get(key);
    if (first === undefined) this.#first.set(key, place.rawRel ?? place.rel);
    return first;
  }
}

function toEntry(place: Place, info: Stats, links: HardLinks): WalkEntry | undefined {
  const { abs } = place;
  const common = { ...place, mode: info.mode & 0o7777, mtime: info.mtime };
  if (info.isFile()) {
    const first = links.seen(place, info);
    return first === undefined ? { ...common, kind: 'file', size: info.size } : { ...common, kind: 'link', size: 0, linkTarget: first };
  }
  if (info.isDirectory()) return { ...common, kind: 'directory', size: 0 };
  if (info.isSymbolicLink()) {
    try {
      return { ...common, kind: 'symlink', size: 0, linkTarget: readLink(abs) };
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
  const links = new HardLinks();

  async function* visit(dir: Place, folder: FolderState): AsyncGenerator<WalkEntry> {
    throwIfAborted(options.signal);
    options.onDirectoryRead?.(dir.rel);
    const names = await sortedNames(dir.abs);
    for (const name of names) {
      await slice.pause();
      throwIfAborted(options.signal);
      const place = childPlace(dir, name);
      const { rel } = place;
      const info = lstatEntry(place.abs);
      const decision = context.rules.decide(rel, folder, info.isDirectory());
      if (!decision.sent && decision.below === undefined) continue;
      const entry = toEntry(place, info, links);
      if (entry === undefined) {
        options.onWarning?.(`Skipped ${place.rawRel === undefined ? rel : displayName(place.rawRel)}: a ${specialKind(info)} cannot be part of a build context.`);
      } else if (entry.kind !== 'directory') {
        yield* flushThen(entry);
      } else if (decision.sent) {
        yield* flushThen(entry);
        yield* visit(entry, decision.below);
      } else if (decision.below !== undefined) {
        pending.push(entry);
        yield* visit(entry, decision.below);
        if (pending.at(-1) === entry) pending.pop();
      }
    }
  }

  function* flushThen(entry: WalkEntry): Generator<WalkEntry> {
    yield* pending;
    pending.length = 0;
    yield entry;
  }

  yield* visit({ abs: context.root, rel: '' }, { results: undefined });
}
