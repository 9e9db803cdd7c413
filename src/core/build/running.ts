// Builds found on the cluster by label: list them, re-attach a session after a window reload,
// and remove the ones nothing needs any more.
import { randomUUID } from 'node:crypto';
import type { KubeGateway, KubeObject } from '../kube/gateway.ts';
import { classifyPod } from './classify.ts';
import { cleanUpPod } from './cleanup.ts';
import { ANNOTATION_CONTEXT, ANNOTATION_DESTINATIONS, ANNOTATION_DOCKERFILE, ANNOTATION_KEEP_UNTIL, BUILD_ID_LABEL, MANAGED_BY_LABEL, MANAGED_BY_VALUE } from './defaults.ts';
import { BuildFailure } from './failure.ts';
import type { BuildRequest, BuildResult } from './model.ts';
import { monitorBuild, podGone } from './monitor.ts';
import { resultOf } from './outcome.ts';
import { PodTracker } from './podTracker.ts';
import { Session, SessionState } from './session.ts';

/** How long an attached build may stay before kaniko starts until it counts as an interrupted upload. */
const ATTACH_WAIT_MS = 15_000;

export const BUILD_SELECTOR = `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`;

export interface RunningBuild {
  readonly namespace: string;
  readonly name: string;
  readonly buildId: string;
  readonly destinations: readonly string[];
  readonly dockerfile: string;
  /** pending, initRunning (waiting for or receiving the context), building, succeeded, failed. */
  readonly state: string;
  readonly createdAt?: string;
  readonly keepUntil?: string;
}

function destinationsOf(pod: KubeObject): string[] {
  try {
    return JSON.parse(pod.metadata.annotations?.[ANNOTATION_DESTINATIONS] ?? '[]') as string[];
  } catch {
    return [];
  }
}

export async function listBuilds(gateway: KubeGateway, namespace = gateway.namespace): Promise<RunningBuild[]> {
  const list = await gateway.listPods(namespace, BUILD_SELECTOR);
  return list.items.map((pod) => {
    const destinations = destinationsOf(pod);
    return {
      namespace,
      name: String(pod.metadata.name),
      buildId: String(pod.metadata.labels?.[BUILD_ID_LABEL] ?? ''),
      destinations,
      dockerfile: String(pod.metadata.annotations?.[ANNOTATION_DOCKERFILE] ?? ''),
      state: pod.metadata.deletionTimestamp ? 'deleting' : classifyPod(pod, [], destinations).state,
      ...(pod.metadata.creationTimestamp ? { createdAt: String(pod.metadata.creationTimestamp) } : {}),
      ...(pod.metadata.annotations?.[ANNOTATION_KEEP_UNTIL] ? { keepUntil: String(pod.metadata.annotations[ANNOTATION_KEEP_UNTIL]) } : {}),
    };
  });
}

/** Deletes finished build pods (kept failed ones once their time is up, or all with `all`); returns the names. */
export async function cleanUpBuildPods(gateway: KubeGateway, options: { all?: boolean; namespace?: string } = {}): Promise<string[]> {
  const now = new Date().toISOString();
  const builds = await listBuilds(gateway, options.namespace);
  const stale = builds.filter((b) => options.all || b.state === 'succeeded' || (b.state === 'failed' && (!b.keepUntil || b.keepUntil < now)));
  await Promise.all(stale.map((b) => gateway.deletePod(b.namespace, b.name)));
  return stale.map((b) => b.name);
}

/**
 * A session for a build pod started by another process (e.g. before a window reload). `cleanup` is the
 * policy the build was started with: the pod does not record it, and the session that would have applied it is gone.
 */
export function attachBuild(gateway: KubeGateway, namespace: string, podName: string, cleanup?: BuildRequest['cleanup']): Session {
  const state = new SessionState({ dockerfile: '', contextDir: '', destinations: [] }, randomUUID().slice(0, 8));
  let tracker: PodTracker | undefined;
  const run = (async (): Promise<BuildResult> => {
    await new Promise((resolve) => setImmediate(resolve));
    let result: BuildResult;
    let request: BuildRequest = state.request;
    try {
      const pod = await gateway.getPod(namespace, podName);
      request = {
        dockerfile: String(pod.metadata.annotations?.[ANNOTATION_DOCKERFILE] ?? ''),
        contextDir: String(pod.metadata.annotations?.[ANNOTATION_CONTEXT] ?? ''),
        destinations: destinationsOf(pod),
        ...(cleanup ? { cleanup } : {}),
      };
      state.request = request;
      state.setPod(namespace, podName);
      for (const phase of ['package', 'preflight', 'createPod', 'schedule'] as const) state.phase(phase, 'done');
      tracker = new PodTracker(gateway.connection, namespace, podName);
      // Just after the trigger the pod may still show kaniko-init running; give it a moment to move on.
      const started = await Promise.race([
        tracker.until((t) => (t.deleted || (t.pod && !['pending', 'initRunning'].includes(classifyPod(t.pod, [], request.destinations).state)) ? true : undefined), state.abort.signal),
        new Promise<false>((resolve) => setTimeout(() => resolve(false), ATTACH_WAIT_MS).unref()),
      ]);
      if (!started) {
        // The context was being sent by the process that went away; it cannot be resumed.
        throw new BuildFailure({ reason: 'UploadFailed', message: 'The build was interrupted while its context was being uploaded; start it again.' });
      }
      state.phase('upload', 'done');
      result = await monitorBuild(state, gateway.connection, tracker, undefined);
    } catch (error) {
      result = resultOf(error instanceof BuildFailure || state.abort.signal.aborted ? error : tracker?.deleted ? podGone() : error, state.abort.signal.aborted, state.pod);
    }
    tracker?.stop();
    if (state.pod) {
      await cleanUpPod(gateway, state.pod, request, result, (line) => state.log(line));
    }
    return state.finish(result);
  })();
  const cancel = async (): Promise<void> => {
    if (state.result) return;
    state.abort.abort(new Error('cancelled'));
    await gateway.deletePod(namespace, podName).catch(() => undefined);
  };
  return new Session(state, run, cancel);
}
