// OpenShift zero-config push to the internal registry: the `builder` service account's registry
// credentials become a docker-registry secret owned by the build pod (garbage-collected with it).
// Its `*-dockercfg-*` secret is in the legacy .dockercfg format and is converted; without one,
// a TokenRequest for `builder` gives a short-lived token.
import type { KubeGateway, KubeObject } from '../kube/gateway.ts';
import { buildDockerConfigJson, toDockerConfigJson } from '../registry/dockerconfig.ts';
import type { DockerConfigJson } from '../registry/dockerconfig.ts';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from './defaults.ts';

export const INTERNAL_REGISTRY = 'image-registry.openshift-image-registry.svc:5000';
const BUILDER = 'builder';

/** The rights zero-config needs on top of a normal build's. */
export const INTERNAL_REGISTRY_RIGHTS = [
  { verb: 'get', resource: 'serviceaccounts', name: BUILDER },
  { verb: 'get', resource: 'secrets' },
  { verb: 'create', resource: 'secrets' },
];

export function internalSecretName(buildId: string): string {
  return `kaniko-build-${buildId}-registry`;
}

async function builderConfig(gateway: KubeGateway, namespace: string, registry: string): Promise<DockerConfigJson> {
  const account = await gateway.getServiceAccount(namespace, BUILDER);
  const refs = [...((account.imagePullSecrets as Array<{ name: string }> | undefined) ?? []), ...((account.secrets as Array<{ name: string }> | undefined) ?? [])];
  const names = refs.map((s) => s.name).filter((n) => n.includes('dockercfg'));
  for (const name of new Set(names)) {
    const secret = await gateway.getSecret(namespace, name);
    const legacy = secret?.data?.['.dockercfg'];
    if (legacy) return toDockerConfigJson(Buffer.from(legacy, 'base64').toString('utf8'));
  }
  const token = await gateway.requestToken(namespace, BUILDER, 3600);
  return buildDockerConfigJson({ server: registry, username: 'serviceaccount', password: token });
}

/** Creates the credentials secret for a build pod that already exists (it waits for the secret's volume). */
export async function createInternalRegistrySecret(gateway: KubeGateway, namespace: string, name: string, pod: KubeObject, registry: string): Promise<void> {
  const config = await builderConfig(gateway, namespace, registry);
  await gateway.createSecret(namespace, {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/dockerconfigjson',
    metadata: {
      name,
      labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name, uid: pod.metadata.uid, blockOwnerDeletion: false }],
    },
    data: { '.dockerconfigjson': Buffer.from(JSON.stringify(config)).toString('base64') },
  });
}
