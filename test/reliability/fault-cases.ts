// The sandbox faults the engine must survive, one table for test/reliability/faults.test.ts and
// bench/reliability.ts: each builds for real under the fault and must end in the expected state, with its
// message and fix, leaving no pod or secret behind.
import { randomBytes } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { KanikoLogFollower } from '../../src/core/build/follow.ts';
import type { BuildEvent, BuildRequest, BuildResult, BuildSession } from '../../src/core/build/model.ts';
import { deleteBuildPod } from '../../src/core/engine.ts';
import type { Sandbox } from '../sandbox/index.ts';
import { startFreezingProxy } from '../sandbox/api/freezing-proxy.ts';
import type { FreezingProxy } from '../sandbox/api/freezing-proxy.ts';
import { BUSYBOX, makeContext, run } from '../integration/helpers.ts';
import { leftovers, snapshotSecrets } from './leftovers.ts';

type Pod = { namespace: string; name: string };

export interface FaultCase {
  readonly name: string;
  readonly outcome: BuildResult['outcome'];
  /** Accepted reasons for a failure (a fault may surface in one of two honest ways). */
  readonly reasons?: readonly NonNullable<BuildResult['reason']>[];
  /** What the message and the fix must say. */
  readonly message?: RegExp;
  readonly fix?: RegExp;
  readonly dockerfile?: string;
  /** Called after arm(), so it may use what arm() prepared (e.g. a broken kubeconfig). */
  readonly request?: (sandbox: Sandbox) => Partial<BuildRequest> | Promise<Partial<BuildRequest>>;
  /** Turns the fault on before the build starts. */
  readonly arm?: (sandbox: Sandbox) => void | Promise<void>;
  /** Acts once, the first time the build enters this phase (e.g. deletes the pod while kaniko runs). */
  readonly during?: { readonly phase: 'upload' | 'build'; readonly act: (sandbox: Sandbox, pod: Pod) => void | Promise<void> };
  /** Further checks once the build ended (before the faults are reset); returns problems. */
  readonly verify?: (sandbox: Sandbox, events: readonly BuildEvent[], result: BuildResult) => Promise<string[]>;
  /**
   * What the user does after the faults are gone, when the fault itself made clean-up impossible
   * (no credentials left to delete the pod): the step the result's message leads to.
   */
  readonly afterwards?: (sandbox: Sandbox, result: BuildResult) => Promise<void>;
}

const SLOW = `FROM ${BUSYBOX}\nRUN sleep 20\n`;
/** The silent-connections case: its proxy and kubeconfig, made by arm() and removed by verify(). */
const silent: { proxy?: FreezingProxy; kubeconfig: string; frozenAt: number } = { kubeconfig: '', frozenAt: 0 };
/**
 * kaniko prints 300 numbered lines over 6 s (at most about 2 KB a second), so log streams cut every 4 KB end
 * while it still prints. sinceTime has whole seconds on a real cluster: a resumed stream starts at the second of
 * the last line seen, so it must carry more than one second of log to get further.
 */
const CHATTY_LINES = 300;
const CHATTY = `FROM ${BUSYBOX}\nRUN i=1; while [ $i -le ${CHATTY_LINES} ]; do echo "line $i"; if [ $((i % 5)) -eq 0 ]; then sleep 0.1; fi; i=$((i+1)); done\n`;

/** Waits until the pod's kaniko container runs (the build phase starts as soon as the context is in). */
async function kanikoRunning(sandbox: Sandbox, pod: Pod): Promise<void> {
  for (const deadline = Date.now() + 15_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 50))) {
    const statuses: Array<{ name: string; state?: { running?: object } }> = sandbox.store.get('pods', pod.namespace, pod.name)?.status?.containerStatuses ?? [];
    if (statuses.some((c) => c.name === 'kaniko' && c.state?.running)) return;
  }
  throw new Error('kaniko never ran');
}

/** The kaniko log lines the build emitted must be exactly what kaniko printed: none twice, none missing. */
async function sameLogAsKaniko(sandbox: Sandbox, events: readonly BuildEvent[], result: BuildResult): Promise<string[]> {
  if (!result.podName || !result.namespace) return ['the result names no pod'];
  const stream = sandbox.kubelet.logs(result.namespace, result.podName, 'kaniko', { follow: false, timestamps: false, previous: false });
  if (!stream) return ['kaniko has no log'];
  const printed = await text(stream);
  sandbox.faults.deletePod(result.namespace, result.podName, 0); // kept (cleanup "keep") only for this comparison
  const follower = new KanikoLogFollower(undefined, { onStep: () => undefined, onPushStarted: () => undefined });
  const expected = printed.split('\n').filter((line, i, all) => i < all.length - 1 || line !== '').map((line) => follower.line(line));
  const emitted = events.flatMap((e) => (e.type === 'log' && e.source === 'kaniko' ? [e.line] : []));
  const numbered = emitted.filter((line) => /^line \d+$/.test(line));
  const problems: string[] = [];
  if (numbered.length !== CHATTY_LINES || numbered.some((line, i) => line !== `line ${i + 1}`)) problems.push(`the RUN output arrived as ${numbered.length} lines, not line 1..${CHATTY_LINES} once each in order`);
  if (emitted.length !== expected.length || emitted.some((line, i) => line !== expected[i])) {
    const at = emitted.findIndex((line, i) => line !== expected[i]);
    problems.push(`the build emitted ${emitted.length} kaniko lines, kaniko printed ${expected.length}; first difference at ${at}: ${JSON.stringify(emitted[at])} vs ${JSON.stringify(expected[at])}`);
  }
  return problems;
}

