// What a new namespace gets, as on a real cluster: the `default` service account and the kube-root-ca.crt
// ConfigMap; on OpenShift also the `builder` account, `*-dockercfg-*` pull/push secrets in the legacy
// .dockercfg format and the service CA bundle ConfigMap.
import type { KubeObject } from '../contract.ts';
import type { ClusterStore } from './store.ts';

/** The OpenShift internal registry's service name; the sandbox's kubelet maps it to its TLS registry. */
export const internalRegistry = 'image-registry.openshift-image-registry.svc:5000';

export interface OpenShiftSeed {
  /** PEM of the CA that signed the internal (TLS) registry's certificate. */
  serviceCaPem: string;
  registryUser: string;
  registryPassword: string;
}

export interface NamespaceSeed {
  apiCaPem: string;
  openshift?: OpenShiftSeed;
}

const base64 = (text: string): string => Buffer.from(text).toString('base64');

function configMap(store: ClusterStore, namespace: string, name: string, data: Record<string, string>): void {
  if (!store.get('configmaps', namespace, name)) store.create('configmaps', namespace, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });
}

function legacyDockercfg(seed: OpenShiftSeed): string {
  const entry = { username: seed.registryUser, password: seed.registryPassword, email: 'serviceaccount@example.org', auth: base64(`${seed.registryUser}:${seed.registryPassword}`) };
  return JSON.stringify({ [internalRegistry]: entry, 'image-registry.openshift-image-registry.svc.cluster.local:5000': entry });
}

function serviceAccount(store: ClusterStore, namespace: string, name: string, openshift: OpenShiftSeed | undefined): void {
  if (store.get('serviceaccounts', namespace, name)) return;
  const account: KubeObject = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } };
  if (openshift) {
    const secret = store.create('secrets', namespace, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { generateName: `${name}-dockercfg-`, annotations: { 'kubernetes.io/service-account.name': name, 'openshift.io/internal-registry-auth-token.service-account': name } },
      type: 'kubernetes.io/dockercfg',
      data: { '.dockercfg': base64(legacyDockercfg(openshift)) },
    });
    account.secrets = [{ name: secret.metadata.name }];
    account.imagePullSecrets = [{ name: secret.metadata.name }];
  }
  store.create('serviceaccounts', namespace, account);
}

export function seedNamespace(store: ClusterStore, namespace: string, seed: NamespaceSeed): void {
  serviceAccount(store, namespace, 'default', seed.openshift);
  configMap(store, namespace, 'kube-root-ca.crt', { 'ca.crt': seed.apiCaPem });
  if (!seed.openshift) return;
  serviceAccount(store, namespace, 'builder', seed.openshift);
  serviceAccount(store, namespace, 'deployer', seed.openshift);
  configMap(store, namespace, 'openshift-service-ca.crt', { 'service-ca.crt': seed.openshift.serviceCaPem });
}

export function createNamespace(store: ClusterStore, name: string, seed: NamespaceSeed): KubeObject {
  const namespace = store.create('namespaces', '', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  });
  seedNamespace(store, name, seed);
  return namespace;
}
