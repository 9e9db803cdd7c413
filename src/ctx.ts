// The extension's state: owns every disposable (store, tree, status bar, diagnostics, task provider, channels)
// and runs builds. Constructing it loads the engine and asks the cluster only to re-attach builds restored running.
import * as vscode from 'vscode';
import type { BuildRequest, BuildSession, KubeTarget } from './core/build/model.ts';
import { BuildStore } from './builds/buildStore.ts';
import type { BuildEntry } from './builds/buildStore.ts';
import { showTransferProgress } from './builds/buildProgress.ts';
import { isRunning } from './builds/buildRecord.ts';
import { BuildTreeProvider } from './views/buildTree.ts';
import type { BuildNode } from './views/buildNodes.ts';
import { BuildStatusBar } from './status/statusBar.ts';
import { DockerfileDiagnostics } from './diagnostics/dockerfileDiagnostics.ts';
import { BuildLog } from './output/buildLog.ts';
import { eventLines } from './output/eventLines.ts';
import { showFailure } from './commands/showFailure.ts';
import { readSettings } from './config/readSettings.ts';
import type { KanikoSettings } from './config/settings.ts';
import { loadEngine } from './engineLoader.ts';
import type { Engine } from './engineLoader.ts';
import { imageShortName, shortDigest } from './format.ts';
import { countSteps } from './builds/countSteps.ts';

/** The build's output channel, fed with every event of the session. */
function openLog(session: BuildSession, request: BuildRequest): BuildLog {
  const log = new BuildLog(vscode.l10n.t('Kaniko: {0}', imageShortName(request.destinations[0] ?? 'image')));
  session.onEvent((event) => log.appendLines(eventLines(event, vscode.l10n.t)));
  return log;
}

export class Ctx implements vscode.Disposable {
  readonly extension: vscode.ExtensionContext;
  readonly store: BuildStore;
  readonly tree: BuildTreeProvider;
  readonly treeView: vscode.TreeView<BuildNode>;
  readonly status: BuildStatusBar;
  readonly diagnostics: DockerfileDiagnostics;
  private readonly disposables: vscode.Disposable[] = [];
  /** A look for restored builds is under way; a second one meanwhile (a view reveal) is skipped. */
  private reattaching = false;

  constructor(extension: vscode.ExtensionContext) {
    this.extension = extension;
    this.store = new BuildStore(extension.workspaceState, () => this.settings().historySize);
    this.tree = new BuildTreeProvider(this.store);
    this.treeView = vscode.window.createTreeView('kaniko.builds', { treeDataProvider: this.tree, showCollapseAll: true });
    this.status = new BuildStatusBar(this.store);
    this.diagnostics = new DockerfileDiagnostics();
    this.disposables.push(
      this.treeView,
      this.tree,
      this.status,
      this.diagnostics,
      this.store,
      this.store.onDidChange(() => this.updateContextKeys()),
      this.store.onDidFinish(({ entry }) => void this.onFinished(entry)),
      // A cluster that could not be asked at activation is asked again when the user looks at the view.
      this.treeView.onDidChangeVisibility((event) => {
        if (event.visible) void this.reattach();
      }),
    );
    this.updateContextKeys();
    // Builds that were running when the window closed are followed again at once, so the tree and the status bar
    // reach their result; with none in the history this loads nothing and asks the cluster nothing.
    void this.reattach();
  }

  settings(scope?: vscode.Uri): KanikoSettings {
    return readSettings(scope);
  }

  engine(): Promise<Engine> {
    return loadEngine();
  }

  /** Starts a build and follows it in the tree, its log, the status bar and a progress notification. */
  async runBuild(request: BuildRequest, context?: string): Promise<BuildEntry> {
    const engine = await this.engine();
    const session = engine.startBuild(request);
    const log = openLog(session, request);
    log.appendLines([`[kaniko-build] ${vscode.l10n.t('Building {0} into {1}', request.dockerfile, request.destinations.join(', '))}`]);
    const entry = this.store.track(session, log, context, await countSteps(request.dockerfile));
    showTransferProgress(session, imageShortName(request.destinations[0] ?? 'image'));
    return entry;
  }

  /** After a reload: follow builds that were running when the window closed (their pods may still run). */
  async reattach(): Promise<void> {
    if (this.reattaching) return;
    for (const entry of this.store.interrupted()) {
      this.store.markEnded(entry, { outcome: 'cancelled', message: vscode.l10n.t('The window closed before the build pod was created, so the build stopped; start it again.') });
    }
    const detached = this.store.detached();
    if (detached.length === 0) return;
    this.reattaching = true;
    try {
      await this.followDetached(detached);
    } finally {
      this.reattaching = false;
    }
  }

  private async followDetached(detached: readonly BuildEntry[]): Promise<void> {
    const engine = await this.engine();
    const byTarget = new Map<string, KubeTarget>();
    for (const entry of detached) byTarget.set(JSON.stringify(entry.record.snapshot.request.kube ?? {}), entry.record.snapshot.request.kube ?? {});
    const alive = new Set<string>();
    const unreachable = new Set<string>();
    for (const [key, kube] of byTarget) {
      // An unreachable cluster says nothing about the pods: those builds stay as they were, to be asked again later.
      const pods = await engine.listBuilds(kube).catch(() => undefined);
      if (!pods) unreachable.add(key);
      for (const pod of pods ?? []) alive.add(`${pod.namespace}/${pod.name}`);
    }
    for (const entry of detached) {
      const { pod, request } = entry.record.snapshot;
      if (unreachable.has(JSON.stringify(request.kube ?? {}))) continue;
      if (!pod || !alive.has(`${pod.namespace}/${pod.name}`)) {
        const message = vscode.l10n.t('The build pod is gone: the build ended while the window was closed, its result is unknown.');
        this.store.markEnded(entry, { outcome: 'failed', reason: 'PodDeleted', message });
        continue;
      }
      const session = engine.attachBuild(request.kube ?? {}, pod.namespace, pod.name, request.cleanup);
      this.store.reattach(entry, session, openLog(session, request));
    }
  }

  private async onFinished(entry: BuildEntry): Promise<void> {
    const { snapshot } = entry.record;
    const result = snapshot.result;
    if (!result) return;
    entry.log?.flush();
    await this.diagnostics.showResult(snapshot.request.dockerfile, result);
    const image = snapshot.request.destinations[0] ?? '';
    if (result.outcome === 'failed') {
      entry.log?.show(true);
      await showFailure(result, snapshot.id, snapshot.request.dockerfile, imageShortName(image));
    } else if (result.outcome === 'succeeded') {
      const digest = result.digest ? ` @${shortDigest(result.digest)}` : '';
      void vscode.window.setStatusBarMessage(vscode.l10n.t('Pushed {0}', `${image}${digest}`), 5000);
    }
  }

  updateContextKeys(): void {
    const entries = this.store.list();
    void vscode.commands.executeCommand('setContext', 'kaniko.buildRunning', entries.some((entry) => entry.session && isRunning(entry.record.snapshot)));
    void vscode.commands.executeCommand('setContext', 'kaniko.hasBuilds', entries.length > 0);
  }

  dispose(): void {
    for (const disposable of this.disposables.reverse()) disposable.dispose();
  }
}
