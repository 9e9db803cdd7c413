// Keeps the latest state of one build pod from its watch and lets the session wait for a state.
import type { KubeObject } from '../kube/gateway.ts';
import { watchPod } from '../kube/watch.ts';
import type { KubeConnection } from '../kube/kubeconfig.ts';
import { BuildFailure } from './failure.ts';
import { apiFailure } from './preflight.ts';

export class PodTracker {
  pod: KubeObject | undefined;
  deleted = false;
  #error: BuildFailure | undefined;
  #waiters = new Set<() => void>();
  #stop = new AbortController();
  readonly done: Promise<void>;

  constructor(connection: KubeConnection, namespace: string, name: string) {
    this.done = watchPod(connection, namespace, name, (type, pod) => {
      if (type === 'DELETED') this.deleted = true;
      else this.pod = pod;
      this.#notify();
      return type === 'DELETED' ? 'stop' : undefined;
    }, this.#stop.signal).catch((error: unknown) => {
      if (this.#stop.signal.aborted) return;
      const failure = apiFailure(error, 'kubectl', `Watching the build pod ${name}`);
      // Without valid credentials the build cannot delete its pod either: say how to, once logged in again.
      const cleanup = failure.reason === 'Unauthorized' ? ` Then delete the build pod: kubectl delete pod ${name} -n ${namespace}` : '';
      this.#error = new BuildFailure({ ...failure, ...(cleanup ? { fix: `${failure.fix ?? ''}${cleanup}` } : {}) });
      this.#notify();
    });
  }

  #notify(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }

  /** Resolves with the first non-undefined answer of `check`, re-evaluated on every pod change. */
  until<T>(check: (tracker: PodTracker) => T | undefined, signal: AbortSignal): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const evaluate = (): void => {
        try {
          if (signal.aborted) throw signal.reason;
          if (this.#error) throw this.#error;
          const answer = check(this);
          if (answer === undefined) return;
          cleanup();
          resolve(answer);
        } catch (error) {
          cleanup();
          reject(error);
        }
      };
      const onAbort = (): void => evaluate();
      const cleanup = (): void => {
        this.#waiters.delete(evaluate);
        signal.removeEventListener('abort', onAbort);
      };
      this.#waiters.add(evaluate);
      signal.addEventListener('abort', onAbort, { once: true });
      evaluate();
    });
  }

  stop(): void {
    this.#stop.abort();
  }
}
