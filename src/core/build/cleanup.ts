// What happens to the pod when a build ends: deleted, kept for a while when it failed, or kept.
import { isTransient } from '../kube/errors.ts';
import type { KubeGateway } from '../kube/gateway.ts';
import type { BuildRequest, BuildResult } from './model.ts';
import { ANNOTATION_KEEP_UNTIL, DEFAULT_KEEP_FAILED_MINUTES } from './defaults.ts';

type PodRef = { namespace: string; name: string };

/** How long a clean-up that cannot reach the API server goes on in the background after the result is out. */
const CLEANUP_PATIENCE_MS = 120_000;
const CLEANUP_RETRY_MS = 5_000;

/** Returns a line for the log saying what was done. */
async function applyCleanup(gateway: KubeGateway, pod: PodRef, request: BuildRequest, result: BuildResult): Promise<string> {
  const policy = request.cleanup?.policy ?? 'delete';
  const keep = policy === 'keep' || (policy === 'keepFailed' && result.outcome === 'failed');
  if (!keep || result.outcome === 'cancelled') {
    await gateway.deletePod(pod.namespace, pod.name);
    return `Deleted pod ${pod.name}.`;
  }
  if (policy === 'keep') return `Kept pod ${pod.name} (cleanup policy "keep").`;
  const minutes = request.cleanup?.keepFailedMinutes ?? DEFAULT_KEEP_FAILED_MINUTES;
  const until = new Date(Date.now() + minutes * 60_000).toISOString();
  // The next cleanUpBuildPods after keep-until removes it. Its activeDeadlineSeconds stays: an API server refuses to
  // raise it (ValidatePodUpdate), and a pod still running (e.g. stuck pulling) should end at its deadline anyway.
  await gateway.patchPodAnnotations(pod.namespace, pod.name, { [ANNOTATION_KEEP_UNTIL]: until });
  return `Kept failed pod ${pod.name} for inspection until ${until}: kubectl logs ${pod.name} -c kaniko -n ${pod.namespace}`;
}

/**
 * applyCleanup, logging what happened. An API server that stays unreachable past the transport's retries (a
 * VPN drop, a control-plane restart) must not hold the result back, nor leave a running pod until its
 * activeDeadlineSeconds: the clean-up then goes on in the background for CLEANUP_PATIENCE_MS, and says how it ended.
 * Resolves once the first attempt is over; the background attempts keep the process alive until they end.
 */
export async function cleanUpPod(gateway: KubeGateway, pod: PodRef, request: BuildRequest, result: BuildResult, log: (line: string) => void): Promise<void> {
  const attempt = (): Promise<void> => applyCleanup(gateway, pod, request, result).then(log);
  try {
    await attempt();
  } catch (error) {
    log(`Could not clean up pod ${pod.name}: ${(error as Error).message}`);
    if (!isTransient(error)) return;
    log(`Trying again in the background for ${CLEANUP_PATIENCE_MS / 60_000} minutes. If the cluster stays unreachable, the pod ends itself at its deadline; or delete it once the cluster answers: kubectl delete pod ${pod.name} -n ${pod.namespace}`);
    void retryInBackground(attempt, Date.now() + CLEANUP_PATIENCE_MS).catch((last: unknown) => {
      log(`Gave up cleaning up pod ${pod.name}: ${(last as Error).message}`);
    });
  }
}

async function retryInBackground(attempt: () => Promise<void>, deadline: number): Promise<void> {
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, CLEANUP_RETRY_MS));
    try {
      return await attempt();
    } catch (error) {
      if (!isTransient(error) || Date.now() + CLEANUP_RETRY_MS > deadline) throw error;
    }
  }
}
