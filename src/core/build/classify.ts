// Reads a build pod's state (and what kaniko logged) as a verdict in plain words.
import type { KanikoError } from '../kaniko/events.ts';
import type { KubeObject } from '../kube/gateway.ts';
import { INIT_CONTAINER, KANIKO_CONTAINER } from './defaults.ts';
import type { Failure } from './failure.ts';
import { fullyQualified } from '../registry/reference.ts';

export type PodVerdict =
  | { readonly state: 'pending' | 'initRunning' | 'building' }
  | { readonly state: 'succeeded'; readonly digest?: string }
  | { readonly state: 'failed'; readonly failure: Failure };

interface ContainerStatus {
  name: string;
  image?: string;
  state?: { waiting?: { reason?: string; message?: string }; running?: object; terminated?: { exitCode: number; reason?: string; message?: string } };
}

// Waiting reasons of an image the node cannot use; ImageInspectError is CRI-O's for a refused short name (1.34+).
const PULL_FAILURES = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull', 'ImageInspectError']);

interface PodCondition { type: string; status: string; reason?: string }

function containerStatus(pod: KubeObject, name: string): ContainerStatus | undefined {
  const all: ContainerStatus[] = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  return all.find((s) => s.name === name);
}

function imageOf(pod: KubeObject, name: string): string {
  const containers: Array<{ name: string; image: string }> = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  return containers.find((c) => c.name === name)?.image ?? '';
}

function pullFailure(pod: KubeObject, name: string, status: ContainerStatus): Failure | undefined {
  const waiting = status.state?.waiting;
  if (!waiting?.reason || !PULL_FAILURES.has(waiting.reason)) return undefined;
  const init = name === INIT_CONTAINER;
  const image = imageOf(pod, name);
  const setting = `kaniko.${init ? 'initImage' : 'executorImage'}`;
  const qualified = /short name/i.test(waiting.message ?? '') ? fullyQualified(image) : undefined;
  return {
    reason: init ? 'InitImagePullFailed' : 'ExecutorImagePullFailed',
    message: `The cluster cannot pull the ${init ? 'init' : 'kaniko executor'} image ${image} (${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}).`,
    fix: qualified
      ? `The node's runtime refuses short image names: set ${setting} to the fully qualified ${qualified}.`
      : `Check that ${image} exists and that the cluster can reach its registry, or set ${setting} to an image it can pull.`,
  };
}

/** What kaniko's own error says, in words; undefined when it logged nothing we recognise. */
export function kanikoFailure(error: KanikoError, destinations: readonly string[]): Failure {
  switch (error.kind) {
    case 'runFailed':
      return { reason: 'RunFailed', message: `A RUN instruction failed with exit code ${error.exitCode}.`, exitCode: error.exitCode };
    case 'pushUnauthorized':
      return {
        reason: 'PushUnauthorized',
        message: `The registry refused to let kaniko push ${destinations.join(', ')} (UNAUTHORIZED): the registry secret is missing, wrong, or lacks push rights.`,
        fix: 'Recreate the registry secret with a user that may push: kubectl create secret docker-registry regcred --docker-server=<registry> --docker-username=<user> --docker-password=<password>',
      };
    case 'certificate':
      return {
        reason: 'PushCertificate',
        message: `kaniko does not trust the registry's TLS certificate (x509): ${error.message}`,
        fix: 'Pass the registry CA with --registry-certificate=<host>=<path> (mounted into the pod), or for a test registry --skip-tls-verify, as an extra executor argument.',
      };
    case 'registryUnreachable':
      return {
        reason: 'PushRegistryUnreachable',
        message: `kaniko cannot reach the registry of ${destinations.join(', ')} from the cluster: ${error.message}`,
        fix: 'Check the registry host name and port in the destination, and that pods in this namespace may reach it (DNS, proxy, NetworkPolicy).',
      };
    case 'plainHttpRegistry':
      return {
        reason: 'PushInsecureRegistry',
        message: `The registry of ${destinations.join(', ')} answers plain HTTP, and kaniko speaks HTTPS: ${error.message}`,
        fix: 'Use the registry\'s HTTPS address; for a registry that only speaks HTTP add --insecure (and --insecure-pull if its images are bases) to kaniko.extraExecutorArgs; for HTTPS with a private CA pass --registry-certificate=<host>=<path>.',
      };
    case 'dockerfilePath':
      return {
        reason: 'DockerfileNotInContext',
        message: 'kaniko cannot find the Dockerfile inside the build context.',
        fix: 'Choose a context folder that contains the Dockerfile (kaniko.contextRoot).',
      };
    default:
      return { reason: 'BuildFailed', message: `kaniko failed: ${error.message}` };
  }
}

/**
 * The node stopped reporting: the node controller marks the pod not ready although kaniko (which has no probes)
 * still shows running, and its taint eviction deletes the pod (DisruptionTarget DeletionByTaintManager, reason
 * NodeLost; phase Unknown on old clusters). Nothing will report on this pod again, so waiting is pointless.
 */
