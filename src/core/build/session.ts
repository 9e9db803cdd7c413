// One build's state and events. The flow that drives it lives in run.ts (new build) and
// attach.ts (a build found on the cluster); this class only records and broadcasts.
import { randomUUID } from 'node:crypto';
import { PHASES } from './model.ts';
import type { BuildEvent, BuildRequest, BuildResult, BuildSession, BuildSnapshot, BuildStep, PhaseId, PhaseState } from './model.ts';
import type { ContextSummary } from '../context/model.ts';

type PhaseRecord = { state: PhaseState; startedAt?: number; finishedAt?: number; detail?: string };

export class SessionState {
  readonly id: string;
  request: BuildRequest;
  readonly startedAt = Date.now();
  readonly abort = new AbortController();
  phases = Object.fromEntries(PHASES.map((p) => [p, { state: 'pending' }])) as Record<PhaseId, PhaseRecord>;
  steps: BuildStep[] = [];
  summary: ContextSummary | undefined;
  pod: { namespace: string; name: string } | undefined;
  result: BuildResult | undefined;
  #listeners = new Set<(event: BuildEvent) => void>();

  constructor(request: BuildRequest, id: string = randomUUID().slice(0, 8)) {
    this.request = request;
    this.id = id;
  }

  emit(event: BuildEvent): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch {
        // A front end's bug must not break the build.
      }
    }
  }

  on(listener: (event: BuildEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  phase(phase: PhaseId, state: PhaseState, detail?: string): void {
    const record = this.phases[phase];
    if (record.state === state && detail === undefined) return;
    const now = Date.now();
    this.phases[phase] = {
      ...record, state, ...(detail !== undefined ? { detail } : {}),
      ...(state === 'running' ? { startedAt: record.startedAt ?? now } : { finishedAt: now }),
    };
    this.emit({ type: 'phase', phase, state, ...(detail !== undefined ? { detail } : {}) });
  }

  /** The phase currently running, if any. */
  get current(): PhaseId | undefined {
    return PHASES.find((p) => this.phases[p].state === 'running');
  }

  log(line: string, source: 'kaniko' | 'engine' = 'engine'): void {
    this.emit({ type: 'log', source, line });
  }

  step(step: BuildStep): void {
    this.steps[step.index] = step;
    this.emit({ type: 'step', step });
  }

  setPod(namespace: string, name: string): void {
    this.pod = { namespace, name };
    this.emit({ type: 'pod', namespace, name });
  }

  finish(result: BuildResult): BuildResult {
    const phaseEnd: PhaseState = result.outcome === 'succeeded' ? 'done' : result.outcome;
    for (const phase of PHASES) {
      const state = this.phases[phase].state;
      if (state === 'running') this.phase(phase, phaseEnd);
      else if (state === 'pending') this.phase(phase, result.outcome === 'succeeded' ? 'done' : 'skipped');
    }
    this.result = result;
    this.emit({ type: 'result', result });
    return result;
  }

  snapshot(): BuildSnapshot {
    return {
      id: this.id,
      request: this.request,
      startedAt: this.startedAt,
      phases: { ...this.phases },
      steps: [...this.steps],
      ...(this.summary ? { summary: this.summary } : {}),
      ...(this.pod ? { pod: { ...this.pod } } : {}),
      ...(this.result ? { result: this.result } : {}),
    };
  }
}

/** The public object: state plus the running flow and its cancel. */
export class Session implements BuildSession {
  readonly id: string;
  readonly done: Promise<BuildResult>;
  #state: SessionState;
  #cancel: () => Promise<void>;

  constructor(state: SessionState, run: Promise<BuildResult>, cancel: () => Promise<void>) {
    this.id = state.id;
    this.#state = state;
    this.done = run;
    this.#cancel = cancel;
  }

  snapshot(): BuildSnapshot {
    return this.#state.snapshot();
  }

  onEvent(listener: (event: BuildEvent) => void): () => void {
    return this.#state.on(listener);
  }

  async cancel(): Promise<void> {
    await this.#cancel();
    await this.done;
  }
}
