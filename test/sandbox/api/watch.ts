// Watch streams: one JSON event per line, with resourceVersion semantics (synthetic ADDED without a version,
// only later events from an exact version, ERROR 410 Expired when the history no longer reaches back).
import type { ServerResponse } from 'node:http';
import type { KubeObject } from '../contract.ts';
import type { ApiFaults } from './faults.ts';
import type { Predicate } from './selectors.ts';
import { expired } from './status.ts';
import type { ClusterStore, StoreEvent } from './store.ts';
import { toTable } from './table.ts';

export interface WatchRequest {
  resource: string;
  /** undefined: every namespace. */
  namespace: string | undefined;
  matches: Predicate;
  resourceVersion: string | null;
  timeoutSeconds: number | undefined;
  /** allowWatchBookmarks: every this many ms a BOOKMARK carries the store's current resourceVersion. */
  bookmarkMs: number | undefined;
  /** includeObject for Table output, undefined for plain objects. */
  table: string | undefined;
}

const bookmarkKinds: Record<string, string> = { pods: 'Pod', secrets: 'Secret', configmaps: 'ConfigMap', serviceaccounts: 'ServiceAccount', namespaces: 'Namespace', events: 'Event' };

/** A BOOKMARK event's object: only the kind and the resourceVersion the client may resume from. */
function bookmark(resource: string, resourceVersion: number): KubeObject {
  return { kind: bookmarkKinds[resource], apiVersion: 'v1', metadata: { resourceVersion: String(resourceVersion) } };
}

export function serveWatch(res: ServerResponse, store: ClusterStore, faults: ApiFaults, request: WatchRequest): void {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
  // Clients wait for the headers before they count a watch as established, even when no event is due yet.
  res.flushHeaders();
  let first = true;
  const write = (type: string, object: KubeObject): void => {
    const payload = request.table && type !== 'ERROR' && type !== 'BOOKMARK' ? toTable(request.resource, [object], object.metadata.resourceVersion, request.table, first) : object;
    first = false;
    res.write(JSON.stringify({ type, object: payload }) + '\n');
  };
  // As the watch cache does, an object that starts or stops matching the selectors arrives as ADDED or DELETED.
  const matching = new Map<string, boolean>();
  const keyOf = (namespace: string, object: KubeObject): string => `${namespace}/${object.metadata.name}`;
  const translate = (event: StoreEvent): string | undefined => {
    if (event.resource !== request.resource || (request.namespace !== undefined && event.namespace !== request.namespace)) return undefined;
    const key = keyOf(event.namespace, event.object);
    const now = event.type !== 'DELETED' && request.matches(event.object);
    const before = matching.get(key) ?? (event.type !== 'ADDED' && request.matches(event.object));
    matching.set(key, now);
    if (now) return before ? event.type : 'ADDED';
    return before ? 'DELETED' : undefined;
  };
  const forward = (event: StoreEvent): void => {
    const type = translate(event);
    if (type) write(type, event.object);
  };

  const requested = request.resourceVersion ? Number(request.resourceVersion) : 0;
  const history = requested > 0 ? store.eventsSince(requested) : [];
  if (history === 'expired' || faults.takeWatchExpiry()) {
    write('ERROR', expired(`too old resource version: ${requested} (${store.oldestResourceVersion})`).body);
    res.end();
    return;
  }
  if (requested === 0) {
    for (const object of store.list(request.resource, request.namespace)) {
      matching.set(keyOf(object.metadata.namespace ?? '', object), request.matches(object));
      if (request.matches(object)) write('ADDED', object);
    }
  }
  history.forEach(forward);
  const unsubscribe = store.subscribe(forward);
  const timers: NodeJS.Timeout[] = [];
  const finish = (): void => {
    unsubscribe();
    untrack();
    timers.forEach(clearTimeout);
    if (!res.writableEnded) res.end();
  };
  const untrack = faults.track({
    expire: () => {
      write('ERROR', expired(`too old resource version: ${requested} (${store.oldestResourceVersion})`).body);
      finish();
    },
  });
  const lifetime = Math.min(faults.watchLifetimeMs ?? Infinity, (request.timeoutSeconds ?? Infinity) * 1000);
  if (Number.isFinite(lifetime)) timers.push(setTimeout(finish, lifetime));
  const bookmarks = request.bookmarkMs ? setInterval(() => write('BOOKMARK', bookmark(request.resource, store.resourceVersion)), request.bookmarkMs) : undefined;
  res.on('close', () => clearInterval(bookmarks));
  res.on('close', finish);
}
