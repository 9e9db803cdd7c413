// The sandbox cluster for tests, benchmarks and `npm start`: registries, the kubelet emulator and the API
// server, with a kubeconfig, fault controls, and a stop() that leaves no process, folder or port behind.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kanikoExecutor, kanikoExecutorMissing } from '../../scripts/kaniko-executor.ts';
import type { Rule, SandboxUser } from './api/auth.ts';
import type { Cluster } from './api/cluster.ts';
import { startCluster } from './api/cluster.ts';
import type { ExecProtocols } from './api/exec.ts';
import type { ApiFaults } from './api/faults.ts';
import { kubeconfigYaml } from './api/kubeconfig.ts';
import { internalRegistry } from './api/namespaces.ts';
import type { NodeLossMode } from './api/node-lifecycle.ts';
import type { ClusterStore } from './api/store.ts';
import type { Kubelet } from './contract.ts';
import type { KubeletFaults, NodeLossFault } from './kubelet/index.ts';
import { createKubelet } from './kubelet/index.ts';
import { makeServingCertificate } from './registry/certificates.ts';
import type { Registries } from './registry/index.ts';
import { startRegistries } from './registry/index.ts';

export type { NodeLossMode, Rule, SandboxUser };

/** A kubeconfig for the admin that cannot reach the API server: another CA, or a host name that never resolves. */
export type BrokenKubeconfig = 'wrongCa' | 'unresolvable';
export { internalRegistry };

export interface SandboxOptions {
  /** OpenShift mode: image/route/security API groups, SCC admission, builder accounts, service CA, internal registry name. */
  openshift?: boolean;
  /** 'v4-only' makes exec offer only v4.channel.k8s.io and channel.k8s.io, as clusters before 1.30 do. */
  execProtocols?: ExecProtocols;
  /** Parent folder of the sandbox's own temporary folder (default: the OS temp folder). */
  dir?: string;
  /** Where to write the admin kubeconfig (default: inside the sandbox folder); removed on stop. */
  kubeconfigPath?: string;
  /** The kubeconfig context's namespace (default `builds`). */
  namespace?: string;
}

/** Fault controls: the API server's own, plus thin delegations to the kubelet and the registries. */
export interface SandboxFaults extends Pick<ApiFaults, 'failRequests' | 'delayRequests' | 'holdAnswers' | 'dropExecAfterStdinBytes' | 'endWatchesAfter' | 'expireWatches' | 'cutLogStreamsAfter'>, KubeletFaults {
  /**
   * Clears every fault: the API server's (revoked tokens work again, it listens again), failing image pulls,
   * a lost node (it reports again), and the registry's credential rejection.
   */
  reset(): Promise<void>;
  /** The token stops working at once (401), as an expired bound token does mid-build; reset() restores it. */
  expireToken(token: string): void;
  /** The API server stops listening (connection refused) — for good, or until `forMs` have passed. */
  refuseConnections(forMs?: number): Promise<void>;
  /** Writes (in the sandbox folder) and returns the path of an admin kubeconfig that cannot reach the API server. */
  brokenKubeconfig(kind: BrokenKubeconfig): Promise<string>;
  /**
   * The node stops reporting: its processes die, statuses freeze, exec and logs fail with "connection refused".
   * After `afterMs` the node controller marks its pods not ready ('notReady') or also deletes them ('evicted').
   */
  loseNode(mode: NodeLossMode, afterMs?: number): Promise<void>;
  /** `kubectl delete pod` from outside, e.g. mid-build. */
  deletePod(namespace: string, name: string, gracePeriodSeconds?: number): void;
  /** While on, the TLS registry refuses the sandbox credentials. */
  rejectRegistryCredentials(on: boolean): Promise<void>;
}

