// Lets small entries be handed to tar-stream without waiting, one by one, for each to be
// flushed downstream: the next files are read while earlier ones are being compressed. The
// window is bounded in entries and bytes, so memory stays flat; tar-stream queues the
// entries in order.
export class EntryWindow {
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private readonly queue: Array<{ readonly done: Promise<void>; readonly bytes: number }> = [];
  private bytes = 0;

  constructor(maxEntries: number, maxBytes: number) {
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
  }

  /** Tracks an entry; while the window is full, the caller waits for room (makeRoom). */
  add(done: Promise<void>, bytes: number): void {
    this.queue.push({ done, bytes });
    this.bytes += bytes;
  }

  get full(): boolean {
    return this.queue.length > this.maxEntries || this.bytes > this.maxBytes;
  }

  /** Waits for the oldest entries until the window is no longer full. */
  async makeRoom(): Promise<void> {
    while (this.full) await this.shift();
  }

  /** Waits until every tracked entry has been flushed (or one of them failed). */
  async drain(): Promise<void> {
    while (this.queue.length > 0) await this.shift();
  }

  private async shift(): Promise<void> {
    const oldest = this.queue.shift();
    if (oldest === undefined) return;
    this.bytes -= oldest.bytes;
    await oldest.done;
  }
}
