// The status bar item: hidden until a build has run, then the latest build (or "3 running"); a click shows the build.
import * as vscode from 'vscode';
import type { BuildStore } from '../builds/buildStore.ts';
import { statusView } from './statusText.ts';

export class BuildStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('kaniko.status', vscode.StatusBarAlignment.Left, 10);
  private readonly subscription: vscode.Disposable;
  private readonly store: BuildStore;
  private shownOnce = false;

  constructor(store: BuildStore) {
    this.store = store;
    this.item.name = vscode.l10n.t('Kaniko Build');
    this.subscription = store.onDidChange(() => this.update());
  }

  /** Only builds of this session show: a restored history alone keeps the item hidden. */
  update(): void {
    const live = this.store.list().filter((entry) => entry.session).map((entry) => entry.record);
    const view = statusView(live, vscode.l10n.t);
    if (!view) {
      this.item.hide();
      return;
    }
    this.shownOnce = true;
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    this.item.backgroundColor = view.error ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.item.command = { command: 'kaniko.showBuild', title: vscode.l10n.t('Show Build'), arguments: [view.buildId] };
    this.item.show();
  }

  /** For the extension's test API. */
  state(): { text: string; visible: boolean } {
    return { text: this.item.text, visible: this.shownOnce };
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