export interface Sandbox {
  dir: string;
  kubeconfigPath: string;
  kubeconfig: string;
  server: string;
  namespace: string;
  /** admin may do everything; restricted may work with pods, pods/log and pods/exec but not secrets. */
  tokens: { admin: string; restricted: string };
  users: { admin: SandboxUser; restricted: SandboxUser };
  registries: Registries;
  /** The real kaniko executor that executor images run, or why the buildah stand-in runs instead. */
  kaniko: { executor: string } | { missing: string };
  faults: SandboxFaults;
  kubelet: Kubelet & KubeletFaults;
  store: ClusterStore;
  /** A user limited to the given rules; `kubeconfigFor(user)` gives its kubeconfig. */
  addUser(name: string, rules: Rule[] | 'all'): SandboxUser;
  kubeconfigFor(user: SandboxUser, namespace?: string): string;
  /** OpenShift: `oc adm policy add-scc-to-user anyuid -z ACCOUNT -n NAMESPACE`. */
  grantAnyuid(namespace: string, account: string): void;
  createNamespace(name: string): void;
  stop(): Promise<void>;
}

const restrictedRules: Rule[] = [
  ...['get', 'list', 'watch', 'create', 'delete'].map((verb) => ({ verb, resource: 'pods' })),
  { verb: 'get', resource: 'pods', subresource: 'log' },
  { verb: 'get', resource: 'pods', subresource: 'exec' },
  { verb: 'create', resource: 'pods', subresource: 'exec' },
  { verb: 'get', resource: 'configmaps' },
];

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  if (options.dir) await mkdir(options.dir, { recursive: true });
  const dir = await mkdtemp(join(options.dir ?? tmpdir(), 'kaniko-sandbox-'));
  const stops: Array<() => Promise<unknown>> = [() => rm(dir, { recursive: true, force: true })];
  // Every step runs even if one fails; the first failure is then reported, so leftovers do not go unnoticed.
  const stop = async (): Promise<void> => {
    const errors: unknown[] = [];
    for (const step of stops.splice(0).reverse()) await step().catch((error: unknown) => errors.push(error));
    if (errors.length) throw errors[0];
  };
  try {
    const registries = await startRegistries(join(dir, 'registries'));
    stops.push(() => registries.stop());
    // OpenShift mode pushes to the internal registry's service name on port 5000, which only a pod network (cluster
    // DNS, a service address) could give the real executor: there the stand-in maps the name instead.
    const missing = options.openshift ? 'OpenShift mode: the internal registry service needs a pod network the sandbox does not have' : kanikoExecutorMissing();
    const kaniko = missing ? { missing } : { executor: kanikoExecutor().path };
    let kubelet: (Kubelet & KubeletFaults & NodeLossFault) | undefined;
    await mkdir(join(dir, 'api'));
    const cluster: Cluster = await startCluster({
      dir: join(dir, 'api'),
      ...(options.namespace ? { namespace: options.namespace } : {}),
      ...(options.execProtocols ? { execProtocols: options.execProtocols } : {}),
      ...(options.openshift ? { openshift: { serviceCaPem: registries.tls.caPem, registryUser: registries.tls.user, registryPassword: registries.tls.password } } : {}),
      createKubelet: (store) => (kubelet = createKubelet(store, { dir: join(dir, 'node'), registries, ...('executor' in kaniko ? { kanikoExecutor: kaniko.executor } : {}), ...(options.openshift ? { openshiftRegistryHost: internalRegistry } : {}) })),
    });
    stops.push(() => cluster.stop());
    const node = kubelet as Kubelet & KubeletFaults & NodeLossFault;
    const restricted = cluster.addUser('restricted', restrictedRules);
    const kubeconfig = cluster.kubeconfig();
    const kubeconfigPath = options.kubeconfigPath ?? join(dir, 'kubeconfig');
    await writeFile(kubeconfigPath, kubeconfig, { mode: 0o600 });
    if (options.kubeconfigPath) stops.push(() => rm(kubeconfigPath, { force: true }));
    const faults = cluster.faults;
    const failingImages = new Set<string>();
    let rejecting = false;
    // Pending "the fault ends by itself" timers, cleared by reset().
    const timers = new Set<NodeJS.Timeout>();
    const later = (ms: number, act: () => unknown): void => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        void act();
      }, ms);
      timers.add(timer);
    };
    stops.push(async () => timers.forEach((timer) => clearTimeout(timer)));
    return {
      dir,
      kubeconfigPath,
      kubeconfig,
      server: cluster.server,
      namespace: cluster.namespace,
      tokens: { admin: cluster.admin.token, restricted: restricted.token },
      users: { admin: cluster.admin, restricted },
      registries,
      kaniko,
      kubelet: node,
      store: cluster.store,
      faults: {
        failRequests: (match, status, count) => faults.failRequests(match, status, count),
        delayRequests: (match, ms, count) => faults.delayRequests(match, ms, count),
        holdAnswers: (match, ms, count) => faults.holdAnswers(match, ms, count),
        dropExecAfterStdinBytes: (bytes) => faults.dropExecAfterStdinBytes(bytes),
        endWatchesAfter: (ms) => faults.endWatchesAfter(ms),
        expireWatches: (count) => faults.expireWatches(count),
        cutLogStreamsAfter: (bytes) => faults.cutLogStreamsAfter(bytes),
        refuseConnections: async (forMs) => {
          await cluster.refuseConnections();
          if (forMs !== undefined) later(forMs, () => cluster.acceptConnections());
        },
        brokenKubeconfig: async (kind) => {
          const path = join(dir, `${kind}.kubeconfig`);
          const input = { server: cluster.server, caPem: cluster.caPem, user: cluster.admin.name, token: cluster.admin.token, namespace: cluster.namespace };
          // `.invalid` never resolves (RFC 2606), so the DNS case contacts nothing.
          if (kind === 'unresolvable') input.server = cluster.server.replace('127.0.0.1', 'kaniko-sandbox-api.invalid');
          else input.caPem = (await makeServingCertificate(await mkdtemp(join(dir, 'other-ca-')))).caPem;
          await writeFile(path, kubeconfigYaml(input), { mode: 0o600 });
          return path;
        },
        loseNode: async (mode, afterMs = 0) => {
          await node.loseNode();
          later(afterMs, () => cluster.markNodeLost(node.nodeName, mode));
        },
        reset: async () => {
          // What can be undone at once is, before the first await: callers that do not await reset() rely on it.
          timers.forEach((timer) => clearTimeout(timer));
          timers.clear();
          for (const image of failingImages) node.failImagePull(image, false);
          node.enforceShortNames(false);
          failingImages.clear();
          const api = cluster.resetFaults();
          const registry = rejecting ? registries.rejectCredentials((rejecting = false)) : undefined;
          await Promise.all([api, node.restoreNode(), registry]);
        },
        expireToken: (token) => cluster.expireToken(token),
        deletePod: (namespace, name, grace) => cluster.deletePod(namespace, name, grace),
        enforceShortNames: (on) => node.enforceShortNames(on),
        failImagePull: (image, on = true) => {
          if (on) failingImages.add(image);
          else failingImages.delete(image);
          node.failImagePull(image, on);
        },
        evictPod: (namespace, name, message) => node.evictPod(namespace, name, message),
        killContainer: (namespace, pod, container, signal) => node.killContainer(namespace, pod, container, signal),
        rejectRegistryCredentials: (on) => registries.rejectCredentials((rejecting = on)),
      },
      addUser: (name, rules) => cluster.addUser(name, rules),
      kubeconfigFor: (user, namespace) => cluster.kubeconfig(user, namespace),
      grantAnyuid: (namespace, account) => cluster.grantAnyuid(namespace, account),
      createNamespace: (name) => cluster.createNamespace(name),
      stop,
    };
  } catch (error) {
    await stop().catch(() => undefined); // the start-up error is the one to report
    throw error;
  }
}
