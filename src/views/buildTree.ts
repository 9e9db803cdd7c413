// The "Kaniko Builds" tree: renders buildNodes' data, refreshes on store changes and every second while a build runs.
import * as vscode from 'vscode';
import type { BuildStore } from '../builds/buildStore.ts';
import { buildNode } from './buildNodes.ts';
import type { BuildNode } from './buildNodes.ts';

export class BuildTreeProvider implements vscode.TreeDataProvider<BuildNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<BuildNode | undefined>();
  private readonly disposables: vscode.Disposable[] = [];
  private ticker: ReturnType<typeof setInterval> | undefined;
  private readonly store: BuildStore;
  private roots: BuildNode[] = [];
  readonly onDidChangeTreeData = this.changed.event;

  constructor(store: BuildStore) {
    this.store = store;
    this.disposables.push(this.changed, store.onDidChange(() => this.refresh()));
  }

  /** The current nodes, as the tree shows them (also the tests' view of the tree). */
  nodes(): BuildNode[] {
    const now = Date.now();
    this.roots = this.store.list().map((entry) => buildNode(entry.record, now, vscode.l10n.t, entry.log !== undefined));
    return this.roots;
  }

  refresh(): void {
    this.changed.fire(undefined);
    const running = this.store.running().length > 0;
    if (running && !this.ticker) this.ticker = setInterval(() => this.changed.fire(undefined), 1000);
    if (!running && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }

  getChildren(element?: BuildNode): BuildNode[] {
    return element ? [...element.children] : this.nodes();
  }

  getParent(element: BuildNode): BuildNode | undefined {
    const find = (nodes: readonly BuildNode[], parent?: BuildNode): BuildNode | undefined | null => {
      for (const node of nodes) {
        if (node.id === element.id) return parent ?? null;
        const found = find(node.children, node);
        if (found !== undefined) return found;
      }
      return undefined;
    };
    return find(this.roots) ?? undefined;
  }

  getTreeItem(node: BuildNode): vscode.TreeItem {
    const state = node.children.length === 0 ? vscode.TreeItemCollapsibleState.None : node.expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(node.label, state);
    item.id = node.id;
    item.description = node.description;
    item.tooltip = node.tooltip;
    item.contextValue = node.contextValue;
    if (node.icon) item.iconPath = new vscode.ThemeIcon(node.icon.id, node.icon.color ? new vscode.ThemeColor(node.icon.color) : undefined);
    if (node.location) item.command = { command: 'kaniko.tree.openInstruction', title: vscode.l10n.t('Open Dockerfile at Instruction'), arguments: [node] };
    return item;
  }

  dispose(): void {
    if (this.ticker) clearInterval(this.ticker);
    for (const disposable of this.disposables) disposable.dispose();
  }
}
