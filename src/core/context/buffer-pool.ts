// The fixed budget of file bytes in flight between the reads and the archive's consumer: a few slabs,
// allocated once and reused. Each file's content (a small file whole, a large one chunk by chunk) is
// read into a piece of a slab; a slab goes back to the pool once every piece cut from it has been handed
// on (release), and a read waits while all slabs are out. So a long upload makes no garbage Buffers per
// file or chunk: they would stay resident until V8 collected them, later the busier the machine is.

interface Slab {
  readonly bytes: Buffer;
  /** Pieces cut from the slab and not released yet. */
  pieces: number;
}

export class BufferPool {
  readonly #slabBytes: number;
  readonly #bySlab = new Map<ArrayBufferLike, Slab>();
  readonly #free: Slab[] = [];
  readonly #waiting: Array<{ resolve: (slab: Slab) => void; reject: (reason: unknown) => void }> = [];
  /** The slab pieces are being cut from, and where its free space starts. */
  #current: Slab | undefined;
  #used = 0;
  #closed: { reason: unknown } | undefined;

  constructor(slabs: number, slabBytes: number) {
    this.#slabBytes = slabBytes;
    for (let i = 0; i < slabs; i++) {
      // allocUnsafeSlow: an ArrayBuffer of its own, which identifies the slab of a released piece.
      const slab = { bytes: Buffer.allocUnsafeSlow(slabBytes), pieces: 0 };
      this.#bySlab.set(slab.bytes.buffer, slab);
      this.#free.push(slab);
    }
  }

  /**
   * A piece of `size` bytes (at most a slab), cut from the current slab or, when it is full, the next free
   * one, waiting while none is. For one reader at a time (the archive's entries are read in order).
   */
  async take(size: number): Promise<Buffer> {
    const piece = this.takeNow(size);
    if (piece !== undefined) return piece;
    // takeNow() retired the full slab and found none free.
    const slab = await new Promise<Slab>((resolve, reject) => this.#waiting.push({ resolve, reject }));
    this.#current = slab;
    this.#used = 0;
    return this.#cut(slab, size);
  }

  /** take() without waiting: undefined when the current slab is full and no other is free. */
  takeNow(size: number): Buffer | undefined {
    if (size > this.#slabBytes) throw new RangeError(`a piece of ${size} bytes does not fit a slab of ${this.#slabBytes}`);
    if (this.#closed) throw this.#closed.reason;
    if (this.#current === undefined || this.#used + size > this.#slabBytes) {
      this.#retireCurrent();
      const next = this.#free.pop();
      if (next === undefined) return undefined;
      this.#current = next;
      this.#used = 0;
    }
    return this.#cut(this.#current, size);
  }

  #cut(slab: Slab, size: number): Buffer {
    slab.pieces += 1;
    const piece = slab.bytes.subarray(this.#used, this.#used + size);
    this.#used += size;
    return piece;
  }

  /** Whether `piece` was cut from one of this pool's slabs. */
  owns(piece: Buffer): boolean {
    return this.#bySlab.has(piece.buffer);
  }

  /** Gives back a piece from take() (or any part of it, once per piece) when nothing will read it again. */
  release(piece: Buffer): void {
    const slab = this.#bySlab.get(piece.buffer);
    if (slab === undefined) throw new Error('released a Buffer that is not from this pool');
    slab.pieces -= 1;
    if (slab.pieces === 0 && slab !== this.#current) this.#giveBack(slab);
  }

  /** Fails every waiting and later take: the archive was stopped, its pieces will never be released. */
  close(reason: unknown): void {
    this.#closed ??= { reason };
    for (const waiter of this.#waiting.splice(0)) waiter.reject(reason);
  }

  #retireCurrent(): void {
    const slab = this.#current;
    this.#current = undefined;
    if (slab !== undefined && slab.pieces === 0) this.#giveBack(slab);
  }

  #giveBack(slab: Slab): void {
    const waiter = this.#waiting.shift();
    if (waiter) waiter.resolve(slab);
    else this.#free.push(slab);
  }
}
