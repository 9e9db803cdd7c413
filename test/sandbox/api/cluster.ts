// The API side of the sandbox: object store, users, API server with its own CA, namespaces seeded as on a
// real cluster. The kubelet is handed in, so API-level tests can run without processes.
import { readFile } from 'node:fs/promises';
import type { Kubelet, ObjectStore } from '../contract.ts';
import { makeServingCertificate } from '../registry/certificates.ts';
import type { ClientCertificate } from './client-certificates.ts';
import { makeClientCa } from './client-certificates.ts';
import type { Rule, SandboxUser } from './auth.ts';
import { Users } from './auth.ts';
import type { ApiContext } from './context.ts';
import { Discovery } from './discovery.ts';
import type { ExecProtocols } from './exec.ts';
import { ApiFaults } from './faults.ts';
import { collectGarbage } from './garbage-collector.ts';
import { kubeconfigYaml } from './kubeconfig.ts';
import type { NodeLossMode } from './node-lifecycle.ts';
import { markNodeLost } from './node-lifecycle.ts';
import type { OpenShiftSeed } from './namespaces.ts';
import { createNamespace } from './namespaces.ts';
import { deletePod } from './pods.ts';
import { startApiServer } from './server.ts';
import { ClusterStore } from './store.ts';

export interface ClusterOptions {
  /** Folder for the API server's certificates (created by the caller, removed by the caller). */
  dir: string;
  /** The context's namespace; created at start with `default`. */
  namespace?: string;
  execProtocols?: ExecProtocols;
  /** How many events watches can resume from (default 1000); tests make it small to provoke 410 Expired. */
  historyLimit?: number;
  /** Interval of BOOKMARK events on watches that allow them (default 60 s). */
  bookmarkIntervalMs?: number;
  /** OpenShift mode: extra API groups, SCC admission, builder accounts and the service CA bundle. */
  openshift?: OpenShiftSeed;
  createKubelet(store: ObjectStore): Kubelet;
}

export interface Cluster {
  server: string;
  namespace: string;
  caPem: string;
  /** A client certificate for `user` (CN) in `groups` (O), as `kubeadm kubeconfig user` makes. */
  issueClientCertificate(user: string, groups?: readonly string[]): Promise<ClientCertificate>;
  store: ClusterStore;
  kubelet: Kubelet;
  faults: ApiFaults;
  admin: SandboxUser;
  /** A user limited to the given rules (see Rule); its kubeconfig comes from kubeconfig(user). `token` defaults to a random one. */
  addUser(name: string, rules: Rule[] | 'all', token?: string): SandboxUser;
  /** Tokens stop working at once, as an expired bound token does (401 mid-build). */
  expireToken(token: string): void;
  /** The node controller's verdict on a node that stopped reporting (see node-lifecycle.ts). */
  markNodeLost(nodeName: string, mode: NodeLossMode): void;
  /** The API server stops listening (connection refused) until acceptConnections(). */
  refuseConnections(): Promise<void>;
  acceptConnections(): Promise<void>;
  /** Clears the API server's faults: injected failures, revoked tokens, refused connections. */
  resetFaults(): Promise<void>;
  kubeconfig(user?: SandboxUser, namespace?: string): string;
  /** OpenShift: `oc adm policy add-scc-to-user anyuid -z ACCOUNT -n NAMESPACE`. */
  grantAnyuid(namespace: string, account: string): void;
  createNamespace(name: string): void;
  /** `kubectl delete pod` from outside: graceful unless gracePeriodSeconds is 0. */
  deletePod(namespace: string, name: string, gracePeriodSeconds?: number): void;
  stop(): Promise<void>;
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const certificate = await makeServingCertificate(options.dir);
  const [key, cert, clientCa] = await Promise.all([readFile(certificate.keyFile, 'utf8'), readFile(certificate.certFile, 'utf8'), makeClientCa(options.dir)]);
  const store = new ClusterStore(options.historyLimit);
  const users = new Users();
  const admin = users.add('sandbox-admin', 'all');
  const namespaceSeed = { apiCaPem: certificate.caPem, ...(options.openshift ? { openshift: options.openshift } : {}) };
  let address = '127.0.0.1:0';
  const context: ApiContext = {
    store,
    users,
    kubelet: options.createKubelet(store),
    faults: new ApiFaults(),
    discovery: new Discovery(Boolean(options.openshift), () => address),
    namespaceSeed,
    execProtocols: options.execProtocols ?? 'v5+v4',
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 60_000,
    anyuid: new Set(),
  };
  const stopCollector = collectGarbage(store);
  const namespace = options.namespace ?? 'builds';
  for (const name of new Set(['default', 'kube-system', namespace])) createNamespace(store, name, namespaceSeed);
  const api = await startApiServer(context, { key, cert, clientCaPem: clientCa.caPem });
  address = api.url.replace('https://', '');
  return {
    server: api.url,
    namespace,
    caPem: certificate.caPem,
    issueClientCertificate: (user, groups) => clientCa.issue(user, groups),
    store,
    kubelet: context.kubelet,
    faults: context.faults,
    admin,
    addUser: (name, rules, token) => users.add(name, rules, token),
    expireToken: (token) => users.revoke(token),
    markNodeLost: (nodeName, mode) => markNodeLost(store, nodeName, mode),
    refuseConnections: () => api.refuseConnections(),
    acceptConnections: () => api.acceptConnections(),
    resetFaults: async () => {
      context.faults.reset();
      users.restoreRevoked();
      await api.acceptConnections();
    },
    kubeconfig: (user = admin, ns = namespace) => kubeconfigYaml({ server: api.url, caPem: certificate.caPem, user: user.name, token: user.token, namespace: ns }),
    grantAnyuid: (ns, account) => context.anyuid.add(`${ns}/${account}`),
    createNamespace: (name) => void createNamespace(store, name, namespaceSeed),
    deletePod: (ns, name, gracePeriodSeconds) => {
      const pod = store.get('pods', ns, name);
      if (pod) deletePod(context, pod, gracePeriodSeconds);
    },
    stop: async () => {
      await api.close();
      stopCollector();
      await context.kubelet.stop();
    },
  };
}
