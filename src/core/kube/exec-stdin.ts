// An exec's stdin as a Writable. The many small pieces of a tar stream are gathered straight into
// WebSocket frames (channel byte first, so each byte is copied once), and a frame the socket has
// written is reused: a long upload allocates a handful of frames, not one per chunk, which kept the
// heap of garbage buffers, and with it RSS, growing with the size of the upload. Every chunk is copied
// before its write callback and no reference is kept, so the writer may reuse a chunk's bytes after it
// (the packer's outCopiesChunks).
import { Writable } from 'node:stream';
import { HIGH_WATER } from './exec.ts';
import type { ExecSession } from './exec.ts';

const FRAME_DATA_BYTES = 256 * 1024;
// Frames that can be waiting in the socket, plus the one being filled and the one being handed over.
const MAX_SPARE_FRAMES = Math.ceil(HIGH_WATER / FRAME_DATA_BYTES) + 2;

class ExecStdin extends Writable {
  readonly #session: ExecSession;
  readonly #onBytes: (n: number) => void;
  readonly #spare: Buffer[] = [];
  #frame: Buffer | undefined;
  #used = 1;

  constructor(session: ExecSession, onBytes: (n: number) => void) {
    super({ highWaterMark: FRAME_DATA_BYTES });
    this.#session = session;
    this.#onBytes = onBytes;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    // Most of a tar's pieces fit the frame being filled: copied and done at once, with no promise per
    // piece; only a piece that fills the frame waits for it to be sent.
    const offset = this.#copy(chunk, 0);
    if (this.#used < FRAME_DATA_BYTES + 1) {
      callback();
      return;
    }
    this.#sendAndAppend(chunk, offset).then(() => callback(), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#send().then(() => callback(), callback);
  }

  /** Copies from `offset` into the frame being filled until it is full or the chunk ends; returns where it stopped. */
  #copy(chunk: Buffer, offset: number): number {
    const frame = this.#frame ?? this.#newFrame();
    const n = Math.min(chunk.length - offset, frame.length - this.#used);
    chunk.copy(frame, this.#used, offset, offset + n);
    this.#used += n;
    return offset + n;
  }

  /** Sends the full frame, then copies the rest of the chunk, sending each frame it fills. */
  async #sendAndAppend(chunk: Buffer, offset: number): Promise<void> {
    await this.#send();
    while (offset < chunk.length) {
      offset = this.#copy(chunk, offset);
      if (this.#used === FRAME_DATA_BYTES + 1) await this.#send();
    }
  }

  #newFrame(): Buffer {
    const frame = this.#spare.pop() ?? Buffer.allocUnsafeSlow(FRAME_DATA_BYTES + 1);
    frame[0] = 0;
    this.#frame = frame;
    return frame;
  }

  async #send(): Promise<void> {
    const frame = this.#frame;
    const bytes = this.#used - 1;
    if (frame === undefined || bytes === 0) return;
    this.#frame = undefined;
    this.#used = 1;
    await this.#session.writeFrame(frame.subarray(0, bytes + 1), () => {
      if (this.#spare.length < MAX_SPARE_FRAMES) this.#spare.push(frame);
    });
    this.#onBytes(bytes);
  }
}

/** Stdin of `session` as a Writable; `onBytes` counts the data bytes handed to the socket. */
export function execStdin(session: ExecSession, onBytes: (n: number) => void): Writable {
  return new ExecStdin(session, onBytes);
}
