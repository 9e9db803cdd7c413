// One output channel per build ("Kaniko: <image>"), appended in batches (see LineBatcher).
import * as vscode from 'vscode';
import { LineBatcher } from './lineBatcher.ts';

export class BuildLog implements vscode.Disposable {
  private readonly channel: vscode.OutputChannel;
  private readonly batcher: LineBatcher;

  constructor(title: string) {
    this.channel = vscode.window.createOutputChannel(title);
    this.batcher = new LineBatcher((text) => this.channel.append(text));
  }

  appendLines(lines: readonly string[]): void {
    this.batcher.push(lines);
  }

  flush(): void {
    this.batcher.flush();
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
