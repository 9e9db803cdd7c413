// Reads the content of one regular file for the archive and makes sure it is exactly the
// size the walk saw: a tar header announces the size before the data, so a file that grows
// or shrinks meanwhile would corrupt the archive.
import { closeSync, constants, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { fileChanged, fromFsError } from './errors.ts';
import type { FsPath } from './names.ts';
import type { WalkEntry } from './walk.ts';

// O_NOFOLLOW: if the file was swapped for a link since the walk saw it, do not follow it.
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW;

function openError(error: unknown, entry: WalkEntry): unknown {
  if ((error as NodeJS.ErrnoException).code === 'ELOOP') return fileChanged(entry.abs, entry.size, 'now a symbolic link');
  return fromFsError(error, entry.abs);
}

function checkSize(entry: WalkEntry, got: number): void {
  if (got !== entry.size) throw fileChanged(entry.abs, entry.size, got > entry.size ? 'it grew' : `it has ${got}`);
}

/**
 * The whole content of a small file, read synchronously (see time-slice.ts for why) into `into`, which
 * must hold one byte more than the walk saw (getting that byte means the file grew); returns the part read.
 */
export function readSmallFile(entry: WalkEntry, into: Buffer): Buffer {
  let fd: number;
  try {
    fd = openSync(entry.abs, OPEN_FLAGS);
  } catch (error) {
    throw openError(error, entry);
  }
  try {
    const buffer = into.subarray(0, entry.size + 1);
    let got = 0;
    for (let n = -1; n !== 0 && got < buffer.length; got += n) n = readSync(fd, buffer, got, buffer.length - got, got);
    checkSize(entry, got);
    return buffer.subarray(0, got);
  } catch (error) {
    throw fromFsError(error, entry.abs);
  } finally {
    closeSync(fd);
  }
}

/** Reads into `buffer` from `position` until it is full or the file ends; returns the bytes read. */
async function readFully(handle: FileHandle, buffer: Buffer, position: number, path: FsPath): Promise<number> {
  let filled = 0;
  try {
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, position + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
  } catch (error) {
    throw fromFsError(error, path);
  }
  return filled;
}

/**
 * The content of a large file in chunks of up to `chunkSize`, each read into a Buffer from `take` (a pooled
 * piece, see buffer-pool.ts); the handle is closed however the iteration ends.
 */
export async function* readFileChunks(entry: WalkEntry, chunkSize: number, take: (size: number) => Promise<Buffer>): AsyncGenerator<Buffer> {
  const handle = await open(entry.abs, OPEN_FLAGS).catch((error: unknown) => { throw openError(error, entry); });
  try {
    let position = 0;
    while (position < entry.size) {
      const buffer = await take(Math.min(chunkSize, entry.size - position));
      const got = await readFully(handle, buffer, position, entry.abs);
      if (got < buffer.length) checkSize(entry, position + got);
      position += got;
      yield buffer;
    }
    checkSize(entry, position + await readFully(handle, Buffer.allocUnsafe(1), position, entry.abs));
  } finally {
    await handle.close();
  }
}
