// What happens to the pod when a build ends: deleted, kept for a while when it failed, or kept.
import type { KubeGateway } from '../kube/gateway.ts';
import type { BuildRequest, BuildResult } from './model.ts';
import { ANNOTATION_KEEP_UNTIL, DEFAULT_KEEP_FAILED_MINUTES } from './defaults.ts';

/** Returns a line for the log saying what was done. */
export async function applyCleanup(gateway: KubeGateway, pod: { namespace: string; name: string }, request: BuildRequest, result: BuildResult, ageSeconds: number): Promise<string> {
  const policy = request.cleanup?.policy ?? 'delete';
  const keep = policy === 'keep' || (policy === 'keepFailed' && result.outcome === 'failed');
  if (!keep || result.outcome === 'cancelled') {
    await gateway.deletePod(pod.namespace, pod.name);
    return `Deleted pod ${pod.name}.`;
  }
  if (policy === 'keep') return `Kept pod ${pod.name} (cleanup policy "keep").`;
  const minutes = request.cleanup?.keepFailedMinutes ?? DEFAULT_KEEP_FAILED_MINUTES;
  const until = new Date(Date.now() + minutes * 60_000).toISOString();
  // A pod that is still running (e.g. stuck pulling) ends by itself at the new deadline; a finished one
  // is removed by the next cleanUpBuildPods after keep-until.
  await gateway.patchPodAnnotations(pod.namespace, pod.name, { [ANNOTATION_KEEP_UNTIL]: until }, Math.ceil(ageSeconds + minutes * 60)).catch(() =>
    gateway.patchPodAnnotations(pod.namespace, pod.name, { [ANNOTATION_KEEP_UNTIL]: until }),
  );
  return `Kept failed pod ${pod.name} for inspection until ${until}: kubectl logs ${pod.name} -c kaniko -n ${pod.namespace}`;
}
