// Watches one pod: list for a resourceVersion, watch from it, re-watch from the last seen version when the stream
// ends (client-node 2.0 and proxies cut watches), re-list on 410 Expired. A connection can also go silent without
// closing (a NAT or firewall dropped its state): as client-go does, each watch asks the server to end it after a
// randomised timeoutSeconds and is abandoned by the client shortly after that, and a periodic GET of the pod meanwhile
// delivers what a frozen watch would have missed.
import type { KubeConnection } from './kubeconfig.ts';
import type { KubeList, KubeObject } from './gateway.ts';
import { delay } from './delay.ts';
import { KubeError } from './errors.ts';
import { kubeJson, kubeRequest } from './transport.ts';
import { LineSplitter } from '../kaniko/lines.ts';

export type PodEventType = 'ADDED' | 'MODIFIED' | 'DELETED';
/** Return 'stop' to end the watch. */
export type PodListener = (type: PodEventType, pod: KubeObject) => 'stop' | void;

interface WatchEvent { type: string; object: KubeObject & { code?: number } }

/** client-go's reflector picks [min, 2·min) so that many clients do not re-watch in step; a pod watch is cheap. */
const WATCH_TIMEOUT_MIN_S = 60;
/** How long after its timeoutSeconds the client gives up on a watch the server should have ended. */
const WATCH_GRACE_S = 15;
/** The GET that stands in for a silent watch; with the transport's 30 s answer timeout it bounds a stall to ~1 min. */
const POLL_MS = 30_000;

async function* lines(stream: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const splitter = new LineSplitter();
  for await (const chunk of stream) yield* splitter.push(chunk);
  yield* splitter.end();
}

/** Delivers events once: after a 'stop' (or DELETED) from either source, nothing more reaches the listener. */
class Delivery {
  count = 0;
  /** The resourceVersion of the last pod delivered. */
  version: string | undefined;
  readonly #listener: PodListener;
  readonly #stop: AbortController;
  constructor(listener: PodListener, stop: AbortController) {
    this.#listener = listener;
    this.#stop = stop;
  }

  /** True when the watch is over. */
  send(type: PodEventType, pod: KubeObject): boolean {
    if (this.#stop.signal.aborted) return true;
    this.count += 1;
    this.version = pod.metadata?.resourceVersion ?? this.version;
    if (this.#listener(type, pod) === 'stop' || type === 'DELETED') this.#stop.abort();
    return this.#stop.signal.aborted;
  }
}

export async function watchPod(connection: KubeConnection, namespace: string, name: string, listener: PodListener, signal: AbortSignal): Promise<void> {
  const stop = new AbortController();
  const active = AbortSignal.any([signal, stop.signal]);
  const delivery = new Delivery(listener, stop);
  const polling = pollPod(connection, namespace, name, delivery, active);
  try {
    await watchLoop(connection, namespace, name, delivery, active);
  } finally {
    stop.abort();
    await polling;
  }
}

async function watchLoop(connection: KubeConnection, namespace: string, name: string, delivery: Delivery, signal: AbortSignal): Promise<void> {
  const base = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods?fieldSelector=${encodeURIComponent(`metadata.name=${name}`)}`;
  let resourceVersion: string | undefined;
  while (!signal.aborted) {
    if (resourceVersion === undefined) {
      const list = await kubeJson<KubeList>(connection, base, { signal });
      resourceVersion = list.metadata.resourceVersion;
      const pod = list.items[0];
      if (delivery.send(pod ? 'MODIFIED' : 'DELETED', pod ?? { metadata: { name, namespace } })) return;
    }
    let expired = false;
    const timeoutSeconds = WATCH_TIMEOUT_MIN_S + Math.floor(Math.random() * WATCH_TIMEOUT_MIN_S);
    const watchSignal = AbortSignal.any([signal, AbortSignal.timeout((timeoutSeconds + WATCH_GRACE_S) * 1000)]);
    try {
      const query = `&watch=true&allowWatchBookmarks=true&timeoutSeconds=${timeoutSeconds}&resourceVersion=${encodeURIComponent(resourceVersion ?? '')}`;
      const response = await kubeRequest(connection, base + query, { signal: watchSignal });
      for await (const line of lines(response)) {
        if (line.trim() === '') continue;
        const event = JSON.parse(line) as WatchEvent;
        if (event.type === 'ERROR') {
          expired = event.object.code === 410;
          if (!expired) throw new KubeError(event.object.code ?? 0, String(event.object.reason ?? 'WatchError'), String(event.object.message ?? 'watch failed'), 'watch pods');
          break;
        }
        resourceVersion = event.object.metadata?.resourceVersion ?? resourceVersion;
        if (event.type === 'BOOKMARK') continue;
        if (delivery.send(event.type as PodEventType, event.object)) return;
      }
    } catch (error) {
      if (signal.aborted) return;
      // A cut or abandoned stream is normal; anything else the transport already retried.
      if (!(error instanceof Error && /aborted|ECONNRESET|ETIMEDOUT|terminated|socket hang up/i.test(`${error.message} ${(error as NodeJS.ErrnoException).code ?? ''}`))) throw error;
      await delay(200, signal).catch(() => undefined);
    }
    if (expired) resourceVersion = undefined;
  }
}

/**
 * Every POLL_MS, the pod as a GET sees it, delivered when no watch event arrived meanwhile (so it is never older than
 * what the listener has) and its resourceVersion differs from the last one delivered. Failures are left to the watch to report.
 */
async function pollPod(connection: KubeConnection, namespace: string, name: string, delivery: Delivery, signal: AbortSignal): Promise<void> {
  const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}`;
  while (!signal.aborted) {
    if (!(await delay(POLL_MS, signal).then(() => true, () => false))) return;
    const before = delivery.count;
    try {
      const pod = await kubeJson<KubeObject>(connection, path, { signal });
      if (delivery.count === before && pod.metadata.resourceVersion !== delivery.version && delivery.send('MODIFIED', pod)) return;
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof KubeError && error.status === 404 && delivery.count === before) {
        delivery.send('DELETED', { metadata: { name, namespace } });
        return;
      }
    }
  }
}
