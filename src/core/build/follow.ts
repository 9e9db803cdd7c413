// Follows kaniko's log: each line is parsed, turned into steps (stage, instruction, line, cached,
// start/end) and remembered only as far as the verdict needs (errors, pushed digests).
import type { ParsedDockerfile } from '../dockerfile/parse.ts';
import { findInstructionLine } from '../dockerfile/parse.ts';
import type { KanikoError, KanikoEvent } from '../kaniko/events.ts';
import { kanikoEvents } from '../kaniko/events.ts';
import { parseKanikoLine } from '../kaniko/logline.ts';
import type { BuildStep } from './model.ts';

export interface LogFollowerEvents {
  readonly onStep: (step: BuildStep) => void;
  readonly onPushStarted: () => void;
}

/** kaniko's errors are few; keeping the last ones bounds memory for any log size. */
const MAX_ERRORS = 20;

export class KanikoLogFollower {
  readonly errors: KanikoError[] = [];
  readonly pushed: Array<{ reference: string; digest: string }> = [];
  readonly steps: BuildStep[] = [];
  #parsed: ParsedDockerfile | undefined;
  #events: LogFollowerEvents;
  #stage = 0;
  #lastLine = new Map<number, number>();
  /**
   * The current stage's cache hits not yet matched to an instruction: kaniko looks up every command of a stage
   * (executor's optimize()) before it runs the first one, so hits come in a batch, in Dockerfile order.
   */
  #cacheHits: string[] = [];
  /** Repositories that `--cache` pushes layers to: their pushes are neither the push phase nor the image. */
  #cacheRepositories = new Set<string>();
  #current: BuildStep | undefined;
  #pushing = false;
  #now: () => number;

  constructor(parsed: ParsedDockerfile | undefined, events: LogFollowerEvents, now: () => number = Date.now) {
    this.#parsed = parsed;
    this.#events = events;
    this.#now = now;
  }

  /** The message without logrus decoration, for display. */
  line(raw: string): string {
    const parsed = parseKanikoLine(raw);
    for (const event of kanikoEvents(parsed)) this.#apply(event);
    return parsed.level ? `${parsed.level.toUpperCase().slice(0, 4)} ${parsed.message}` : parsed.message;
  }

  /** Ends the running step (at the end of the build). */
  finish(failed: boolean, exitCode?: number): void {
    this.#end(failed ? 'failed' : 'done', exitCode);
  }

  get failedStep(): (BuildStep & { exitCode?: number }) | undefined {
    return this.steps.find((s) => s.state === 'failed');
  }

  #end(state: 'done' | 'failed', exitCode?: number): void {
    if (!this.#current) return;
    const step = { ...this.#current, state, finishedAt: this.#now(), ...(exitCode !== undefined ? { exitCode } : {}) };
    this.steps[step.index] = step;
    this.#current = undefined;
    this.#events.onStep(step);
  }

  #isCachePush(reference: string): boolean {
    return [...this.#cacheRepositories].some((repository) => reference === repository || reference.startsWith(`${repository}:`) || reference.startsWith(`${repository}@`));
  }

  #apply(event: KanikoEvent): void {
    switch (event.type) {
      case 'stage':
        this.#end('done');
        this.#stage = event.index;
        this.#cacheHits = [];
        break;
      case 'cache':
        if (event.hit) this.#cacheHits.push(event.command);
        break;
      case 'cachePush':
        this.#cacheRepositories.add(event.repository);
        break;
      case 'instruction': {
        this.#end('done');
        const found = this.#parsed ? findInstructionLine(this.#parsed, this.#stage, event.text, this.#lastLine.get(this.#stage) ?? 0) : undefined;
        if (found) this.#lastLine.set(this.#stage, found.line);
        const hit = this.#cacheHits.indexOf(event.text);
        if (hit >= 0) this.#cacheHits.splice(0, hit + 1);
        const step: BuildStep = {
          index: this.steps.length, stage: this.#stage, instruction: event.text, state: 'running',
          cached: hit >= 0, startedAt: this.#now(), ...(found ? { line: found.line } : {}),
        };
        this.steps.push(step);
        this.#current = step;
        this.#events.onStep(step);
        break;
      }
      case 'pushing':
        if (this.#isCachePush(event.destination)) break;
        this.#end('done');
        if (!this.#pushing) this.#events.onPushStarted();
        this.#pushing = true;
        break;
      case 'pushed':
        if (this.#isCachePush(event.reference)) break;
        this.pushed.push({ reference: event.reference, digest: event.digest });
        break;
      case 'error':
        this.errors.push(event.error);
        if (this.errors.length > MAX_ERRORS) this.errors.splice(0, this.errors.length - MAX_ERRORS);
        if (event.error.kind === 'runFailed') this.#end('failed', event.error.exitCode);
        break;
      default:
        break;
    }
  }
}
