// Collects log lines and writes them in one call per interval: a build printing 200 000 lines must not cost
// one extension-host message per line (output channels and task terminals alike).

export class LineBatcher {
  private pending: string[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly write: (text: string) => void;
  private readonly newline: string;
  private readonly intervalMs: number;

  constructor(write: (text: string) => void, newline = '\n', intervalMs = 100) {
    this.write = write;
    this.newline = newline;
    this.intervalMs = intervalMs;
  }

  push(lines: readonly string[]): void {
    if (lines.length === 0) return;
    for (const line of lines) this.pending.push(line);
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const text = this.pending.join(this.newline) + this.newline;
    this.pending = [];
    this.write(text);
  }
}