const unreachable = { reasons: ['ClusterUnreachable'] as const };

/** The pod outlived the result (the server was still away), and the background clean-up removed it once the server was back. */
async function cleanedUpLater(sandbox: Sandbox, events: readonly BuildEvent[], result: BuildResult): Promise<string[]> {
  if (!result.podName || !result.namespace) return ['the result names no pod'];
  const problems: string[] = [];
  if (!sandbox.store.get('pods', result.namespace, result.podName)) problems.push('the pod was gone before the server came back: the outage did not outlast the result');
  const logged = (pattern: RegExp): boolean => events.some((e) => e.type === 'log' && pattern.test(e.line));
  if (!logged(/Trying again in the background/)) problems.push('the log does not say the clean-up goes on');
  for (const deadline = Date.now() + 30_000; sandbox.store.get('pods', result.namespace, result.podName) && Date.now() < deadline;) await new Promise((resolve) => setTimeout(resolve, 200));
  await new Promise((resolve) => setTimeout(resolve, 500));
  const after = events.slice(events.findIndex((e) => e.type === 'result'));
  if (!after.some((e) => e.type === 'log' && e.line === `Deleted pod ${result.podName}.`)) problems.push('no "Deleted pod" line after the result');
  return problems;
}

export const faultCases: readonly FaultCase[] = [
  { name: 'API 503 for two requests (retried)', outcome: 'succeeded', arm: (s) => s.faults.failRequests({ path: '/version' }, 503, 2) },
  { name: 'API 500 on every path for a burst (retried)', outcome: 'succeeded', arm: (s) => s.faults.failRequests({ path: /\/api/ }, 500, 3) },
  {
    name: 'API 503 longer than the retries', outcome: 'failed', ...unreachable, message: /gave up after 5 attempts/, fix: /network/,
    arm: (s) => s.faults.failRequests({ path: '/version' }, 503, 10),
  },
  {
    // The first create reaches the server but its answer comes after the client's 30 s timeout: a blind retry of the
    // POST made a second pod, and the first stayed in kaniko-init (the leftovers check finds it).
    name: 'pod create answered after the client timeout (exactly one pod, adopted by its build id)', outcome: 'succeeded',
    arm: (s) => s.faults.holdAnswers({ path: '/pods', method: 'POST' }, 31_000, 1),
  },
  {
    // A NAT or firewall that dropped its state: the watch, the log stream and every pooled connection stay open and
    // carry nothing more. Before, the build waited on its frozen watch forever.
    name: 'connections to the API server go silent while kaniko runs (frozen, never closed): the build still ends, within 2 minutes',
    outcome: 'succeeded', dockerfile: `FROM ${BUSYBOX}\nRUN sleep 6\n`,
    arm: async (s) => {
      silent.proxy = await startFreezingProxy(s.server);
      silent.kubeconfig = `${s.kubeconfigPath}.silent`;
      await writeFile(silent.kubeconfig, (await readFile(s.kubeconfigPath, 'utf8')).replaceAll(s.server, silent.proxy.server), { mode: 0o600 });
    },
    request: () => ({ kube: { kubeconfig: silent.kubeconfig } }),
    during: { phase: 'build', act: () => {
      silent.proxy?.freeze();
      silent.frozenAt = Date.now();
    } },
    verify: async () => {
      const problems = silent.proxy?.frozen ? [] : ['no connection was open to freeze'];
      const waited = Date.now() - silent.frozenAt;
      if (waited > 120_000) problems.push(`the build ended ${Math.round(waited / 1000)} s after the freeze`);
      await silent.proxy?.stop();
      await rm(silent.kubeconfig, { force: true });
      return problems;
    },
  },
  { name: 'slow API (1.5 s per request, 6 requests)', outcome: 'succeeded', arm: (s) => s.faults.delayRequests({ path: /\/api/ }, 1500, 6) },
  { name: 'watches ending every 300 ms', outcome: 'succeeded', arm: (s) => s.faults.endWatchesAfter(300) },
  { name: 'watches answered 410 Expired', outcome: 'succeeded', arm: (s) => s.faults.expireWatches(3) },
  { name: 'log requests failing with 500', outcome: 'succeeded', arm: (s) => s.faults.failRequests({ path: '/log' }, 500, 2) },
  {
    name: 'log stream cut every 4 KB, mid-line, while kaniko prints (resumed with sinceTime: no line twice, none missing)', outcome: 'succeeded',
    dockerfile: CHATTY, request: () => ({ cleanup: { policy: 'keep' } }), arm: (s) => s.faults.cutLogStreamsAfter(4096), verify: sameLogAsKaniko,
  },
  { name: 'exec dropped mid-upload', outcome: 'failed', reasons: ['UploadFailed'], arm: (s) => s.faults.dropExecAfterStdinBytes(64 * 1024) },
  {
    name: 'init container killed during upload', outcome: 'failed', reasons: ['UploadFailed'],
    during: { phase: 'upload', act: (s, pod) => s.faults.killContainer(pod.namespace, pod.name, 'kaniko-init', 'SIGKILL') },
  },
  {
    name: 'pod deleted from outside while kaniko runs', outcome: 'failed', reasons: ['PodDeleted'], message: /deleted from outside/, dockerfile: SLOW,
    during: { phase: 'build', act: (s, pod) => s.faults.deletePod(pod.namespace, pod.name, 0) },
  },
  {
    name: 'pod evicted while kaniko runs', outcome: 'failed', reasons: ['PodEvicted'], message: /evicted/, fix: /kaniko\.resources/, dockerfile: SLOW,
    during: { phase: 'build', act: (s, pod) => s.faults.evictPod(pod.namespace, pod.name) },
  },
  {
    name: 'node lost while kaniko runs: pod marked not ready', outcome: 'failed', reasons: ['NodeLost'], message: /node sandbox-node .*stopped responding/, fix: /kubectl describe node sandbox-node/,
    dockerfile: SLOW,
    during: {
      phase: 'build',
      act: async (s, pod) => {
        await kanikoRunning(s, pod);
        await s.faults.loseNode('notReady', 300);
      },
    },
  },
  {
    // Lost before kaniko started: its status stays frozen at PodInitializing, until the taint eviction deletes the pod.
    name: 'node lost as the build starts: pod deleted by the node controller (stays Terminating)', outcome: 'failed', reasons: ['NodeLost'], message: /stopped responding and Kubernetes is deleting/,
    dockerfile: SLOW, during: { phase: 'build', act: (s) => s.faults.loseNode('evicted', 300) },
  },
  {
    name: 'activeDeadlineSeconds reached', outcome: 'failed', reasons: ['DeadlineExceeded'], message: /deadline of 4 seconds/, fix: /kaniko\.deadlineSeconds/,
    dockerfile: SLOW, request: () => ({ deadlineSeconds: 4 }),
  },
  {
    name: 'API server refusing connections before preflight', outcome: 'failed', ...unreachable, message: /Cannot reach the API server.*ECONNREFUSED.*gave up after 5 attempts/s, fix: /network or VPN/,
    arm: (s) => s.faults.refuseConnections(),
  },
  {
    // A VPN blip: watch, log stream and requests reconnect within their retries.
    name: 'API server refusing connections for 1.5 s mid-build (retried)', outcome: 'succeeded', dockerfile: `FROM ${BUSYBOX}\nRUN sleep 4\n`,
    during: { phase: 'build', act: (s) => s.faults.refuseConnections(1500) },
  },
  {
    // Longer than the watch's retries (about 4 s): the build fails, and its clean-up, retried too, deletes the pod once the server is back.
    name: 'API server gone for 6 s mid-build', outcome: 'failed', ...unreachable, message: /Watching the build pod \S+: Cannot reach the API server.*ECONNREFUSED/s, fix: /network or VPN/,
    dockerfile: SLOW, during: { phase: 'build', act: (s) => s.faults.refuseConnections(6000) },
  },
  {
    // Longer than the clean-up's own retries: the result is not held back, and the clean-up goes on in the background until the server is back.
    name: 'API server gone for 15 s mid-build (pod deleted once it is back)', outcome: 'failed', ...unreachable, message: /Cannot reach the API server.*ECONNREFUSED/s,
    dockerfile: SLOW, during: { phase: 'build', act: (s) => s.faults.refuseConnections(15_000) },
    verify: cleanedUpLater,
  },
  {
    name: 'kubeconfig CA that does not match the API server (TLS error)', outcome: 'failed', ...unreachable, message: /TLS certificate of the API server .* is not trusted/, fix: /certificate-authority-data/,
    request: async (s) => ({ kube: { kubeconfig: await s.faults.brokenKubeconfig('wrongCa') } }),
  },
  {
    name: 'API server name that does not resolve (DNS)', outcome: 'failed', ...unreachable, message: /kaniko-sandbox-api\.invalid.*cannot be resolved \(ENOTFOUND\)/, fix: /server address/,
    request: async (s) => ({ kube: { kubeconfig: await s.faults.brokenKubeconfig('unresolvable') } }),
  },
  {
    // Open streams outlive a token; the watch's next reconnect meets the 401. Nothing can delete the pod without
    // credentials: once the user has logged in again, the fix's command (here the engine's deleteBuildPod) removes it.
    name: 'token expires mid-build (401 from then on)', outcome: 'failed', reasons: ['Unauthorized'], message: /Watching the build pod \S+: .*401 Unauthorized.*token may have expired/,
    fix: /Log in again.*Then delete the build pod: kubectl delete pod \S+ -n builds/,
    dockerfile: SLOW,
    during: { phase: 'build', act: (s) => { s.faults.expireToken(s.tokens.admin); s.faults.expireWatches(); } },
    afterwards: async (s, result) => {
      if (result.podName && result.namespace) await deleteBuildPod({ kubeconfig: s.kubeconfigPath }, result.namespace, result.podName);
    },
  },
  {
    name: 'registry refusing credentials', outcome: 'failed', reasons: ['PushUnauthorized'], message: /UNAUTHORIZED/, fix: /create secret docker-registry/,
    request: (s) => ({ destinations: [`${s.registries.tls.host}/faults/denied:v1`], secretName: 'regcred', extraArgs: ['--skip-tls-verify'] }),
    arm: (s) => s.faults.rejectRegistryCredentials(true),
  },
  {
    name: 'registry presenting an unknown certificate (x509) at push', outcome: 'failed', reasons: ['PushCertificate'], message: /x509/, fix: /--registry-certificate/,
    request: (s) => ({ destinations: [`${s.registries.untrusted.host}/faults/x509:v1`], secretName: 'regcred', extraArgs: [] }),
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
  const contextDir = await makeContext({ Dockerfile: c.dockerfile ?? `FROM ${BUSYBOX}\nCOPY . /app/\n`, 'blob.bin': randomBytes(256 * 1024) });
  const problems: string[] = [];
  let result: BuildResult | undefined;
  try {
    await c.arm?.(sandbox);
    const request: BuildRequest = {
      dockerfile: join(contextDir, 'Dockerfile'), contextDir, kube: { kubeconfig: sandbox.kubeconfigPath },
      destinations: [`${sandbox.registries.plain.host}/faults/app:v1`], secretName: '', extraArgs: ['--insecure'], ...(await c.request?.(sandbox)),
    };
    let acted = false;
    const onEvent = (event: BuildEvent, session: BuildSession): void => {
      const pod = session.snapshot().pod;
      if (!c.during || acted || !pod || event.type !== 'phase' || event.phase !== c.during.phase || event.state !== 'running') return;
      acted = true;
      void Promise.resolve(c.during.act(sandbox, pod)).catch((error: unknown) => problems.push(`the fault could not be applied: ${String(error)}`));
    };
    const build = run(request, onEvent);
    result = await build.result;
    problems.push(...checkResult(c, result));
    if (c.during && !acted) problems.push(`the build never reached ${c.during.phase}`);
    if (c.verify) problems.push(...(await c.verify(sandbox, build.events, result)));
  } catch (error) {
    problems.push(`threw: ${String(error)}`);
  } finally {
    await sandbox.faults.reset();
    sandbox.registries.failPushes(0);
    await rm(contextDir, { recursive: true, force: true });
  }
  if (c.afterwards && result) await c.afterwards(sandbox, result).catch((error: unknown) => problems.push(`the step after the fault failed: ${String(error)}`));
  problems.push(...(await leftovers(sandbox, secretsBefore, 10_000)));
  return { name: c.name, ...(result ? { result } : {}), problems };
}

function checkResult(c: FaultCase, result: BuildResult): string[] {
  const problems: string[] = [];
  const said = `(${result.reason}: ${result.message}${result.fix ? ` / fix: ${result.fix}` : ''})`;
  if (result.outcome !== c.outcome) problems.push(`outcome ${result.outcome}, expected ${c.outcome} ${said}`);
  if (c.reasons && !c.reasons.includes(result.reason as NonNullable<BuildResult['reason']>)) problems.push(`reason ${result.reason}, expected ${c.reasons.join(' or ')} ${said}`);
  if (result.message.trim() === '') problems.push('empty message');
  if (c.message && !c.message.test(result.message)) problems.push(`message does not match ${c.message}: ${result.message}`);
  if (c.fix && !c.fix.test(result.fix ?? '')) problems.push(`fix does not match ${c.fix}: ${result.fix ?? '(none)'}`);
  return problems;
}
