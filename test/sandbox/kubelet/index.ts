// The sandbox node: runs the API server's pods as real processes (see pod-runner.ts) and serves exec and logs.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { KubeletError, type ExecIO, type Kubelet, type KubeObject, type LogOptions, type ObjectStore } from '../contract.ts';
import type { Registries } from '../registry/index.ts';
import { prepareImages } from './container-root.ts';
import { assertNothingMounted, PodRunner } from './pod-runner.ts';
import { normalizeImageName } from './images.ts';

export interface KubeletOptions {
  /** Root folder for images and per-pod folders; removed pod by pod. */
  dir: string;
  registries?: Registries;
  /** A registry name (e.g. `image-registry.openshift-image-registry.svc:5000`) that the kaniko stand-in maps to the TLS registry. */
  openshiftRegistryHost?: string;
  nodeName?: string;
  /** The real kaniko executor binary: executor images then run it (see kaniko-image.ts); else the buildah stand-in. */
  kanikoExecutor?: string;
}

export interface KubeletFaults {
  /** Pulls of this image (as written in the pod spec, or fully qualified) fail: ErrImagePull, then ImagePullBackOff. */
  failImagePull(image: string, on?: boolean): void;
  /**
   * The node's runtime enforces short-name resolution as CRI-O does from 1.34 (OpenShift 4.21): an image named
   * without a registry (`busybox:1.36`) cannot be inspected, and its container waits with ImageInspectError.
   */
  enforceShortNames(on: boolean): void;
  /** The node evicts the pod: processes stopped, phase Failed, reason Evicted. */
  evictPod(namespace: string, name: string, message?: string): Promise<void>;
  /** Signals a running container's processes; 'OOMKilled' kills with SIGKILL and reports reason OOMKilled. */
  killContainer(namespace: string, pod: string, container: string, signal?: NodeJS.Signals | 'OOMKilled'): void;
}

export interface NodeLossFault {
  /** The node vanishes: its processes die, statuses freeze, new pods stay unscheduled, exec and logs cannot reach it. */
  loseNode(): Promise<void>;
  /** The node is back: it reports again, and the folders of pods deleted meanwhile are removed. */
  restoreNode(): Promise<void>;
  readonly nodeName: string;
}

export function createKubelet(store: ObjectStore, options: KubeletOptions): Kubelet & KubeletFaults & NodeLossFault {
  const runners = new Map<string, PodRunner>();
  const failingImages = new Set<string>();
  const shortNames = { enforcing: false };
  const registryMap: Record<string, string> = {};
  if (options.openshiftRegistryHost && options.registries) registryMap[options.openshiftRegistryHost] = options.registries.tls.host;
  const kanikoImage = options.kanikoExecutor ? { executor: options.kanikoExecutor, caPem: options.registries?.tls.caPem ?? '' } : undefined;
  const imagesReady = mkdir(options.dir, { recursive: true }).then(() => prepareImages(options.dir, kanikoImage));
  imagesReady.catch(() => undefined);
  const key = (namespace: string, name: string) => `${namespace}/${name}`;
  let stopped = false;
  let lost = false;
  const nodeAddress = '127.0.0.1:10250';

  const removeRunner = async (runner: PodRunner, graceSeconds: number, removeFromApi: boolean) => {
    await runner.halt(graceSeconds);
    if (removeFromApi) {
      runner.silence();
      store.removePod(runner.namespace, runner.name);
    }
    await runner.removeFolder();
    if (runners.get(key(runner.namespace, runner.name)) === runner) runners.delete(key(runner.namespace, runner.name));
  };

  const unsubscribe = store.onPodChange((type, pod) => {
    if (stopped || lost) return;
    const id = key(pod.metadata.namespace, pod.metadata.name);
    const runner = runners.get(id);
    if (type === 'ADDED' && !runner) {
      runners.set(id, new PodRunner({ store, dir: options.dir, images: imagesReady, nodeName: options.nodeName ?? 'sandbox-node', failingImages, shortNames, sandboxConfig: { registryMap }, realKaniko: Boolean(kanikoImage) }, pod));
    } else if (type === 'MODIFIED' && runner && pod.metadata.deletionTimestamp && runner.uid === (pod.metadata.uid ?? runner.uid)) {
      if (!deleting.has(runner)) {
        deleting.add(runner);
        void removeRunner(runner, runner.gracePeriod(), true);
      }
    } else if (type === 'DELETED' && runner && !deleting.has(runner)) {
      // Gone from the API without a graceful delete (force delete): stop everything at once.
      deleting.add(runner);
      runner.silence();
      void removeRunner(runner, 0, false);
    }
  });
  const deleting = new Set<PodRunner>();

  const runnerFor = (namespace: string, name: string): PodRunner => {
    const runner = runners.get(key(namespace, name));
    if (!runner || !store.get('pods', namespace, name)) throw new KubeletError(404, `pods "${name}" not found`);
    return runner;
  };

  return {
    exec: async (namespace: string, pod: string, container: string, command: string[], io: ExecIO) => {
      // What the API server answers when it cannot dial the kubelet.
      if (lost && runners.has(key(namespace, pod))) throw new KubeletError(500, `error dialing backend: dial tcp ${nodeAddress}: connect: connection refused`);
      return runnerFor(namespace, pod).exec(container, command, io);
    },
    logs: (namespace: string, pod: string, container: string, logOptions: LogOptions) => {
      if (lost && runners.has(key(namespace, pod))) {
        throw new KubeletError(500, `Get "https://${nodeAddress}/containerLogs/${namespace}/${pod}/${container}": dial tcp ${nodeAddress}: connect: connection refused`);
      }
      return runnerFor(namespace, pod).logs(container, logOptions);
    },
    async loseNode() {
      lost = true;
      await Promise.all(
        [...runners.values()].map((runner) => {
          runner.silence();
          return runner.halt(0);
        }),
      );
    },
    async restoreNode() {
      if (!lost) return;
      lost = false;
      await Promise.all(
        [...runners.values()].filter((runner) => !store.get('pods', runner.namespace, runner.name)).map((runner) => removeRunner(runner, 0, false)),
      );
    },
    nodeName: options.nodeName ?? 'sandbox-node',
    enforceShortNames(on: boolean) {
      shortNames.enforcing = on;
    },
    failImagePull(image: string, on = true) {
      // Named as a runtime normalises it, so `busybox:1.36` also fails `docker.io/library/busybox:1.36`.
      if (on) failingImages.add(normalizeImageName(image));
      else failingImages.delete(normalizeImageName(image));
    },
    evictPod: (namespace: string, name: string, message = 'The node was low on resource: ephemeral-storage. ') => runnerFor(namespace, name).fail('Evicted', message),
    killContainer(namespace: string, pod: string, container: string, signal: NodeJS.Signals | 'OOMKilled' = 'SIGKILL') {
      runnerFor(namespace, pod).killContainer(container, signal);
    },
    async stop() {
      stopped = true;
      unsubscribe();
      await Promise.all(
        [...runners.values()].map(async (runner) => {
          runner.silence();
          await runner.halt(0);
          await runner.removeFolder();
        }),
      );
      runners.clear();
      await imagesReady.catch(() => undefined);
      const podsDir = join(options.dir, 'pods');
      await assertNothingMounted(podsDir);
      await rm(options.dir, { recursive: true, force: true });
    },
  };
}

export type { KubeObject };
