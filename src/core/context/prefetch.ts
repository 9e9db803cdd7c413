// Overlaps the open/read/close of the next few small files with the compression of the
// current one: one file at a time through libuv's thread pool costs more in round trips
// than GNU tar's direct system calls. The window is small and bounded in bytes, so memory
// and open handles stay flat whatever the size of the context.
import { readWholeFile } from './read-file.ts';
import type { WalkEntry } from './walk.ts';

export interface LoadedEntry {
  readonly entry: WalkEntry;
  /** The content of a small file; large files (and non-files) have none and are streamed. */
  readonly content?: Buffer;
}

export interface PrefetchLimits {
  /** Files up to this size are read whole, ahead of time. */
  readonly smallFileBytes: number;
  /** At most this many entries are queued ahead. */
  readonly entries: number;
  /** At most this many content bytes are held ahead. */
  readonly bytes: number;
}

export async function* prefetch(entries: AsyncIterable<WalkEntry>, limits: PrefetchLimits): AsyncGenerator<LoadedEntry> {
  const iterator = entries[Symbol.asyncIterator]();
  const queue: Array<{ readonly size: number; readonly loaded: Promise<LoadedEntry> }> = [];
  let queuedBytes = 0;
  let exhausted = false;
  try {
    for (;;) {
      while (!exhausted && queue.length < limits.entries && queuedBytes < limits.bytes) {
        const next = await iterator.next();
        if (next.done === true) {
          exhausted = true;
          break;
        }
        const entry = next.value;
        const small = entry.kind === 'file' && entry.size <= limits.smallFileBytes;
        const loaded = small ? readWholeFile(entry).then((content) => ({ entry, content })) : Promise.resolve({ entry });
        // Failures surface when this entry's turn comes; until then keep them from being "unhandled".
        loaded.catch(() => undefined);
        const size = small ? entry.size : 0;
        queuedBytes += size;
        queue.push({ size, loaded });
      }
      const head = queue.shift();
      if (head === undefined) return;
      queuedBytes -= head.size;
      yield await head.loaded;
    }
  } finally {
    // Reads already started close their handles before we give up.
    await Promise.allSettled(queue.map((item) => item.loaded));
    await iterator.return?.(undefined);
  }
}
