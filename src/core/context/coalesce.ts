// Gathers the many small pieces tar-stream emits (512-byte headers, padding, small files)
// into large chunks before gzip: every write to a zlib stream is a round trip through
// libuv's thread pool, and tens of thousands of tiny ones cost more than the compression.
import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';

export class Coalesce extends Transform {
  private readonly size: number;
  private batch: Buffer;
  private used = 0;

  constructor(size: number) {
    super();
    this.size = size;
    this.batch = Buffer.allocUnsafe(size);
  }

  private pushBatch(): void {
    if (this.used === 0) return;
    this.push(this.batch.subarray(0, this.used));
    this.batch = Buffer.allocUnsafe(this.size);
    this.used = 0;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    // Every byte is copied, even of a chunk big enough on its own: the write's callback then tells
    // that the chunk is no longer read, and its pooled bytes may be reused (see buffer-pool.ts).
    for (let offset = 0; offset < chunk.length;) {
      const n = Math.min(chunk.length - offset, this.size - this.used);
      chunk.copy(this.batch, this.used, offset, offset + n);
      this.used += n;
      offset += n;
      if (this.used === this.size) this.pushBatch();
    }
    callback();
  }

  override _flush(callback: TransformCallback): void {
    this.pushBatch();
    callback();
  }
}
