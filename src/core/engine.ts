// The engine's facade, loaded lazily by the extension (it pulls in the Kubernetes client) and used by the CLI.
// Pure helpers (image references, Dockerfile parsing) live in core/registry and core/dockerfile and do not load it.
import type { BuildRequest, BuildSession, KubeTarget } from './build/model.ts';
import { startBuild as start } from './build/run.ts';
import { attachBuild as attach, cleanUpBuildPods as cleanUp, listBuilds as list } from './build/running.ts';
import type { RunningBuild } from './build/running.ts';
import { KubeGateway } from './kube/gateway.ts';
import { connect, listContexts as contexts } from './kube/kubeconfig.ts';
import { buildDockerConfigJson } from './registry/dockerconfig.ts';
import type { RegistryCredentials } from './registry/dockerconfig.ts';

export type { RunningBuild } from './build/running.ts';
export { KubeError, KubeconfigError } from './kube/errors.ts';

function gateway(kube: KubeTarget = {}): KubeGateway {
  return new KubeGateway(connect(kube));
}

export function startBuild(request: BuildRequest): BuildSession {
  return start(request);
}

/** Re-attaches to a build pod (e.g. from `listBuilds`) after a window reload; `cleanup` is the policy it was started with. */
export function attachBuild(kube: KubeTarget, namespace: string, podName: string, cleanup?: BuildRequest['cleanup']): BuildSession {
  return attach(gateway(kube), namespace, podName, cleanup);
}

export function listBuilds(kube: KubeTarget = {}): Promise<RunningBuild[]> {
  const g = gateway(kube);
  return list(g, g.namespace);
}

/** Deletes finished build pods (and failed ones kept past their time); `all` deletes running ones too. */
export function cleanUpBuildPods(kube: KubeTarget = {}, options: { all?: boolean } = {}): Promise<string[]> {
  return cleanUp(gateway(kube), options);
}

/** Deletes one build pod, e.g. a failed build kept for inspection; owned secrets go with it. */
export function deleteBuildPod(kube: KubeTarget, namespace: string, name: string): Promise<void> {
  return gateway(kube).deletePod(namespace, name);
}

export interface ClusterDescription {
  readonly context: string;
  readonly cluster: string;
  readonly server: string;
  readonly namespace: string;
  readonly openshift: boolean;
}

export async function describeCluster(kube: KubeTarget = {}): Promise<ClusterDescription> {
  const g = gateway(kube);
  const { connection } = g;
  return { context: connection.context, cluster: connection.cluster.name, server: connection.cluster.server, namespace: connection.namespace, openshift: await g.isOpenShift() };
}

export function listContexts(kubeconfig?: string): { current?: string; contexts: Array<{ name: string; cluster: string; namespace?: string }> } {
  return contexts(kubeconfig);
}

export function listNamespaces(kube: KubeTarget = {}): Promise<string[]> {
  return gateway(kube).listNamespaces();
}

export async function secretExists(kube: KubeTarget, name: string): Promise<boolean> {
  const g = gateway(kube);
  const secret = await g.getSecret(g.namespace, name);
  return secret !== undefined && Boolean(secret.data?.['.dockerconfigjson']);
}

/** Creates a `kubernetes.io/dockerconfigjson` secret like `oc create secret docker-registry`; the password goes only into the secret. */
export async function createRegistrySecret(kube: KubeTarget, input: RegistryCredentials & { readonly name: string }): Promise<void> {
  const g = gateway(kube);
  const config = buildDockerConfigJson(input);
  await g.createSecret(g.namespace, {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/dockerconfigjson',
    metadata: { name: input.name, labels: { 'app.kubernetes.io/managed-by': 'kaniko-build' } },
    data: { '.dockerconfigjson': Buffer.from(JSON.stringify(config)).toString('base64') },
  });
}
