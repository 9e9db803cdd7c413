// packContext: the build context as a tar stream, gzip'd or plain, written with backpressure to any
// Writable, entry by entry in walk order (walk -> read -> tar-stream -> hand-off [-> coalesce -> gzip] -> out).
// File content is read into a fixed pool of reused slabs (buffer-pool.ts), returned once the stage after
// the hand-off is done with it: the bytes in flight are bounded and a long upload makes no garbage Buffers.
//
// Why tar-stream and not archiver's TarArchive (archiver only wraps tar-stream and zlib):
// archiver rewrites entry names (backslashes become slashes, a leading `word:` is cut),
// stamps symlink entries with the current time, and its abort() *ends* the output as if
// the archive were complete. An exact, deterministic, cleanly cancellable archive needs the
// headers and the stream ends in our hands, so we drive tar-stream and node:zlib directly.
import { createGzip } from 'node:zlib';
import { finished, pipeline } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import tar from 'tar-stream';
import type { Pack } from 'tar-stream';
import type { ContextManifest, ContextSource, PackOptions } from './model.ts';
import { abortError, throwIfAborted } from './errors.ts';
import { resolveContext } from './resolve-source.ts';
import type { ResolvedContext } from './resolve-source.ts';
import { walkContext } from './walk.ts';
import type { WalkEntry } from './walk.ts';
import { readFileChunks, readSmallFile } from './read-file.ts';
import { TimeSlice } from './time-slice.ts';
import { NORMALISED_MTIME, queueRawNameHeader, tarHeader } from './tar-header.ts';
import { Coalesce } from './coalesce.ts';
import { EntryWindow } from './entry-window.ts';
import { BufferPool } from './buffer-pool.ts';
import { HandOff } from './hand-off.ts';

const CHUNK_BYTES = 256 * 1024;
// Files up to this size are read in one synchronous call; larger ones are streamed.
const SMALL_FILE_BYTES = 256 * 1024;
// The budget of file bytes in flight: a small file (and its one byte more) or a chunk fits any slab.
const POOL_SLABS = 4;
const POOL_SLAB_BYTES = 2 * CHUNK_BYTES;
// Small entries handed over before the earlier ones are flushed (see entry-window.ts).
const WINDOW_ENTRIES = 16;
const WINDOW_BYTES = 2 * 1024 * 1024;
// Bigger zlib output chunks than the 16 KiB default: fewer hops through the thread pool.
// (Sizes chosen by measurement: larger buffers and windows grew the V8 heap and RSS with
// the size of the context for no gain in speed.)
const GZIP_CHUNK_BYTES = 64 * 1024;
const COALESCE_BYTES = 256 * 1024;

type Sink = ReturnType<Pack['entry']>;

/** Options of the stream itself, for a caller that unpacks it (the engine's upload). */
export interface PackStreamOptions extends PackOptions {
  /** Name of an empty entry written after every other one: its arrival proves the archive is complete. */
  readonly endMarker?: string;
  /**
   * `out` copies each chunk before its write callback and keeps no reference (the exec's stdin gathers
   * chunks into frames): the packer then reuses the chunk's bytes, else `out` gets copies of file content.
   */
  readonly outCopiesChunks?: boolean;
}

const ignoreError = (): void => undefined;
const EMPTY = Buffer.alloc(0);

/** Resolves when the entry's writable side drained, rejects if it was destroyed meanwhile. */
function drained(sink: Sink): Promise<void> {
  return new Promise((resolve, reject) => {
    // Destroyed already (cancelled while a chunk was being read): 'close' has been emitted.
    if (sink.destroying || sink.destroyed) {
      reject(new Error('tar entry closed'));
      return;
    }
    const onDrain = (): void => { sink.off('close', onClose); resolve(); };
    const onClose = (): void => { sink.off('drain', onDrain); reject(new Error('tar entry closed')); };
    sink.once('drain', onDrain);
    sink.once('close', onClose);
  });
}

/** A small file's content in `piece`, from the pool; an empty one in no piece, as tar-stream passes no empty chunk on. */
function readSmall(entry: WalkEntry, piece: Buffer, pool: BufferPool): Buffer {
  const content = readSmallFile(entry, piece);
  if (content.length > 0) return content;
  pool.release(piece);
  return EMPTY;
}

