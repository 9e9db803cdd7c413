// `"type": "kaniko"` tasks: the same build as the right-click command (same profile mapping, tree, log, status bar),
// shown in a pseudoterminal with the phase lines and kaniko's output.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx.ts';
import type { BuildSession } from '../core/build/model.ts';
import type { KanikoTaskDefinition } from '../config/settings.ts';
import { toBuildRequest } from '../config/settings.ts';
import { kubeTargetOf } from '../config/readSettings.ts';
import { eventLines } from '../output/eventLines.ts';
import { existingSecret } from '../commands/registrySecret.ts';
import { taskProfile } from './taskProfile.ts';
import { LineBatcher } from '../output/lineBatcher.ts';

class BuildTerminal implements vscode.Pseudoterminal {
  private readonly written = new vscode.EventEmitter<string>();
  private readonly closed = new vscode.EventEmitter<number>();
  private session: BuildSession | undefined;
  private readonly output = new LineBatcher((text) => this.written.fire(text), '\r\n');
  private readonly ctx: Ctx;
  private readonly definition: KanikoTaskDefinition;
  private readonly folder: string;
  readonly onDidWrite = this.written.event;
  readonly onDidClose = this.closed.event;

  constructor(ctx: Ctx, definition: KanikoTaskDefinition, folder: string) {
    this.ctx = ctx;
    this.definition = definition;
    this.folder = folder;
  }

  open(): void {
    void this.run().catch((error: unknown) => this.finish(error instanceof Error ? error.message : String(error), 1));
  }

  close(): void {
    void this.session?.cancel();
  }

  private finish(message: string, code: number): void {
    this.output.push(message ? [message] : []);
    this.output.flush();
    this.closed.fire(code);
    this.written.dispose();
    this.closed.dispose();
  }

  private async run(): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      this.finish(vscode.l10n.t('Building is disabled in an untrusted workspace.'), 1);
      return;
    }
    const settings = this.ctx.settings(vscode.Uri.file(this.folder));
    const profile = taskProfile(this.definition, this.folder, settings.contextRoot);
    const credentials = await existingSecret(await this.ctx.engine(), kubeTargetOf(settings), settings.secretName);
    const entry = await this.ctx.runBuild(toBuildRequest(settings, { ...profile, ...credentials }));
    const session = entry.session;
    if (!session) return;
    this.session = session;
    const unsubscribe = session.onEvent((event) => this.output.push(eventLines(event, vscode.l10n.t)));
    const result = await session.done;
    unsubscribe();
    this.finish('', result.outcome === 'succeeded' ? 0 : 1);
  }
}

export class KanikoTaskProvider implements vscode.TaskProvider {
  static readonly type = 'kaniko';
  private readonly ctx: Ctx;

  constructor(ctx: Ctx) {
    this.ctx = ctx;
  }

  /** No tasks are made up: builds push images, so they come only from tasks.json. */
  provideTasks(): vscode.Task[] {
    return [];
  }

  resolveTask(task: vscode.Task): vscode.Task | undefined {
    const definition = task.definition as KanikoTaskDefinition;
    if (definition.type !== KanikoTaskProvider.type || !definition.dockerfile) return undefined;
    const folder = typeof task.scope === 'object' ? task.scope.uri.fsPath : vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
    const execution = new vscode.CustomExecution(async () => new BuildTerminal(this.ctx, definition, folder));
    return new vscode.Task(definition, task.scope ?? vscode.TaskScope.Workspace, task.name, 'kaniko', execution);
  }
}
