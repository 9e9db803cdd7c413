// Which container of a pod a log or exec request means, with the API server's 400 texts.
import type { KubeObject } from '../contract.ts';
import { badRequest } from './status.ts';

const names = (list: { name: string }[] | undefined): string[] => (list ?? []).map((container) => container.name);

/** A pod counts as scheduled once it has a node or its PodScheduled condition is true. */
export function isScheduled(pod: KubeObject): boolean {
  return Boolean(pod.spec?.nodeName) || (pod.status?.conditions ?? []).some((condition: { type: string; status: string }) => condition.type === 'PodScheduled' && condition.status === 'True');
}

export function chooseContainer(pod: KubeObject, requested: string | null): string {
  const containers = names(pod.spec?.containers);
  const inits = names(pod.spec?.initContainers);
  const name = pod.metadata.name;
  if (!requested) {
    if (containers.length === 1) return containers[0];
    const initPart = inits.length ? ` or one of the init containers: [${inits.join(' ')}]` : '';
    throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]${initPart}`);
  }
  if (![...containers, ...inits].includes(requested)) throw badRequest(`container ${requested} is not valid for pod ${name}`);
  return requested;
}