/** Queues one entry; small ones join the window, large ones are streamed after it drained. */
async function writeEntry(pack: Pack, entry: WalkEntry, keepTimestamps: boolean, window: EntryWindow, pool: BufferPool): Promise<void> {
  const header = tarHeader(entry, keepTimestamps);
  const streamed = entry.kind === 'file' && entry.size > SMALL_FILE_BYTES;
  if (streamed) await window.drain();
  let content: Buffer | undefined;
  // A piece without waiting while the pool has one: no promise per small file.
  if (!streamed) content = entry.kind === 'file' ? readSmall(entry, pool.takeNow(entry.size + 1) ?? await pool.take(entry.size + 1), pool) : EMPTY;
  let sink: Sink | undefined;
  const done = new Promise<void>((resolve, reject) => {
    const callback = (error?: Error | null): void => (error ? reject(error) : resolve());
    queueRawNameHeader(pack, entry, keepTimestamps);
    sink = content === undefined ? pack.entry(header, callback) : pack.entry(header, content, callback);
  });
  // The entry's own failure (the pack is then destroyed) is reported through packContext, not here.
  done.catch(ignoreError);
  sink?.on('error', ignoreError);
  if (!streamed || sink === undefined) {
    // Synchronous unless full: no promise per small entry.
    window.add(done, entry.size);
    if (window.full) await window.makeRoom();
    return;
  }
  for await (const chunk of readFileChunks(entry, CHUNK_BYTES, (size) => pool.take(size))) {
    if (!sink.write(chunk)) await drained(sink);
  }
  sink.end(null);
  await done;
}

/**
 * Writes the context as a tar stream (gzip'd unless the level is 0) to `out` and resolves with what was sent once
 * `out` has finished. On failure or cancellation the promise rejects (a ContextError, an
 * AbortError, or the error of `out` itself), `out` is destroyed and no file stays open.
 */
export async function packContext(source: ContextSource, out: Writable, options: PackStreamOptions = {}): Promise<ContextManifest> {
  const { signal } = options;
  let context: ResolvedContext;
  try {
    throwIfAborted(signal);
    context = await resolveContext(source, options.onWarning);
    throwIfAborted(signal);
  } catch (error) {
    out.destroy();
    throw error;
  }

  const pack = tar.pack();
  const level = options.compressionLevel ?? 6;
  const gzip = level > 0 ? createGzip({ level, chunkSize: GZIP_CHUNK_BYTES }) : undefined;
  // Before gzip, tar-stream's many small pieces are gathered (see coalesce.ts); a plain tar's go on to
  // `out` as they are, for it to frame (the exec's stdin gathers them itself).
  const coalesce = gzip ? new Coalesce(COALESCE_BYTES) : undefined;
  const pool = new BufferPool(POOL_SLABS, POOL_SLAB_BYTES);
  const handOff = new HandOff(coalesce ?? out, pool, coalesce !== undefined || options.outCopiesChunks === true);
  pack.pipe(handOff);
  // Failures reach the caller through the returned promise; the streams' own 'error'
  // events must not become uncaught exceptions.
  pack.on('error', ignoreError);
  handOff.on('error', ignoreError);
  coalesce?.on('error', ignoreError);
  gzip?.on('error', ignoreError);
  let stopped: unknown;
  const stop = (reason: unknown): void => {
    stopped ??= reason;
    // Destroying the pack fails whatever entry is waiting, closing the pool whatever read is waiting for
    // a slab; either ends the loop below.
    pool.close(reason);
    pack.destroy(reason as Error);
  };
  const piping = Promise.all([finished(handOff), coalesce && gzip ? pipeline(coalesce, gzip, out) : finished(out)]);
  piping.catch(stop);
  const onAbort = (): void => stop(abortError(signal));
  signal?.addEventListener('abort', onAbort, { once: true });

  let files = 0;
  let bytes = 0;
  try {
    const slice = new TimeSlice();
    const window = new EntryWindow(WINDOW_ENTRIES, WINDOW_BYTES);
    for await (const entry of walkContext(context, { ...options, slice })) {
      if (stopped !== undefined) break;
      await writeEntry(pack, entry, options.keepTimestamps === true, window, pool);
      if (entry.kind !== 'directory') {
        files += 1;
        bytes += entry.size;
        options.onProgress?.({ files, bytes });
      }
    }
    await window.drain();
    if (stopped !== undefined) throw stopped;
    if (options.endMarker !== undefined) pack.entry({ name: options.endMarker, size: 0, mode: 0o600, mtime: NORMALISED_MTIME, uid: 0, gid: 0 }, Buffer.alloc(0));
    pack.finalize();
    await piping;
    return { files, bytes, dockerfileInArchive: context.dockerfileInArchive, ignoreFile: context.ignoreFile };
  } catch (error) {
    const reason = stopped ?? error;
    stop(reason);
    // `out` is destroyed without an error: the caller may have no 'error' listener, and it
    // learns what went wrong from this promise (a destroyed stream never emits 'finish').
    handOff.destroy();
    coalesce?.destroy();
    gzip?.destroy();
    out.destroy();
    await piping.catch(() => undefined);
    throw reason;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
