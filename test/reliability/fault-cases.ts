// The sandbox faults the engine must survive, one table for bench/reliability.ts: each builds for real
// under the fault and must end in the expected state, with a message, leaving no pod or secret behind.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { BuildEvent, BuildRequest, BuildResult, BuildSession } from '../../src/core/build/model.ts';
import type { Sandbox } from '../sandbox/index.ts';
import { makeContext, run } from '../integration/helpers.ts';
import { leftovers, snapshotSecrets } from './leftovers.ts';

export interface FaultCase {
  readonly name: string;
  readonly outcome: BuildResult['outcome'];
  /** Accepted reasons for a failure (a fault may surface in one of two honest ways). */
  readonly reasons?: readonly NonNullable<BuildResult['reason']>[];
  readonly dockerfile?: string;
  readonly request?: (sandbox: Sandbox) => Partial<BuildRequest>;
  /** Turns the fault on before the build starts. */
  readonly arm?: (sandbox: Sandbox) => void | Promise<void>;
  /** Acts once, the first time the build enters this phase (e.g. deletes the pod while kaniko runs). */
  readonly during?: { readonly phase: 'upload' | 'build'; readonly act: (sandbox: Sandbox, pod: { namespace: string; name: string }) => void | Promise<void> };
}

const SLOW = 'FROM busybox:1.36\nRUN sleep 20\n';

export const faultCases: readonly FaultCase[] = [
  { name: 'API 503 for two requests (retried)', outcome: 'succeeded', arm: (s) => s.faults.failRequests({ path: '/version' }, 503, 2) },
  { name: 'API 500 on every path for a burst (retried)', outcome: 'succeeded', arm: (s) => s.faults.failRequests({ path: /\/api/ }, 500, 3) },
  { name: 'API 503 longer than the retries', outcome: 'failed', reasons: ['ClusterUnreachable'], arm: (s) => s.faults.failRequests({ path: '/version' }, 503, 10) },
  { name: 'slow API (1.5 s per request, 6 requests)', outcome: 'succeeded', arm: (s) => s.faults.delayRequests({ path: /\/api/ }, 1500, 6) },
  { name: 'watches ending every 300 ms', outcome: 'succeeded', arm: (s) => s.faults.endWatchesAfter(300) },
  { name: 'watches answered 410 Expired', outcome: 'succeeded', arm: (s) => s.faults.expireWatches(3) },
  { name: 'log requests failing with 500', outcome: 'succeeded', arm: (s) => s.faults.failRequests({ path: '/log' }, 500, 2) },
  { name: 'exec dropped mid-upload', outcome: 'failed', reasons: ['UploadFailed'], arm: (s) => s.faults.dropExecAfterStdinBytes(64 * 1024) },
  {
    name: 'init container killed during upload', outcome: 'failed', reasons: ['UploadFailed'],
    during: { phase: 'upload', act: (s, pod) => s.faults.killContainer(pod.namespace, pod.name, 'kaniko-init', 'SIGKILL') },
  },
  {
    name: 'pod deleted from outside while kaniko runs', outcome: 'failed', reasons: ['PodDeleted'], dockerfile: SLOW,
    during: { phase: 'build', act: (s, pod) => s.faults.deletePod(pod.namespace, pod.name, 0) },
  },
  {
    name: 'pod evicted while kaniko runs', outcome: 'failed', reasons: ['PodEvicted'], dockerfile: SLOW,
    during: { phase: 'build', act: (s, pod) => s.faults.evictPod(pod.namespace, pod.name) },
  },
  { name: 'activeDeadlineSeconds reached', outcome: 'failed', reasons: ['DeadlineExceeded'], dockerfile: SLOW, request: () => ({ deadlineSeconds: 4 }) },
  {
    name: 'registry refusing credentials', outcome: 'failed', reasons: ['PushUnauthorized'],
    request: (s) => ({ destinations: [`${s.registries.tls.host}/faults/denied:v1`], secretName: 'regcred', extraArgs: ['--skip-tls-verify'] }),
    arm: (s) => s.faults.rejectRegistryCredentials(true),
  },
  { name: 'registry 500 on one manifest push (--push-retry)', outcome: 'succeeded', request: () => ({ extraArgs: ['--insecure', '--push-retry=2'] }), arm: (s) => s.registries.failPushes(1) },
  { name: 'registry 500 on every manifest push', outcome: 'failed', reasons: ['BuildFailed'], arm: (s) => s.registries.failPushes(100) },
];

export interface FaultReport {
  readonly name: string;
  readonly result?: BuildResult;
  readonly problems: string[];
}

/** Runs one fault case; the sandbox needs a `regcred` secret for the TLS registry. Resets every fault afterwards. */
export async function runFaultCase(sandbox: Sandbox, c: FaultCase): Promise<FaultReport> {
  const secretsBefore = snapshotSecrets(sandbox);
  const contextDir = await makeContext({ Dockerfile: c.dockerfile ?? 'FROM busybox:1.36\nCOPY . /app/\n', 'blob.bin': randomBytes(256 * 1024) });
  const request: BuildRequest = {
    dockerfile: join(contextDir, 'Dockerfile'), contextDir, kube: { kubeconfig: sandbox.kubeconfigPath },
    destinations: [`${sandbox.registries.plain.host}/faults/app:v1`], secretName: '', extraArgs: ['--insecure'], ...c.request?.(sandbox),
  };
  const problems: string[] = [];
  let result: BuildResult | undefined;
  try {
    await c.arm?.(sandbox);
    let acted = false;
    const onEvent = (event: BuildEvent, session: BuildSession): void => {
      const pod = session.snapshot().pod;
      if (!c.during || acted || !pod || event.type !== 'phase' || event.phase !== c.during.phase || event.state !== 'running') return;
      acted = true;
      void Promise.resolve(c.during.act(sandbox, pod)).catch((error: unknown) => problems.push(`the fault could not be applied: ${String(error)}`));
    };
    result = await run(request, onEvent).result;
    if (result.outcome !== c.outcome) problems.push(`outcome ${result.outcome}, expected ${c.outcome} (${result.reason}: ${result.message})`);
    if (c.reasons && !c.reasons.includes(result.reason as NonNullable<BuildResult['reason']>)) problems.push(`reason ${result.reason}, expected ${c.reasons.join(' or ')} (${result.message})`);
    if (result.message.trim() === '') problems.push('empty message');
    if (c.during && !acted) problems.push(`the build never reached ${c.during.phase}`);
  } catch (error) {
    problems.push(`threw: ${String(error)}`);
  } finally {
    await sandbox.faults.reset();
    sandbox.faults.endWatchesAfter(undefined);
    sandbox.registries.failPushes(0);
  }
  problems.push(...(await leftovers(sandbox, secretsBefore, 10_000)));
  return { name: c.name, ...(result ? { result } : {}), problems };
}
