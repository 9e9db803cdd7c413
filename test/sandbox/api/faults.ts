// Faults the API server injects on demand, so tests can see how clients cope with a misbehaving cluster.
export interface RequestMatch {
  /** Matched against the URL path (a string must be contained in it). */
  path: string | RegExp;
  /** HTTP method, any when left out. */
  method?: string;
}

interface RequestFault extends RequestMatch {
  status?: number;
  delayMs?: number;
  holdMs?: number;
  remaining: number;
}

/** An open watch stream that a fault can end. */
export interface OpenWatch {
  expire(): void;
}

export class ApiFaults {
  readonly #requestFaults: RequestFault[] = [];
  readonly #openWatches = new Set<OpenWatch>();
  #execDropAfter: number | undefined;
  #watchLifetimeMs: number | undefined;
  #expireNextWatches = 0;
  #logCutBytes: number | undefined;

  /** The next `count` matching requests are answered with a Status of this code (500 or 503). */
  failRequests(match: RequestMatch, status: 500 | 503 = 500, count = 1): void {
    this.#requestFaults.push({ ...match, status, remaining: count });
  }

  /** The next `count` matching requests are held back for `ms` before being served. */
  delayRequests(match: RequestMatch, ms: number, count = 1): void {
    this.#requestFaults.push({ ...match, delayMs: ms, remaining: count });
  }

  /**
   * The next `count` matching requests are served at once (a create creates) but their answers are held back
   * for `ms`: a client that goes away meanwhile never learns what it made.
   */
  holdAnswers(match: RequestMatch, ms: number, count = 1): void {
    this.#requestFaults.push({ ...match, holdMs: ms, remaining: count });
  }

  /** The next exec WebSocket is dropped (no status frame) once it has received more than `bytes` stdin bytes. */
  dropExecAfterStdinBytes(bytes: number): void {
    this.#execDropAfter = bytes;
  }

  /** Every watch opened from now on ends (cleanly) after `ms`; undefined restores open-ended watches. */
  endWatchesAfter(ms: number | undefined): void {
    this.#watchLifetimeMs = ms;
  }

  /** Every open watch gets an ERROR 410 Expired event and ends now; the next `count` watches are answered the same way. */
  expireWatches(count = 0): void {
    for (const watch of [...this.#openWatches]) watch.expire();
    this.#expireNextWatches = count;
  }

  /**
   * Every follow log stream opened from now on ends (cleanly, as a proxy or an idle timeout cuts it) after
   * `bytes` bytes, mid-line if that is where the count ends; undefined restores whole streams.
   */
  cutLogStreamsAfter(bytes: number | undefined): void {
    this.#logCutBytes = bytes;
  }

  get logCutBytes(): number | undefined {
    return this.#logCutBytes;
  }

  reset(): void {
    this.#requestFaults.length = 0;
    this.#execDropAfter = undefined;
    this.#logCutBytes = undefined;
    this.#watchLifetimeMs = undefined;
    this.#expireNextWatches = 0;
  }

  takeRequestFault(method: string, path: string): { status?: number; delayMs?: number; holdMs?: number } | undefined {
    const fault = this.#requestFaults.find(
      (candidate) => (!candidate.method || candidate.method.toUpperCase() === method) && (typeof candidate.path === 'string' ? path.includes(candidate.path) : candidate.path.test(path)),
    );
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.#requestFaults.splice(this.#requestFaults.indexOf(fault), 1);
    return { status: fault.status, delayMs: fault.delayMs, holdMs: fault.holdMs };
  }

  takeExecDrop(): number | undefined {
    const bytes = this.#execDropAfter;
    this.#execDropAfter = undefined;
    return bytes;
  }

  get watchLifetimeMs(): number | undefined {
    return this.#watchLifetimeMs;
  }

  takeWatchExpiry(): boolean {
    if (this.#expireNextWatches <= 0) return false;
    this.#expireNextWatches -= 1;
    return true;
  }

  track(watch: OpenWatch): () => void {
    this.#openWatches.add(watch);
    return () => this.#openWatches.delete(watch);
  }
}
