// packContext: the build context as a tar stream, gzip'd or plain, written with backpressure to any
// Writable, entry by entry in walk order (walk -> read -> tar-stream [-> coalesce -> gzip] -> out).
//
// Why tar-stream and not archiver's TarArchive (archiver only wraps tar-stream and zlib):
// archiver rewrites entry names (backslashes become slashes, a leading `word:` is cut),
// stamps symlink entries with the current time, and its abort() *ends* the output as if
// the archive were complete. An exact, deterministic, cleanly cancellable archive needs the
// headers and the stream ends in our hands, so we drive tar-stream and node:zlib directly.
import { createGzip } from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { PassThrough } from 'node:stream';
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

const CHUNK_BYTES = 256 * 1024;
// Files up to this size are read in one synchronous call; larger ones are streamed.
const SMALL_FILE_BYTES = 256 * 1024;
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
}

const ignoreError = (): void => undefined;

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

/** Queues one entry; small ones join the window, large ones are streamed after it drained. */
async function writeEntry(pack: Pack, entry: WalkEntry, keepTimestamps: boolean, window: EntryWindow): Promise<void> {
  const header = tarHeader(entry, keepTimestamps);
  const streamed = entry.kind === 'file' && entry.size > SMALL_FILE_BYTES;
  if (streamed) await window.drain();
  let sink: Sink | undefined;
  const done = new Promise<void>((resolve, reject) => {
    const callback = (error?: Error | null): void => (error ? reject(error) : resolve());
    const content = streamed ? undefined : entry.kind === 'file' ? readSmallFile(entry) : Buffer.alloc(0);
    queueRawNameHeader(pack, entry, keepTimestamps);
    sink = content === undefined ? pack.entry(header, callback) : pack.entry(header, content, callback);
  });
  // When reading fails, the code below throws before `done` is awaited; the entry's own
  // failure (the pack is then destroyed) is reported through packContext, not here.
  done.catch(ignoreError);
  sink?.on('error', ignoreError);
  if (!streamed || sink === undefined) {
    await window.add(done, entry.size);
    return;
  }
  for await (const chunk of readFileChunks(entry, CHUNK_BYTES)) {
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
  // tar-stream's pieces go on as Node stream chunks: gathered for gzip (see coalesce.ts); a plain tar
  // passes them through uncopied, for its consumer to frame (the exec's stdin gathers them itself).
  const tarOut = gzip ? new Coalesce(COALESCE_BYTES) : new PassThrough();
  pack.pipe(tarOut);
  // Failures reach the caller through the returned promise; the streams' own 'error'
  // events must not become uncaught exceptions.
  pack.on('error', ignoreError);
  tarOut.on('error', ignoreError);
  gzip?.on('error', ignoreError);
  let stopped: unknown;
  const stop = (reason: unknown): void => {
    stopped ??= reason;
    // Destroying the pack fails whatever entry is waiting, which ends the loop below.
    pack.destroy(reason as Error);
  };
  const piping = gzip ? pipeline(tarOut, gzip, out) : pipeline(tarOut, out);
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
      await writeEntry(pack, entry, options.keepTimestamps === true, window);
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
    tarOut.destroy();
    gzip?.destroy();
    out.destroy();
    await piping.catch(() => undefined);
    throw reason;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
