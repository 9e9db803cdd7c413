// One output channel per build ("Kaniko: <image>"). Lines are queued and appended every 100 ms in one call,
// so a build printing 200 000 lines does not stall the extension host with one IPC message per line.
import * as vscode from 'vscode';

const FLUSH_MS = 100;

export class BuildLog implements vscode.Disposable {
  private readonly channel: vscode.OutputChannel;
  private pending: string[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(title: string) {
    this.channel = vscode.window.createOutputChannel(title);
  }

  appendLines(lines: readonly string[]): void {
    if (lines.length === 0) return;
    this.pending.push(...lines);
    this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    this.channel.append(`${this.pending.join('\n')}\n`);
    this.pending = [];
  }

  show(preserveFocus = true): void {
    this.flush();
    this.channel.show(preserveFocus);
  }

  dispose(): void {
    this.flush();
    this.channel.dispose();
  }
}
