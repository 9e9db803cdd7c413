// Watches one pod: list for a resourceVersion, watch from it, re-watch from the last seen version
// when the stream ends (client-node 2.0 and proxies cut watches), re-list on 410 Expired.
import type { KubeConnection } from './kubeconfig.ts';
import type { KubeList, KubeObject } from './gateway.ts';
import { KubeError } from './errors.ts';
import { kubeJson, kubeRequest } from './transport.ts';
import { LineSplitter } from '../kaniko/lines.ts';

export type PodEventType = 'ADDED' | 'MODIFIED' | 'DELETED';
/** Return 'stop' to end the watch. */
export type PodListener = (type: PodEventType, pod: KubeObject) => 'stop' | void;

interface WatchEvent { type: string; object: KubeObject & { code?: number } }

async function* lines(stream: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const splitter = new LineSplitter();
  for await (const chunk of stream) yield* splitter.push(chunk);
  yield* splitter.end();
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function watchPod(connection: KubeConnection, namespace: string, name: string, listener: PodListener, signal: AbortSignal): Promise<void> {
  const base = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods?fieldSelector=${encodeURIComponent(`metadata.name=${name}`)}`;
  let resourceVersion: string | undefined;
  while (!signal.aborted) {
    if (resourceVersion === undefined) {
      const list = await kubeJson<KubeList>(connection, base, { signal });
      resourceVersion = list.metadata.resourceVersion;
      const pod = list.items[0];
      if (!pod) {
        listener('DELETED', { metadata: { name, namespace } });
        return;
      }
      if (listener('MODIFIED', pod) === 'stop') return;
    }
    let expired = false;
    try {
      const response = await kubeRequest(connection, `${base}&watch=true&allowWatchBookmarks=true&resourceVersion=${encodeURIComponent(resourceVersion ?? '')}`, { signal });
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
        if (listener(event.type as PodEventType, event.object) === 'stop' || event.type === 'DELETED') return;
      }
    } catch (error) {
      if (signal.aborted) return;
      // A cut stream is normal; anything else the transport already retried.
      if (!(error instanceof Error && /aborted|ECONNRESET|ETIMEDOUT|terminated|socket hang up/i.test(`${error.message} ${(error as NodeJS.ErrnoException).code ?? ''}`))) throw error;
      await pause(200);
    }
    if (expired) resourceVersion = undefined;
  }
}
