// Every object of the sandbox cluster, with one resourceVersion counter for the whole store (as etcd's revision)
// and a bounded event history so watches can resume from a resourceVersion or be told it has expired.
import { timestamp } from './time.ts';
import { randomInt, randomUUID } from 'node:crypto';
import type { KubeObject, ObjectStore, WatchEventType } from '../contract.ts';
import type { JsonObject } from './json.ts';
import { alreadyExists, notFound } from './status.ts';

export interface StoreEvent {
  resourceVersion: number;
  resource: string;
  namespace: string;
  type: WatchEventType;
  object: KubeObject;
}

// The alphabet and length apiserver's SimpleNameGenerator uses for generateName.
const suffixAlphabet = 'bcdfghjklmnpqrstvwxz2456789';
const randomSuffix = (): string => Array.from({ length: 5 }, () => suffixAlphabet[randomInt(suffixAlphabet.length)]).join('');

const keyOf = (resource: string, namespace: string, name: string): string => `${resource}/${namespace}/${name}`;

export class ClusterStore implements ObjectStore {
  #resourceVersion = 0;
  readonly #objects = new Map<string, KubeObject>();
  readonly #history: StoreEvent[] = [];
  readonly #historyLimit: number;
  readonly #listeners = new Set<(event: StoreEvent) => void>();
  readonly #pending: StoreEvent[] = [];
  #dispatching = false;

  constructor(historyLimit = 1000) {
    this.#historyLimit = historyLimit;
  }

  get resourceVersion(): number {
    return this.#resourceVersion;
  }

  get(resource: string, namespace: string, name: string): KubeObject | undefined {
    const object = this.#objects.get(keyOf(resource, namespace, name));
    return object && structuredClone(object);
  }

  /** Objects of one resource, in one namespace or (namespace undefined) in all. */
  list(resource: string, namespace?: string): KubeObject[] {
    const prefix = namespace === undefined ? `${resource}/` : `${resource}/${namespace}/`;
    return [...this.#objects.entries()].filter(([key]) => key.startsWith(prefix)).map(([, object]) => structuredClone(object));
  }

  /** generateName: the prefix plus a random suffix not taken yet. */
  uniqueName(resource: string, namespace: string, prefix: string): string {
    let name: string;
    do name = prefix + randomSuffix();
    while (this.#objects.has(keyOf(resource, namespace, name)));
    return name;
  }

  create(resource: string, namespace: string, input: KubeObject): KubeObject {
    const object = structuredClone(input);
    const metadata = object.metadata;
    if (!metadata.name && metadata.generateName) metadata.name = this.uniqueName(resource, namespace, metadata.generateName);
    if (this.#objects.has(keyOf(resource, namespace, metadata.name))) throw alreadyExists(resource, metadata.name);
    if (namespace) metadata.namespace = namespace;
    metadata.uid = randomUUID();
    metadata.creationTimestamp = timestamp();
    delete metadata.resourceVersion;
    return this.#commit(resource, namespace, 'ADDED', object);
  }

  /** Applies a change to a stored object (404 when missing) and records a MODIFIED event. */
  update(resource: string, namespace: string, name: string, mutate: (object: KubeObject) => void): KubeObject {
    const current = this.#objects.get(keyOf(resource, namespace, name));
    if (!current) throw notFound(resource, name);
    const object = structuredClone(current);
    mutate(object);
    return this.#commit(resource, namespace, 'MODIFIED', object);
  }

  remove(resource: string, namespace: string, name: string): KubeObject | undefined {
    const current = this.#objects.get(keyOf(resource, namespace, name));
    if (!current) return undefined;
    return this.#commit(resource, namespace, 'DELETED', structuredClone(current));
  }

  /** The oldest resourceVersion a watch can still resume from. */
  get oldestResourceVersion(): number {
    return (this.#history[0]?.resourceVersion ?? this.#resourceVersion + 1) - 1;
  }

  /** Events after a resourceVersion, or 'expired' when the history no longer reaches back that far. */
  eventsSince(resourceVersion: number): StoreEvent[] | 'expired' {
    if (resourceVersion < this.oldestResourceVersion) return 'expired';
    return this.#history.filter((event) => event.resourceVersion > resourceVersion);
  }

  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  updatePodStatus(namespace: string, name: string, mutate: (status: JsonObject) => void): void {
    if (!this.#objects.has(keyOf('pods', namespace, name))) return;
    this.update('pods', namespace, name, (pod) => {
      pod.status ??= {};
      mutate(pod.status);
    });
  }

  removePod(namespace: string, name: string): void {
    this.remove('pods', namespace, name);
  }

  bindPod(namespace: string, name: string, nodeName: string): void {
    if (!this.#objects.has(keyOf('pods', namespace, name))) return;
    this.update('pods', namespace, name, (pod) => {
      pod.spec.nodeName = nodeName;
    });
  }

  recordEvent(namespace: string, pod: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    const now = timestamp();
    const { name, uid, resourceVersion } = pod.metadata;
    this.create('events', namespace, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: this.uniqueName('events', namespace, `${name}.`) },
      involvedObject: { kind: 'Pod', namespace, name, uid, apiVersion: 'v1', resourceVersion },
      reason,
      message,
      type,
      source: { component: 'kubelet', host: pod.spec?.nodeName },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      reportingComponent: 'kubelet',
      reportingInstance: pod.spec?.nodeName ?? '',
    });
  }

  onPodChange(listener: (type: WatchEventType, pod: KubeObject) => void): () => void {
    return this.subscribe((event) => {
      if (event.resource === 'pods') listener(event.type, structuredClone(event.object));
    });
  }

  #commit(resource: string, namespace: string, type: WatchEventType, object: KubeObject): KubeObject {
    this.#resourceVersion += 1;
    object.metadata.resourceVersion = String(this.#resourceVersion);
    const key = keyOf(resource, namespace, object.metadata.name);
    if (type === 'DELETED') this.#objects.delete(key);
    else this.#objects.set(key, object);
    const event: StoreEvent = { resourceVersion: this.#resourceVersion, resource, namespace, type, object: structuredClone(object) };
    this.#history.push(event);
    if (this.#history.length > this.#historyLimit) this.#history.shift();
    this.#pending.push(event);
    this.#dispatch();
    return structuredClone(object);
  }

  /** Delivers events in resourceVersion order even when a listener changes the store while being notified. */
  #dispatch(): void {
    if (this.#dispatching) return;
    this.#dispatching = true;
    try {
      for (let event = this.#pending.shift(); event; event = this.#pending.shift()) {
        for (const listener of [...this.#listeners]) {
          // A failing listener (a kubelet bug) must not stop the others or fail the API request that caused the event.
          try {
            listener(event);
          } catch (error) {
            console.error(`sandbox store: a listener failed on ${event.type} ${event.resource}/${event.object.metadata.name}:`, error);
          }
        }
      }
    } finally {
      this.#dispatching = false;
    }
  }
}
