// Entry point: activate builds the Ctx (no cluster I/O, no engine unless a build was running when the window closed),
// deactivate disposes it.
import * as vscode from 'vscode';
import { Ctx } from './ctx.ts';
import { registerCommands } from './commands/index.ts';
import { KanikoTaskProvider } from './tasks/kanikoTaskProvider.ts';
import type { BuildSnapshot } from './core/build/model.ts';
import type { BuildNode } from './views/buildNodes.ts';

/** What `activate` returns: a small read-only view for the extension-host tests. */
export interface KanikoApi {
  builds(): BuildSnapshot[];
  tree(): BuildNode[];
  statusBar(): { text: string; visible: boolean };
}

export function activate(context: vscode.ExtensionContext): KanikoApi {
  const ctx = new Ctx(context);
  context.subscriptions.push(ctx, ...registerCommands(ctx), vscode.tasks.registerTaskProvider(KanikoTaskProvider.type, new KanikoTaskProvider(ctx)));
  return {
    builds: () => ctx.store.list().map((entry) => entry.record.snapshot),
    tree: () => ctx.tree.nodes(),
    statusBar: () => ctx.status.state(),
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
