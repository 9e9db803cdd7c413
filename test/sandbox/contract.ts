// The seam between the sandbox's API server (objects, HTTP) and its kubelet (processes, files).
// The API server owns every object; the kubelet only reads pods/secrets/configmaps and writes pod status.
import type { Readable, Writable } from 'node:stream';

/** A Kubernetes object as JSON; the sandbox works on plain objects like the real API server does. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- free-form Kubernetes JSON
export type KubeObject = { apiVersion?: string; kind?: string; metadata: Record<string, any>; [key: string]: any };

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** What the API server gives the kubelet. */
export interface ObjectStore {
  get(resource: 'pods' | 'secrets' | 'configmaps' | 'serviceaccounts', namespace: string, name: string): KubeObject | undefined;
  /** Applies a change to a pod's status, bumps its resourceVersion and notifies watchers. No-op for a deleted pod. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- free-form Kubernetes JSON
  updatePodStatus(namespace: string, name: string, mutate: (status: Record<string, any>) => void): void;
  /** Removes a pod for good (after a graceful delete once its processes are gone). */
  removePod(namespace: string, name: string): void;
  /** Called for every pod change, including the first ADDED of a created pod and a graceful-delete request (MODIFIED with metadata.deletionTimestamp). */
  onPodChange(listener: (type: WatchEventType, pod: KubeObject) => void): () => void;
  /** Optional: the scheduler's binding — sets spec.nodeName (as POST pods/binding does), bumps resourceVersion, notifies watchers. */
  bindPod?(namespace: string, name: string, nodeName: string): void;
  /** Optional: records a core/v1 Event about a pod (e.g. Warning FailedMount `MountVolume.SetUp failed for volume "v" : secret "x" not found`). */
  recordEvent?(namespace: string, pod: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void;
}

/** Why an exec or a log request cannot be served; the API server maps it to the HTTP answer. */
export class KubeletError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export interface ExecIO {
  stdin?: Readable;
  stdout?: Writable;
  stderr?: Writable;
}

export interface LogOptions {
  follow: boolean;
  timestamps: boolean;
  sinceTime?: string;
  tailLines?: number;
  previous?: boolean;
}

/** What the kubelet gives the API server. */
export interface Kubelet {
  /** Runs the command in the container's view of the filesystem; resolves with its exit code. Throws KubeletError(400, "container X is not valid for pod Y" | "pod X does not have a host assigned" | ...). */
  exec(namespace: string, pod: string, container: string, command: string[], io: ExecIO): Promise<number>;
  /** The container's log; with follow, the stream ends when the container terminates. Returns undefined when the pod is not yet scheduled (API answers 204). Throws KubeletError(400, `container "c" in pod "p" is waiting to start: PodInitializing`). */
  logs(namespace: string, pod: string, container: string, options: LogOptions): Readable | undefined;
  /** Stops every process and removes every pod folder. */
  stop(): Promise<void>;
}
