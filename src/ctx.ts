// The extension's state: owns every disposable (store, tree, status bar, Dockerfile and .dockerignore diagnostics, task provider, channels)
// and runs builds. Constructing it loads the engine and asks the cluster only to re-attach builds restored running.
import * as vscode from 'vscode';
import type { BuildRequest, BuildSession, KubeTarget } from './core/build/model.ts';
import type { RunningBuild } from './core/build/running.ts';
import { BuildStore } from './builds/buildStore.ts';
import type { BuildEntry } from './builds/buildStore.ts';
import { showTransferProgress } from './builds/buildProgress.ts';
import { isRunning } from './builds/buildRecord.ts';
import { BuildTreeProvider } from './views/buildTree.ts';
import type { BuildNode } from './views/buildNodes.ts';
import { BuildStatusBar } from './status/statusBar.ts';
import { DockerfileDiagnostics } from './diagnostics/dockerfileDiagnostics.ts';
import { IgnoreFileDiagnostics } from './diagnostics/ignoreFileDiagnostics.ts';
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

const targetKey = (kube: KubeTarget | undefined): string => JSON.stringify(kube ?? {});

/** The build pods on each cluster the entries ran on; undefined for a cluster that cannot be asked now. */
async function buildPodsByTarget(engine: Engine, entries: readonly BuildEntry[]): Promise<Map<string, RunningBuild[] | undefined>> {
  const pods = new Map<string, RunningBuild[] | undefined>();
  for (const { record } of entries) {
    const key = targetKey(record.snapshot.request.kube);
    if (!pods.has(key)) pods.set(key, await engine.listBuilds(record.snapshot.request.kube ?? {}).catch(() => undefined));
  }
  return pods;
}

/**
 * A pod created as the window closed, before the build's record saved its name, is found by the build id on
 * its label and deleted: its context can never arrive, and it would wait for kaniko-init's timeout.
 */
async function removeOrphans(engine: Engine, interrupted: readonly BuildEntry[], pods: ReadonlyMap<string, RunningBuild[] | undefined>): Promise<void> {
  for (const { record } of interrupted) {
    const { id, request } = record.snapshot;
    for (const pod of pods.get(targetKey(request.kube))?.filter((p) => p.buildId === id) ?? []) {
      await engine.deleteBuildPod(request.kube ?? {}, pod.namespace, pod.name).catch(() => undefined);
    }
  }
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
      new IgnoreFileDiagnostics(),
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
    const interrupted = this.store.interrupted();
    for (const entry of interrupted) {
      this.store.markEnded(entry, { outcome: 'cancelled', message: vscode.l10n.t('The window closed before the build pod was created, so the build stopped; start it again.') });
    }
    const detached = this.store.detached();
    if (detached.length === 0 && interrupted.length === 0) return;
    this.reattaching = true;
    try {
      const engine = await this.engine();
      const pods = await buildPodsByTarget(engine, [...detached, ...interrupted]);
      await removeOrphans(engine, interrupted, pods);
      this.followDetached(engine, detached, pods);
    } finally {
      this.reattaching = false;
    }
  }

  private followDetached(engine: Engine, detached: readonly BuildEntry[], pods: ReadonlyMap<string, RunningBuild[] | undefined>): void {
    for (const entry of detached) {
      const { pod, request } = entry.record.snapshot;
      const listed = pods.get(targetKey(request.kube));
      // An unreachable cluster says nothing about the pods: those builds stay as they were, to be asked again later.
      if (!listed) continue;
      if (!pod || !listed.some((other) => other.namespace === pod.namespace && other.name === pod.name)) {
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
