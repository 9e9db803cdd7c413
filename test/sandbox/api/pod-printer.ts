// The READY, STATUS and RESTARTS cells kubectl shows for a pod, computed as kubectl's server-side printer does
// (kubernetes pkg/printers/internalversion/printers.go: printPod), for regular and init containers.
import type { KubeObject } from '../contract.ts';

type State = { waiting?: { reason?: string }; running?: unknown; terminated?: { exitCode: number; signal?: number; reason?: string } };
type ContainerStatus = { name: string; ready?: boolean; restartCount?: number; state?: State };

const conditionTrue = (pod: KubeObject, type: string): boolean =>
  (pod.status?.conditions ?? []).some((condition: { type: string; status: string }) => condition.type === type && condition.status === 'True');

function terminatedText(terminated: NonNullable<State['terminated']>): string {
  if (terminated.reason) return terminated.reason;
  return terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode}`;
}

/** Init:N/M, Init:<reason>, or undefined once every init container has completed. */
function initStatus(pod: KubeObject): string | undefined {
  const statuses: ContainerStatus[] = pod.status?.initContainerStatuses ?? [];
  const total = (pod.spec?.initContainers ?? []).length;
  for (const [index, status] of statuses.entries()) {
    const state = status.state ?? {};
    if (state.terminated && state.terminated.exitCode === 0) continue;
    if (state.terminated) return `Init:${terminatedText(state.terminated)}`;
    if (state.waiting?.reason && state.waiting.reason !== 'PodInitializing') return `Init:${state.waiting.reason}`;
    return `Init:${index}/${total}`;
  }
  return undefined;
}

export interface PodCells {
  ready: string;
  status: string;
  restarts: number;
}

export function podCells(pod: KubeObject): PodCells {
  let status: string = pod.status?.reason || pod.status?.phase || 'Pending';
  let restarts = 0;
  let readyCount = 0;
  for (const init of (pod.status?.initContainerStatuses ?? []) as ContainerStatus[]) restarts += init.restartCount ?? 0;
  const initializing = initStatus(pod);
  if (initializing) status = initializing;
  if (!initializing || conditionTrue(pod, 'Initialized')) {
    restarts = 0;
    let hasRunning = false;
    const statuses = [...((pod.status?.containerStatuses ?? []) as ContainerStatus[])].reverse();
    for (const container of statuses) {
      restarts += container.restartCount ?? 0;
      const state = container.state ?? {};
      if (state.waiting?.reason) status = state.waiting.reason;
      else if (state.terminated) status = terminatedText(state.terminated);
      else if (container.ready && state.running) {
        hasRunning = true;
        readyCount += 1;
      }
    }
    if (status === 'Completed' && hasRunning) status = conditionTrue(pod, 'Ready') ? 'Running' : 'NotReady';
  }
  const phase = pod.status?.phase;
  if (pod.metadata.deletionTimestamp && pod.status?.reason === 'NodeLost') status = 'Unknown';
  else if (pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed') status = 'Terminating';
  return { ready: `${readyCount}/${(pod.spec?.containers ?? []).length}`, status, restarts };
}
