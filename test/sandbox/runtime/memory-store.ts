// A Map-based ObjectStore for the kubelet's own tests: the process boundary's stand-in for the API server.
import { randomUUID } from 'node:crypto';
import type { KubeObject, ObjectStore, WatchEventType } from '../contract.ts';

type Resource = 'pods' | 'secrets' | 'configmaps' | 'serviceaccounts';

export class MemoryStore implements ObjectStore {
  private readonly objects = new Map<string, KubeObject>();
  private readonly listeners = new Set<(type: WatchEventType, pod: KubeObject) => void>();
  private readonly waiters = new Set<() => void>();
  private version = 1;
  readonly events: { reason: string; message: string; type: string }[] = [];

  private key(resource: Resource, namespace: string, name: string): string {
    return `${resource}/${namespace}/${name}`;
  }

  get(resource: Resource, namespace: string, name: string): KubeObject | undefined {
    const object = this.objects.get(this.key(resource, namespace, name));
    return object && structuredClone(object);
  }

  put(resource: Resource, object: KubeObject): void {
    object.metadata.namespace ??= 'default';
    this.objects.set(this.key(resource, object.metadata.namespace, object.metadata.name), object);
  }

  private notify(type: WatchEventType, pod: KubeObject): void {
    pod.metadata.resourceVersion = String(++this.version);
    for (const listener of this.listeners) listener(type, structuredClone(pod));
    for (const waiter of this.waiters) waiter();
  }

  createPod(pod: KubeObject): void {
    pod.metadata.namespace ??= 'default';
    pod.metadata.uid = randomUUID();
    pod.status = { phase: 'Pending', qosClass: 'BestEffort' };
    this.put('pods', pod);
    this.notify('ADDED', pod);
  }

  deletePod(namespace: string, name: string, graceSeconds: number): void {
    const pod = this.objects.get(this.key('pods', namespace, name));
    if (!pod) return;
    pod.metadata.deletionTimestamp = new Date().toISOString();
    pod.metadata.deletionGracePeriodSeconds = graceSeconds;
    this.notify('MODIFIED', pod);
  }

  updatePodStatus(namespace: string, name: string, mutate: (status: Record<string, unknown>) => void): void {
    const pod = this.objects.get(this.key('pods', namespace, name));
    if (!pod) return;
    pod.status ??= {};
    mutate(pod.status);
    this.notify('MODIFIED', pod);
  }

  bindPod(namespace: string, name: string, nodeName: string): void {
    const pod = this.objects.get(this.key('pods', namespace, name));
    if (!pod) return;
    pod.spec.nodeName = nodeName;
    this.notify('MODIFIED', pod);
  }

  removePod(namespace: string, name: string): void {
    const key = this.key('pods', namespace, name);
    const pod = this.objects.get(key);
    if (!pod) return;
    this.objects.delete(key);
    this.notify('DELETED', pod);
  }

  recordEvent(_namespace: string, _pod: KubeObject, type: string, reason: string, message: string): void {
    this.events.push({ type, reason, message });
  }

  onPodChange(listener: (type: WatchEventType, pod: KubeObject) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves with the pod once the check passes (checked after every change); rejects after the timeout. */
  waitForPod(namespace: string, name: string, check: (pod: KubeObject | undefined) => boolean, timeoutMs = 20_000): Promise<KubeObject | undefined> {
    return new Promise((resolve, reject) => {
      const test = () => {
        const pod = this.get('pods', namespace, name);
        if (!check(pod)) return;
        this.waiters.delete(test);
        clearTimeout(timer);
        resolve(pod);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(test);
        reject(new Error(`timed out waiting for pod ${name}: ${JSON.stringify(this.get('pods', namespace, name)?.status)}`));
      }, timeoutMs);
      this.waiters.add(test);
      test();
    });
  }
}
