// Everything a request handler of the sandbox API server may use.
import type { Kubelet } from '../contract.ts';
import type { Users } from './auth.ts';
import type { Discovery } from './discovery.ts';
import type { ApiFaults } from './faults.ts';
import type { NamespaceSeed } from './namespaces.ts';
import type { ClusterStore } from './store.ts';
import type { ExecProtocols } from './exec.ts';

export interface ApiContext {
  store: ClusterStore;
  users: Users;
  kubelet: Kubelet;
  faults: ApiFaults;
  discovery: Discovery;
  namespaceSeed: NamespaceSeed;
  execProtocols: ExecProtocols;
  /** How often watches that allow bookmarks get one (the real API server: about once a minute). */
  bookmarkIntervalMs: number;
  /** OpenShift: `namespace/serviceaccount` pairs granted the anyuid SCC. */
  anyuid: Set<string>;
}