function nodeLost(pod: KubeObject): Failure | undefined {
  const status = pod.status ?? {};
  const conditions: PodCondition[] = status.conditions ?? [];
  const notReady = conditions.some((c) => c.type === 'Ready' && c.status === 'False') && Boolean(containerStatus(pod, KANIKO_CONTAINER)?.state?.running);
  const evicted = conditions.some((c) => c.type === 'DisruptionTarget' && c.status === 'True' && c.reason === 'DeletionByTaintManager');
  if (!notReady && !evicted && status.reason !== 'NodeLost' && status.phase !== 'Unknown') return undefined;
  const node = String(pod.spec?.nodeName ?? 'unknown');
  return {
    reason: 'NodeLost',
    message: `The node ${node} running the build stopped responding${evicted ? ' and Kubernetes is deleting its pods' : ''}; the build's state is unknown, so it was stopped.`,
    fix: `Rebuild (the new pod goes to a healthy node). If it repeats, ask the cluster administrator about node ${node}: kubectl describe node ${node}`,
  };
}

export function classifyPod(pod: KubeObject, kanikoErrors: readonly KanikoError[], destinations: readonly string[]): PodVerdict {
  const status = pod.status ?? {};
  if (status.reason === 'Evicted') {
    return { state: 'failed', failure: { reason: 'PodEvicted', message: `The node evicted the build pod: ${status.message ?? 'no reason given'}.`, fix: 'Retry the build; if it repeats, request more memory or ephemeral storage (kaniko.resources).' } };
  }
  if (status.reason === 'DeadlineExceeded') {
    return { state: 'failed', failure: { reason: 'DeadlineExceeded', message: `The build did not finish within its deadline of ${pod.spec?.activeDeadlineSeconds ?? '?'} seconds.`, fix: 'Raise kaniko.deadlineSeconds, or make the build faster (cache, smaller context).' } };
  }
  const lost = nodeLost(pod);
  if (lost) return { state: 'failed', failure: lost };
  const init = containerStatus(pod, INIT_CONTAINER);
  const kaniko = containerStatus(pod, KANIKO_CONTAINER);
  const pulling = (init && pullFailure(pod, INIT_CONTAINER, init)) || (kaniko && pullFailure(pod, KANIKO_CONTAINER, kaniko));
  if (pulling) return { state: 'failed', failure: pulling };
  const initEnd = init?.state?.terminated;
  if (initEnd && initEnd.exitCode !== 0) {
    return {
      state: 'failed',
      failure: {
        reason: 'UploadFailed',
        message: `The init container stopped with exit code ${initEnd.exitCode}${initEnd.reason ? ` (${initEnd.reason})` : ''} before the build context was complete${initEnd.message ? `: ${initEnd.message.trim()}` : ''}.`,
      },
    };
  }
  const end = kaniko?.state?.terminated;
  if (end) {
    if (end.reason === 'OOMKilled') {
      return { state: 'failed', failure: { reason: 'OOMKilled', message: 'kaniko ran out of memory (OOMKilled).', fix: 'Raise the memory limit (kaniko.resources.limits.memory).' } };
    }
    if (end.exitCode === 0) {
      const digest = /sha256:[a-f0-9]{64}/.exec(end.message ?? '')?.[0];
      return { state: 'succeeded', ...(digest ? { digest } : {}) };
    }
    const known = kanikoErrors.find((e) => e.kind !== 'other') ?? kanikoErrors.at(-1);
    if (known) return { state: 'failed', failure: kanikoFailure(known, destinations) };
    return { state: 'failed', failure: { reason: 'BuildFailed', message: `kaniko exited with code ${end.exitCode}${end.reason ? ` (${end.reason})` : ''}.` } };
  }
  if (status.phase === 'Failed') return { state: 'failed', failure: { reason: 'BuildFailed', message: `The build pod failed: ${status.message ?? status.reason ?? 'no reason given'}.` } };
  // The kubelet retries these forever; the build would only end at its deadline.
  const notStarting = [kaniko, init].map((s) => s?.state?.waiting).find((w) => w?.reason === 'CreateContainerConfigError' || w?.reason === 'CreateContainerError');
  if (notStarting) {
    const message = notStarting.message ?? notStarting.reason ?? '';
    return { state: 'failed', failure: { reason: /secret/i.test(message) ? 'SecretMissing' : 'BuildFailed', message: `The cluster cannot start the build container (${notStarting.reason}): ${message}` } };
  }
  if (kaniko?.state?.running) return { state: 'building' };
  if (init?.state?.running) return { state: 'initRunning' };
  return { state: 'pending' };
}

/** kaniko-init has exited 0: the context is complete and the build may start. */
export function initFinished(pod: KubeObject): boolean {
  return containerStatus(pod, INIT_CONTAINER)?.state?.terminated?.exitCode === 0;
}

/** The scheduler's reason while it cannot place the pod (PodScheduled=False, Unschedulable), else undefined. */
export function unschedulableReason(pod: KubeObject): string | undefined {
  if (pod.spec?.nodeName) return undefined;
  const conditions: Array<PodCondition & { message?: string }> = pod.status?.conditions ?? [];
  const scheduled = conditions.find((c) => c.type === 'PodScheduled');
  return scheduled?.status === 'False' && scheduled.reason === 'Unschedulable' ? (scheduled.message ?? 'no node can take the pod') : undefined;
}

/** The failure when the scheduler could not place the pod within the build's schedule timeout. */
export function unschedulableFailure(pod: KubeObject, seconds: number): Failure {
  const { name, namespace } = pod.metadata;
  const why = unschedulableReason(pod);
  return {
    reason: 'Unschedulable',
    message: `No node took the build pod within ${seconds} seconds${why ? `: ${why}` : '.'}`,
    fix: `Lower the requests in kaniko.resources, or ask the cluster administrator about node capacity, taints and node selectors (kubectl describe pod ${name} -n ${namespace} shows the scheduler's events).`,
  };
}
