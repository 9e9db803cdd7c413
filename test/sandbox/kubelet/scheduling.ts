// The scheduler's resource fit for the sandbox's one node (kube-scheduler's NodeResourcesFit plugin): a pod whose
// requests exceed the node's allocatable CPU or memory stays unscheduled with PodScheduled=False, reason
// Unschedulable and the scheduler's message, and a FailedScheduling event. The node's allocatable is this machine's,
// as a kubelet reports it.
import { availableParallelism, totalmem } from 'node:os';
import type { Json } from './json.ts';

/** resource.Quantity for the suffixes pods use: m, k/M/G/T (10^3…), Ki/Mi/Gi/Ti (2^10…), e-notation left out. */
export function quantity(text: string): number {
  const match = /^([0-9.]+)(m|k|M|G|T|P|Ki|Mi|Gi|Ti|Pi)?$/.exec(text.trim());
  if (!match) return Number.NaN;
  const factors: Record<string, number> = { m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50 };
  return Number(match[1]) * (match[2] ? factors[match[2]] : 1);
}

/** A pod's effective request (resourcehelper.PodRequests): the larger of the sum of its containers and its largest init container. */
function podRequest(pod: Json, resource: 'cpu' | 'memory'): number {
  const request = (container: Json): number => quantity(String(container.resources?.requests?.[resource] ?? container.resources?.limits?.[resource] ?? '0')) || 0;
  const containers = (pod.spec?.containers ?? []).reduce((sum: number, container: Json) => sum + request(container), 0);
  const inits = Math.max(0, ...(pod.spec?.initContainers ?? []).map(request));
  return Math.max(containers, inits);
}

/** The scheduler's message when the pod does not fit, as kube-scheduler words it for one node; undefined when it fits. */
export function unschedulableMessage(pod: Json): string | undefined {
  const insufficient = [
    ...(podRequest(pod, 'cpu') > availableParallelism() ? ['1 Insufficient cpu'] : []),
    ...(podRequest(pod, 'memory') > totalmem() ? ['1 Insufficient memory'] : []),
  ];
  if (insufficient.length === 0) return undefined;
  return `0/1 nodes are available: ${insufficient.join(', ')}. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.`;
}
