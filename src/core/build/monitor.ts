// From the trigger to the verdict: follow kaniko's log into steps while the pod watch decides the end.
import type { ParsedDockerfile } from '../dockerfile/parse.ts';
import type { KubeConnection } from '../kube/kubeconfig.ts';
import { KubeGateway } from '../kube/gateway.ts';
import { followLog } from '../kube/logs.ts';
import { classifyPod } from './classify.ts';
import { KANIKO_CONTAINER } from './defaults.ts';
import { BuildFailure, failedResult } from './failure.ts';
import { KanikoLogFollower } from './follow.ts';
import type { BuildResult } from './model.ts';
import type { PodTracker } from './podTracker.ts';
import type { SessionState } from './session.ts';

const LOG_DRAIN_MS = 10_000;

export function podGone(): BuildFailure {
  return new BuildFailure({ reason: 'PodDeleted', message: 'The build pod was deleted from outside the build (by a user, a controller or the node).', fix: 'Rebuild; check who deletes pods in this namespace.' });
}

export async function monitorBuild(state: SessionState, connection: KubeConnection, tracker: PodTracker, parsed: ParsedDockerfile | undefined): Promise<BuildResult> {
  const pod = state.pod;
  if (!pod) throw new Error('monitorBuild needs a pod');
  const signal = state.abort.signal;
  const destinations = state.request.destinations;
  state.phase('build', 'running');
  const follower = new KanikoLogFollower(parsed, {
    onStep: (step) => state.step(step),
    onPushStarted: () => {
      state.phase('build', 'done');
      state.phase('push', 'running');
    },
  });
  const gateway = new KubeGateway(connection);
  const kanikoEnded = async (): Promise<boolean> => {
    if (tracker.deleted) return true;
    const current = await gateway.getPod(pod.namespace, pod.name).catch(() => undefined);
    if (!current) return true;
    const verdict = classifyPod(current, [], destinations).state;
    return verdict === 'succeeded' || verdict === 'failed';
  };
  const logs = followLog(connection, pod.namespace, pod.name, KANIKO_CONTAINER, {
    signal,
    isFinished: kanikoEnded,
    onLine: (line) => state.log(follower.line(line), 'kaniko'),
  }).catch((error: Error) => state.log(`Following the kaniko log stopped: ${error.message}`));

  await tracker.until((t) => {
    if (t.deleted) throw podGone();
    const verdict = t.pod ? classifyPod(t.pod, [], destinations).state : 'pending';
    return verdict === 'succeeded' || verdict === 'failed' ? true : undefined;
  }, signal);
  // The verdict needs kaniko's last lines (its error), so let the log stream finish first; a lost node sends no more.
  const ended = tracker.pod ? classifyPod(tracker.pod, [], destinations) : undefined;
  if (!(ended?.state === 'failed' && ended.failure.reason === 'NodeLost')) {
    await Promise.race([logs, new Promise((resolve) => setTimeout(resolve, LOG_DRAIN_MS).unref())]);
  }
  const final = tracker.pod ? classifyPod(tracker.pod, follower.errors, destinations) : undefined;
  if (final?.state === 'succeeded') {
    follower.finish(false);
    const digest = final.digest ?? follower.pushed.at(-1)?.digest;
    if (!digest) throw new BuildFailure({ reason: 'BuildFailed', message: 'kaniko finished but reported no image digest.' });
    const mismatch = follower.pushed.find((p) => p.digest !== digest);
    if (mismatch) state.log(`Warning: kaniko logged ${mismatch.reference}@${mismatch.digest}, but its digest file says ${digest}.`);
    state.phase('build', 'done');
    state.phase('push', 'done');
    return {
      outcome: 'succeeded',
      message: `Pushed ${destinations.join(', ')} (${digest}).`,
      digest,
      images: destinations.map((reference) => ({ reference, digest })),
      podName: pod.name,
      namespace: pod.namespace,
    };
  }
  if (final?.state !== 'failed') throw new Error('unreachable: the pod ended without a verdict');
  const exitCode = final.failure.exitCode;
  follower.finish(true, exitCode);
  const failedStep = follower.failedStep;
  const failure = failedStep && final.failure.reason === 'RunFailed'
    ? { ...final.failure, message: `${failedStep.instruction.slice(0, 200)}${failedStep.line ? ` (Dockerfile line ${failedStep.line})` : ''} failed with exit code ${exitCode}.` }
    : final.failure;
  return { ...failedResult(failure, pod), ...(failedStep ? { failedStep } : {}) };
}
