// Pod status as the kubelet reports it, computed from the containers' states (kubernetes-protocol.md's table).
import type { Json } from './json.ts';
export type ContainerState =
  | { waiting: { reason: string; message?: string } }
  | { running: { startedAt: string } }
  | { terminated: { exitCode: number; signal?: number; reason: string; message?: string; startedAt: string; finishedAt: string; containerID?: string } };

export interface ContainerModel {
  name: string;
  init: boolean;
  imageName: string;
  imageID?: string;
  containerID?: string;
  state: ContainerState;
}

export interface PodModel {
  scheduled: boolean;
  sandboxReady: boolean;
  startTime?: string;
  /** Set when the pod as a whole failed for a node reason (DeadlineExceeded, Evicted). */
  failure?: { reason: string; message: string };
  containers: ContainerModel[];
}

const terminated = (c: ContainerModel) => ('terminated' in c.state ? c.state.terminated : undefined);
const running = (c: ContainerModel) => 'running' in c.state;

export function podPhase(model: PodModel): string {
  if (model.failure) return 'Failed';
  const inits = model.containers.filter((c) => c.init);
  const mains = model.containers.filter((c) => !c.init);
  if (inits.some((c) => (terminated(c)?.exitCode ?? 0) !== 0)) return 'Failed';
  if (mains.length && mains.every((c) => terminated(c))) return mains.every((c) => terminated(c)?.exitCode === 0) ? 'Succeeded' : 'Failed';
  if (mains.some((c) => running(c) || terminated(c))) return 'Running';
  return 'Pending';
}

function containerStatus(c: ContainerModel): Record<string, unknown> {
  const done = terminated(c);
  const status: Record<string, unknown> = {
    name: c.name,
    state: c.state,
    lastState: {},
    ready: c.init ? done?.exitCode === 0 : running(c),
    restartCount: 0,
    image: c.imageName,
    imageID: c.imageID ?? '',
    started: running(c),
  };
  if (c.containerID) status.containerID = c.containerID;
  return status;
}

/** Writes the whole status; `transitions` remembers when each condition last changed. */
export function writeStatus(status: Json, model: PodModel, transitions: Map<string, { status: string; at: string }>): void {
  const phase = podPhase(model);
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const finished = phase === 'Succeeded' || phase === 'Failed';
  const inits = model.containers.filter((c) => c.init);
  const mains = model.containers.filter((c) => !c.init);
  const incompleteInits = inits.filter((c) => terminated(c)?.exitCode !== 0).map((c) => c.name);
  const unready = mains.filter((c) => !running(c)).map((c) => c.name);
  const condition = (type: string, ok: boolean, reason?: string, message?: string) => {
    const value = ok ? 'True' : 'False';
    const previous = transitions.get(type);
    if (previous?.status !== value) transitions.set(type, { status: value, at: now });
    const entry: Record<string, unknown> = { type, status: value, lastProbeTime: null, lastTransitionTime: transitions.get(type)?.at };
    if (!ok && reason) entry.reason = reason;
    if (!ok && message) entry.message = message;
    return entry;
  };
  const readyReason = finished ? 'PodCompleted' : 'ContainersNotReady';
  const readyMessage = finished ? undefined : `containers with unready status: [${unready.join(' ')}]`;
  const conditions = [condition('PodReadyToStartContainers', model.sandboxReady && !finished)];
  conditions.push(
    incompleteInits.length && !finished ? condition('Initialized', false, 'ContainersNotInitialized', `containers with incomplete status: [${incompleteInits.join(' ')}]`) : condition('Initialized', true),
    condition('Ready', unready.length === 0 && !finished, readyReason, readyMessage),
    condition('ContainersReady', unready.length === 0 && !finished, readyReason, readyMessage),
    condition('PodScheduled', true),
  );
  status.phase = phase;
  status.conditions = conditions;
  status.hostIP = '127.0.0.1';
  status.hostIPs = [{ ip: '127.0.0.1' }];
  if (model.sandboxReady) {
    status.podIP = '127.0.0.1';
    status.podIPs = [{ ip: '127.0.0.1' }];
  }
  status.startTime = model.startTime;
  status.qosClass = status.qosClass ?? 'BestEffort';
  if (inits.length) status.initContainerStatuses = inits.map(containerStatus);
  status.containerStatuses = mains.map(containerStatus);
  if (model.failure) {
    status.reason = model.failure.reason;
    status.message = model.failure.message;
  }
}
