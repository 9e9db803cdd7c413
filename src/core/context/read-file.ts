// Reads the content of one regular file for the archive and makes sure it is exactly the
// size the walk saw: a tar header announces the size before the data, so a file that grows
// or shrinks meanwhile would corrupt the archive.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { fileChanged, fromFsError } from './errors.ts';
import type { WalkEntry } from './walk.ts';

async function openFile(entry: WalkEntry): Promise<FileHandle> {
  try {
    // O_NOFOLLOW: if the file was swapped for a link since the walk saw it, do not follow it.
    return await open(entry.abs, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw fileChanged(entry.abs, entry.size, 'now a symbolic link');
    throw fromFsError(error, entry.abs);
  }
}

/** Reads into `buffer` from `position` until it is full or the file ends; returns the bytes read. */
async function readFully(handle: FileHandle, buffer: Buffer, position: number, path: string): Promise<number> {
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

/** The whole content of a small file, in one buffer of exactly entry.size bytes. */
export async function readWholeFile(entry: WalkEntry): Promise<Buffer> {
  const handle = await openFile(entry);
  try {
    // One byte more than expected: getting it means the file grew.
    const buffer = Buffer.allocUnsafe(entry.size + 1);
    const got = await readFully(handle, buffer, 0, entry.abs);
    if (got !== entry.size) throw fileChanged(entry.abs, entry.size, got > entry.size ? 'it grew' : `got ${got}`);
    return buffer.subarray(0, got);
  } finally {
    await handle.close();
  }
}

/** The content of a large file in chunks; the handle is closed however the iteration ends. */
export async function* readFileChunks(entry: WalkEntry, chunkSize: number): AsyncGenerator<Buffer> {
  const handle = await openFile(entry);
  try {
    let position = 0;
    while (position < entry.size) {
      const buffer = Buffer.allocUnsafe(Math.min(chunkSize, entry.size - position));
      const got = await readFully(handle, buffer, position, entry.abs);
      if (got < buffer.length) throw fileChanged(entry.abs, entry.size, `it ended after ${position + got}`);
      position += got;
      yield buffer;
    }
    const probe = await readFully(handle, Buffer.allocUnsafe(1), position, entry.abs);
    if (probe !== 0) throw fileChanged(entry.abs, entry.size, 'it grew');
  } finally {
    await handle.close();
  }
}
