// Pod admission (service account, OpenShift SCC, defaults, validation) and graceful deletion.
import { timestamp } from './time.ts';
import type { KubeObject } from '../contract.ts';
import { admitSecurityContext, defaultPod, validatePod } from './admission.ts';
import type { ApiContext } from './context.ts';
import { isScheduled } from './pod-containers.ts';
import { forbidden } from './status.ts';

/** Returns the pod to store; `prepare` applies the checks shared by all resources and generates the name. */
export function admitPod(context: ApiContext, namespace: string, body: KubeObject, prepare: (pod: KubeObject) => KubeObject): KubeObject {
  const account = body.spec?.serviceAccountName ?? body.spec?.serviceAccount ?? 'default';
  let scc: string | undefined;
  // SCC admission runs before the name is generated, so its message names the generateName prefix.
  if (context.discovery.openshift) scc = admitSecurityContext(body, context.anyuid.has(`${namespace}/${account}`));
  const pod = prepare(body);
  if (scc) pod.metadata.annotations = { ...pod.metadata.annotations, 'openshift.io/scc': scc };
  if (!context.store.get('serviceaccounts', namespace, account))
    throw forbidden('pods', pod.metadata.name ?? '', `error looking up service account ${namespace}/${account}: serviceaccount "${account}" not found`);
  defaultPod(pod);
  validatePod(pod);
  return pod;
}

/**
 * A scheduled, unfinished pod is deleted gracefully: it gets a deletionTimestamp, the kubelet stops its processes
 * and then removes it. Unscheduled or finished pods, or a grace period of 0, are removed at once.
 */
export function deletePod(context: ApiContext, pod: KubeObject, gracePeriodSeconds: number | undefined): KubeObject {
  const { namespace, name } = pod.metadata;
  const finished = ['Succeeded', 'Failed'].includes(pod.status?.phase);
  const grace = gracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
  if (!isScheduled(pod) || finished || grace === 0) return context.store.remove('pods', namespace, name) ?? pod;
  if (pod.metadata.deletionTimestamp) return pod;
  return context.store.update('pods', namespace, name, (object) => {
    object.metadata.deletionTimestamp = timestamp(Date.now() + grace * 1000);
    object.metadata.deletionGracePeriodSeconds = grace;
  });
}
