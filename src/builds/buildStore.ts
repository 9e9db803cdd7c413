// The builds of this window: live sessions and the persisted history (workspaceState, newest first).
// Snapshots are re-read on engine events; listeners are told at most every 100 ms.
import * as vscode from 'vscode';
import type { BuildEvent, BuildRequest, BuildResult, BuildSession, BuildSnapshot } from '../core/build/model.ts';
import type { BuildRecord } from './buildRecord.ts';
import { forHistory, isRunning, withProgress } from './buildRecord.ts';
import type { BuildLog } from '../output/buildLog.ts';

const HISTORY_KEY = 'kaniko.history';
const CHANGE_MS = 100;

export interface BuildEntry {
  record: BuildRecord;
  session?: BuildSession;
  log?: BuildLog;
  /** For a re-attached build: the request and start as first made (the pod's annotations carry only part of it). */
  origin?: { readonly request: BuildRequest; readonly startedAt: number };
}

function snapshotOf(entry: BuildEntry, session: BuildSession): BuildSnapshot {
  const snapshot = session.snapshot();
  return entry.origin ? { ...snapshot, ...entry.origin } : snapshot;
}

export class BuildStore implements vscode.Disposable {
  private entries: BuildEntry[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly finished = new vscode.EventEmitter<{ entry: BuildEntry; result: BuildResult }>();
  private changeTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly unsubscribes = new Set<() => void>();
  readonly onDidChange = this.changed.event;
  readonly onDidFinish = this.finished.event;

  private readonly memento: vscode.Memento;
  private readonly historySize: () => number;

  constructor(memento: vscode.Memento, historySize: () => number) {
    this.memento = memento;
    this.historySize = historySize;
    const saved = memento.get<BuildRecord[]>(HISTORY_KEY, []);
    this.entries = saved.filter((record) => record?.snapshot?.id).map((record) => ({ record }));
  }

  list(): readonly BuildEntry[] {
    return this.entries;
  }

  get(id: string): BuildEntry | undefined {
    return this.entries.find((entry) => entry.record.snapshot.id === id);
  }

  running(): BuildEntry[] {
    return this.entries.filter((entry) => entry.session && isRunning(entry.record.snapshot));
  }

  /** Restored builds the cluster may still run: no result, but a pod. */
  detached(): BuildEntry[] {
    return this.entries.filter((entry) => !entry.session && isRunning(entry.record.snapshot) && entry.record.snapshot.pod);
  }

  /** Restored builds that ended with the window before they had a pod: nothing runs them any more. */
  interrupted(): BuildEntry[] {
    return this.entries.filter((entry) => !entry.session && isRunning(entry.record.snapshot) && !entry.record.snapshot.pod);
  }

  /** Starts following a new session. */
  track(session: BuildSession, log: BuildLog | undefined, context: string | undefined, totalSteps?: number): BuildEntry {
    const entry: BuildEntry = { record: { snapshot: session.snapshot(), progress: {}, context, totalSteps }, session, log };
    this.entries.unshift(entry);
    return this.follow(entry, session);
  }

  /** Follows a session re-attached to a restored build, in that build's place (the engine gives it a new id). */
  reattach(entry: BuildEntry, session: BuildSession, log: BuildLog): BuildEntry {
    entry.session = session;
    entry.log = log;
    entry.origin = { request: entry.record.snapshot.request, startedAt: entry.record.snapshot.startedAt };
    entry.record = { ...entry.record, snapshot: snapshotOf(entry, session) };
    return this.follow(entry, session);
  }

  /** A restored build that nothing follows any more (its pod is gone, or it never had one) gets its final result. */
  markEnded(entry: BuildEntry, result: BuildResult): void {
    entry.record = { ...entry.record, snapshot: { ...entry.record.snapshot, result } };
    this.persist();
    this.scheduleChange();
  }

  private follow(entry: BuildEntry, session: BuildSession): BuildEntry {
    const tracked = entry;
    const unsubscribe = session.onEvent((event) => this.onEvent(tracked, session, event));
    this.unsubscribes.add(unsubscribe);
    void session.done.then(
      (result) => this.settle(tracked, session, result),
      (error: unknown) => this.settle(tracked, session, { outcome: 'failed', message: error instanceof Error ? error.message : String(error), reason: 'BuildFailed' }),
    ).finally(() => {
      unsubscribe();
      this.unsubscribes.delete(unsubscribe);
    });
    this.persist();
    this.scheduleChange();
    return entry;
  }

  remove(id: string): void {
    const entry = this.get(id);
    if (!entry || entry.session && isRunning(entry.record.snapshot)) return;
    entry.log?.dispose();
    this.entries = this.entries.filter((other) => other !== entry);
    this.persist();
    this.scheduleChange();
  }

  clearFinished(): void {
    for (const entry of this.entries.filter((e) => !isRunning(e.record.snapshot))) this.remove(entry.record.snapshot.id);
  }

  private onEvent(entry: BuildEntry, session: BuildSession, event: BuildEvent): void {
    if (event.type === 'log') return;
    entry.record = event.type === 'progress' ? withProgress(entry.record, event, Date.now()) : { ...entry.record, snapshot: snapshotOf(entry, session) };
    if (event.type === 'pod') this.persist();
    this.scheduleChange();
  }

  private settle(entry: BuildEntry, session: BuildSession, result: BuildResult): void {
    const current = snapshotOf(entry, session);
    const snapshot: BuildSnapshot = { ...current, result: current.result ?? result };
    entry.record = { ...entry.record, snapshot };
    this.trim();
    this.persist();
    this.scheduleChange();
    this.finished.fire({ entry, result: snapshot.result ?? result });
  }

  /** Finished builds beyond `kaniko.historySize` are forgotten (running ones never). */
  private trim(): void {
    let kept = 0;
    const limit = this.historySize();
    for (const entry of [...this.entries]) {
      if (isRunning(entry.record.snapshot)) continue;
      if (++kept > limit) this.remove(entry.record.snapshot.id);
    }
  }

  private persist(): void {
    void this.memento.update(HISTORY_KEY, this.entries.map((entry) => forHistory(entry.record)));
  }

  private scheduleChange(): void {
    this.changeTimer ??= setTimeout(() => {
      this.changeTimer = undefined;
      this.changed.fire();
    }, CHANGE_MS);
  }

  dispose(): void {
    if (this.changeTimer) clearTimeout(this.changeTimer);
    for (const unsubscribe of this.unsubscribes) unsubscribe();
    for (const entry of this.entries) entry.log?.dispose();
    this.changed.dispose();
    this.finished.dispose();
  }
}
