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
  #cachedCommand: string | undefined;
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

  #apply(event: KanikoEvent): void {
    switch (event.type) {
      case 'stage':
        this.#end('done');
        this.#stage = event.index;
        break;
      case 'cache':
        this.#cachedCommand = event.hit ? event.command : undefined;
        break;
      case 'instruction': {
        this.#end('done');
        const found = this.#parsed ? findInstructionLine(this.#parsed, this.#stage, event.text, this.#lastLine.get(this.#stage) ?? 0) : undefined;
        if (found) this.#lastLine.set(this.#stage, found.line);
        const step: BuildStep = {
          index: this.steps.length, stage: this.#stage, instruction: event.text, state: 'running',
          cached: this.#cachedCommand === event.text, startedAt: this.#now(), ...(found ? { line: found.line } : {}),
        };
        this.#cachedCommand = undefined;
        this.steps.push(step);
        this.#current = step;
        this.#events.onStep(step);
        break;
      }
      case 'pushing':
        this.#end('done');
        if (!this.#pushing) this.#events.onPushStarted();
        this.#pushing = true;
        break;
      case 'pushed':
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
