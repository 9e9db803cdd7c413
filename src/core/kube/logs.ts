// Follows a container's log to its end. Waits out 204 (not scheduled) and 400 (waiting to start),
// and resumes a cut stream with sinceTime, skipping the lines already delivered.
import type { KubeConnection } from './kubeconfig.ts';
import { KubeError } from './errors.ts';
import { kubeRequest } from './transport.ts';
import { delay } from './delay.ts';
import { LineSplitter } from '../kaniko/lines.ts';
import { setImmediate as yieldToLoop } from 'node:timers/promises';

export interface FollowOptions {
  readonly signal: AbortSignal;
  readonly onLine: (line: string) => void;
  /** True once the container has terminated: a stream that ends then is complete. */
  readonly isFinished: () => Promise<boolean>;
  readonly retryMs?: number;
}

/** Lines handled between two turns of the event loop while following a log. */
const LINES_PER_SLICE = 500;

/** A pause that ends early, without error, when the follow is aborted. */
const pause = (ms: number, signal: AbortSignal): Promise<void> => delay(ms, signal).catch(() => undefined);

/** Splits kubelet's `2026-11-26T17:00:00.123456789Z message` prefix. */
export function splitTimestamp(line: string): { timestamp?: string; text: string } {
  const space = line.indexOf(' ');
  const head = space < 0 ? line : line.slice(0, space);
  return /^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(head) ? { timestamp: head, text: space < 0 ? '' : line.slice(space + 1) } : { text: line };
}

export async function followLog(connection: KubeConnection, namespace: string, pod: string, container: string, options: FollowOptions): Promise<void> {
  const { signal } = options;
  const base = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log?container=${encodeURIComponent(container)}&follow=true&timestamps=true`;
  // Where to resume: the last timestamp delivered and how many lines carried exactly it.
  let lastTimestamp: string | undefined;
  let seenAtLast = 0;
  let finalRead = false;
  // A stream that ends looks the same whether it was complete or cut (a proxy, a timeout). Only once the
  // container had ended before a request was sent, and that request brought nothing new, is the log complete.
  let ended = false;
  let previousTail: string | undefined;
  while (!signal.aborted) {
    const endedBefore = ended;
    const since = lastTimestamp ? `&sinceTime=${encodeURIComponent(lastTimestamp.replace(/\.\d+Z$/, 'Z'))}` : '';
    let response;
    try {
      response = await kubeRequest(connection, base + since, { signal, headers: { Accept: '*/*' } });
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof KubeError && error.status === 400) {
        // The container may have run and ended between two polls: one more request reads its whole log.
        if (await options.isFinished()) {
          if (finalRead) return;
          finalRead = true;
          continue;
        }
        await pause(options.retryMs ?? 500, signal);
        continue;
      }
      throw error;
    }
    if (response.statusCode === 204) {
      response.resume();
      await pause(options.retryMs ?? 500, signal);
      continue;
    }
    let skip = seenAtLast;
    let delivered = 0;
    const splitter = new LineSplitter();
    const deliver = (raw: string): void => {
      const { timestamp, text } = splitTimestamp(raw);
      if (timestamp && lastTimestamp) {
        if (timestamp < lastTimestamp) return;
        if (timestamp === lastTimestamp && skip > 0) {
          skip--;
          return;
        }
      }
      if (timestamp) {
        seenAtLast = timestamp === lastTimestamp ? seenAtLast + 1 : 1;
        lastTimestamp = timestamp;
      }
      delivered++;
      options.onLine(text);
    };
    let tail: string[] = [];
    try {
      // Buffered chunks are read in microtasks without returning to the event loop; yield every few hundred
      // lines so that a log flood never stalls the host (the editor, the tree) for long.
      let sinceYield = 0;
      for await (const chunk of response) {
        for (const line of splitter.push(chunk as Buffer)) {
          if (++sinceYield >= LINES_PER_SLICE) {
            sinceYield = 0;
            await yieldToLoop();
          }
          deliver(line);
        }
      }
      tail = splitter.end();
    } catch {
      if (signal.aborted) return;
    }
    // A last line without a newline is kept only from a complete read (twice the same, so not a cut one).
    const tailText = tail.join('\n');
    if (endedBefore && delivered === 0 && (tail.length === 0 || tailText === previousTail)) {
      tail.forEach(deliver);
      return;
    }
    previousTail = endedBefore && delivered === 0 ? tailText : undefined;
    ended = ended || (await options.isFinished());
    if (!ended) await pause(200, signal);
  }
}
