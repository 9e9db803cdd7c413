// The archive's last stage of its own: writes each piece on to the next stream and gives a pooled piece
// back to its pool (buffer-pool.ts) once nothing will read it again. Node's pipe() gives no such signal.
// A next stream that copies every chunk before its write callback (the gzip coalescer, the exec's stdin)
// is done with the piece at that callback; any other may keep the chunk it got (a PassThrough queues it,
// a test collects it), so it gets a copy of a pooled piece and the piece goes back at once.
// Backpressure is the next stream's own.
import { Writable } from 'node:stream';
import type { BufferPool } from './buffer-pool.ts';

export class HandOff extends Writable {
  readonly #next: Writable;
  readonly #pool: BufferPool;
  readonly #nextCopies: boolean;

  constructor(next: Writable, pool: BufferPool, nextCopies: boolean) {
    super();
    this.#next = next;
    this.#pool = pool;
    this.#nextCopies = nextCopies;
  }

  override _write(piece: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.#write(piece)) callback();
    else this.#next.once('drain', () => callback());
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#next.end();
    callback();
  }

  #write(piece: Buffer): boolean {
    if (!this.#pool.owns(piece)) return this.#next.write(piece);
    if (this.#nextCopies) return this.#next.write(piece, () => this.#pool.release(piece));
    const copy = Buffer.from(piece);
    this.#pool.release(piece);
    return this.#next.write(copy);
  }
}
