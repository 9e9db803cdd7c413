// What Kubernetes' node lifecycle controller does once a node stops reporting (node-monitor-grace-period):
// MarkPodsNotReady sets each unfinished pod's Ready condition to False; with 'evicted', the taint eviction
// also deletes them (DisruptionTarget DeletionByTaintManager, reason NodeLost). With no kubelet to finish it,
// that graceful delete never completes: the pod stays Terminating until someone force-deletes it.
import type { ClusterStore } from './store.ts';
import { timestamp } from './time.ts';

export type NodeLossMode = 'notReady' | 'evicted';

interface Condition { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string }

function setCondition(conditions: Condition[], condition: Condition): void {
  const index = conditions.findIndex((c) => c.type === condition.type);
  if (index >= 0) conditions[index] = { ...conditions[index], ...condition };
  else conditions.push(condition);
}

export function markNodeLost(store: ClusterStore, nodeName: string, mode: NodeLossMode): void {
  const now = timestamp();
  for (const pod of store.list('pods')) {
    const { namespace, name } = pod.metadata;
    if (pod.spec?.nodeName !== nodeName || ['Succeeded', 'Failed'].includes(pod.status?.phase)) continue;
    store.updatePodStatus(namespace, name, (status) => {
      const conditions = (status.conditions ?? []) as Condition[];
      setCondition(conditions, { type: 'Ready', status: 'False', lastTransitionTime: now });
      if (mode === 'evicted') {
        setCondition(conditions, { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint', lastTransitionTime: now });
        status.reason = 'NodeLost';
        status.message = `Node ${nodeName} which was running pod ${name} is unresponsive`;
      }
      status.conditions = conditions;
    });
    if (mode === 'evicted') {
      store.update('pods', namespace, name, (object) => {
        object.metadata.deletionTimestamp ??= timestamp(Date.now() + 30_000);
        object.metadata.deletionGracePeriodSeconds ??= 30;
      });
    }
  }
}
