// A new build, phase by phase: package → preflight → createPod → schedule → upload → build → push.
// Cancel aborts whatever runs and deletes the pod at once; the cleanup policy applies at the end.
import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { ContextError, summarizeContext } from '../context/index.ts';
import type { ContextSource } from '../context/index.ts';
import { parseDockerfile } from '../dockerfile/parse.ts';
import type { ParsedDockerfile } from '../dockerfile/parse.ts';
import { KubeGateway } from '../kube/gateway.ts';
import { connect } from '../kube/kubeconfig.ts';
import type { KubeConnection } from '../kube/kubeconfig.ts';
import { classifyPod, initFinished, unschedulableFailure, unschedulableReason } from './classify.ts';
import { cleanUpPod } from './cleanup.ts';
import { BUILD_ID_LABEL, DEFAULT_SCHEDULE_TIMEOUT_SECONDS, DEFAULT_SECRET_NAME } from './defaults.ts';
import { INTERNAL_REGISTRY_RIGHTS, createInternalRegistrySecret, internalSecretName } from './internalRegistry.ts';
import { parseImageReference } from '../registry/reference.ts';
import { BuildFailure } from './failure.ts';
import type { BuildRequest, BuildResult, PhaseId } from './model.ts';
import { monitorBuild, podGone } from './monitor.ts';
import { resultOf } from './outcome.ts';
import { buildPodManifest } from './podSpec.ts';
import { PodTracker } from './podTracker.ts';
import { apiFailure, preflight, sccFix } from './preflight.ts';
import type { PreflightResult } from './preflight.ts';
import { Session, SessionState } from './session.ts';
import { uploadContext } from './upload.ts';
import { slowUploadHint } from './upload-hint.ts';
import { secretArgsWarning } from './secret-args.ts';

class BuildFlow {
  readonly state: SessionState;
  #gateway: KubeGateway | undefined;
  #tracker: PodTracker | undefined;
  #cancelled = false;

  constructor(state: SessionState) {
    this.state = state;
  }

  async cancel(): Promise<void> {
    if (this.state.result || this.#cancelled) return;
    this.#cancelled = true;
    this.state.log('Cancelling: deleting the build pod.');
    this.state.abort.abort(new Error('cancelled'));
    const pod = this.state.pod;
    if (pod && this.#gateway) await this.#gateway.deletePod(pod.namespace, pod.name).catch(() => undefined);
  }

  async run(): Promise<BuildResult> {
    // Start on the next turn so the caller can subscribe before the first event.
    await new Promise((resolve) => setImmediate(resolve));
    let result: BuildResult;
    try {
      result = await this.#phases();
    } catch (error) {
      result = resultOf(error, this.#cancelled, this.state.pod);
    }
    this.#tracker?.stop();
    const pod = this.state.pod;
    if (pod && this.#gateway) {
      await cleanUpPod(this.#gateway, pod, this.state.request, result, (line) => this.state.log(line));
    }
    return this.state.finish(result);
  }

  /** Starts a phase unless the build was cancelled meanwhile. */
  #enter(phase: PhaseId): void {
    this.state.abort.signal.throwIfAborted();
    this.state.phase(phase, 'running');
  }

  /** Ends a phase; a cancel that arrived while it ran wins over its success. */
  #leave(phase: PhaseId, detail?: string): void {
    this.state.abort.signal.throwIfAborted();
    this.state.phase(phase, 'done', detail);
  }

  /**
   * Waits until kaniko-init runs. The scheduler's reason for not placing the pod shows in the phase at once; a pod no
   * node took within `timeoutSeconds` fails the build (activeDeadlineSeconds counts only once a pod has started).
   */
  async #scheduled(tracker: PodTracker, timeoutSeconds: number): Promise<void> {
    const { state } = this;
    const signal = state.abort.signal;
    let shown: string | undefined;
    const waiting = (t: PodTracker): true | undefined => {
      if (t.deleted) throw podGone();
      if (!t.pod) return undefined;
      const verdict = classifyPod(t.pod, [], state.request.destinations);
      if (verdict.state === 'failed') throw new BuildFailure(verdict.failure);
      const why = unschedulableReason(t.pod);
      if (why && why !== shown) state.phase('schedule', 'running', (shown = why));
      return verdict.state === 'initRunning' ? true : undefined;
    };
    const timeout = AbortSignal.timeout(timeoutSeconds * 1000);
    try {
      await tracker.until(waiting, AbortSignal.any([signal, timeout]));
    } catch (error) {
      if (signal.aborted || !timeout.aborted) throw error;
      // Scheduled in time: whatever slows it now (an image pull) has its own verdicts.
      if (tracker.pod?.spec?.nodeName) {
        await tracker.until(waiting, signal);
        return;
      }
      throw new BuildFailure(unschedulableFailure(tracker.pod ?? { metadata: { name: state.pod?.name ?? '', namespace: state.pod?.namespace ?? '' } }, timeoutSeconds));
    }
  }

  async #check(): Promise<{ connection: KubeConnection; gateway: KubeGateway; checked: PreflightResult }> {
    const { request } = this.state;
    const connection = connect(request.kube ?? {});
    const gateway = new KubeGateway(connection);
    this.#gateway = gateway;
    const internal = request.openshiftInternalRegistry === true;
    const secretName = internal || request.secretName === '' ? undefined : request.secretName ?? DEFAULT_SECRET_NAME;
    const checked = await preflight(gateway, {
      namespace: connection.namespace, destinations: request.destinations, secretName, secretRequired: request.secretName !== undefined,
      signal: this.state.abort.signal, extraRights: internal ? INTERNAL_REGISTRY_RIGHTS : [],
    });
    if (internal && !checked.openshift) {
      throw new BuildFailure({ reason: 'BadInput', message: 'Pushing to the internal registry without a secret needs an OpenShift cluster; this one is not.', fix: 'Name a registry secret instead.' });
    }
    return { connection, gateway, checked };
  }

  async #phases(): Promise<BuildResult> {
    const { state } = this;
    const { request } = state;
    const signal = state.abort.signal;
    const source: ContextSource = { contextDir: request.contextDir, dockerfile: request.dockerfile };

    // The cluster checks run while the context is walked; their results are reported in phase order.
    const checking = this.#check();
    checking.catch(() => undefined);

    state.phase('package', 'running');
    const secretArgs = secretArgsWarning(request.buildArgs);
    if (secretArgs) state.log(secretArgs);
    const summary = await summarizeContext(source, { signal, onWarning: (w) => state.log(w) });
    state.summary = summary;
    state.emit({ type: 'summary', summary });
    const parsed = await readDockerfile(request.dockerfile);
    this.#leave('package', `${summary.files} files, ${summary.bytes} bytes`);

    this.#enter('preflight');
    const { connection, gateway, checked } = await checking;
    const namespace = connection.namespace;
    const internal = request.openshiftInternalRegistry === true;
    checked.warnings.forEach((w) => state.log(w));
    const registryHost = parseImageReference(request.destinations[0]).domain;
    this.#leave('preflight', `${connection.context} / ${namespace}${checked.openshift ? ' (OpenShift)' : ''}`);

    this.#enter('createPod');
    const manifest = buildPodManifest({
      request, buildId: state.id, dockerfileInArchive: summary.dockerfileInArchive,
      ...(internal ? { secretName: internalSecretName(state.id), serviceCaRegistry: registryHost } : { secretName: checked.secretName }),
    });
    signal.throwIfAborted();
    const created = await gateway.createPod(namespace, manifest, { adoptSelector: `${BUILD_ID_LABEL}=${state.id}` }).catch((error: unknown) => {
      const failure = apiFailure(error, checked.openshift ? 'oc' : 'kubectl', 'Creating the build pod');
      throw new BuildFailure(failure.reason === 'SecurityContextConstraint' ? { ...failure, fix: sccFix(request.serviceAccount, namespace) } : failure);
    });
    state.setPod(namespace, String(created.metadata.name));
    if (internal) {
      // The pod waits for its secret volume; the secret is owned by the pod and goes with it.
      await createInternalRegistrySecret(gateway, namespace, internalSecretName(state.id), created, registryHost).catch((error: unknown) => {
        throw new BuildFailure(apiFailure(error, 'oc', 'Creating the internal-registry credentials'));
      });
    }
    // A cancel that raced with the create must still remove the pod.
    if (this.#cancelled) await gateway.deletePod(namespace, String(created.metadata.name));
    signal.throwIfAborted();
    this.#leave('createPod', String(created.metadata.name));

    this.#enter('schedule');
    const tracker = new PodTracker(connection, namespace, String(created.metadata.name));
    this.#tracker = tracker;
    await this.#scheduled(tracker, request.scheduleTimeoutSeconds ?? DEFAULT_SCHEDULE_TIMEOUT_SECONDS);
    this.#leave('schedule');

    this.#enter('upload');
    const uploaded = await uploadContext(connection, namespace, String(created.metadata.name), source, {
      signal,
      compressionLevel: request.compressionLevel,
      onProgress: (bytes, files) => state.emit({ type: 'progress', phase: 'upload', bytes, files }),
      waitForInit: () => tracker.until((t) => {
        if (t.deleted) throw podGone();
        if (t.pod && initFinished(t.pod)) return true;
        const verdict = t.pod ? classifyPod(t.pod, [], request.destinations) : undefined;
        if (verdict?.state === 'failed') throw new BuildFailure(verdict.failure);
        return verdict?.state === 'building' || verdict?.state === 'succeeded' ? true : undefined;
      }, signal).then(() => undefined),
    }).catch((error: unknown) => explainUploadError(error, tracker, request.destinations, signal));
    const uploadSeconds = (Date.now() - (state.phases.upload.startedAt ?? Date.now())) / 1000;
    const hint = slowUploadHint(uploaded.compressionLevel, uploaded.sentBytes, uploadSeconds);
    if (hint) state.log(hint);
    this.#leave('upload', `${uploaded.sentBytes} bytes (${uploaded.protocol})`);
    return monitorBuild(state, connection, tracker, parsed);
  }
}

/**
 * An upload that broke is usually a symptom: the pod was deleted, or kaniko-init died. Give the pod's
 * state a moment to arrive and report that cause; otherwise it is an upload failure. A ContextError
 * (a file vanished or unreadable) is the cause itself: kaniko-init then dies of the cut-off archive.
 */
async function explainUploadError(error: unknown, tracker: PodTracker, destinations: readonly string[], signal: AbortSignal): Promise<never> {
  if (signal.aborted || error instanceof ContextError) throw error;
  const cause = await Promise.race([
    tracker.until((t) => {
      if (t.deleted) return podGone();
      const verdict = t.pod ? classifyPod(t.pod, [], destinations) : undefined;
      return verdict?.state === 'failed' ? new BuildFailure(verdict.failure) : undefined;
    }, signal).catch(() => undefined),
    new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 2000).unref()),
  ]);
  if (cause) throw cause;
  if (error instanceof BuildFailure) throw error;
  throw new BuildFailure({ reason: 'UploadFailed', message: `Sending the build context failed: ${(error as Error).message}`, fix: 'Retry the build; if it repeats, check the network path to the cluster.' });
}

async function readDockerfile(path: string): Promise<ParsedDockerfile | undefined> {
  try {
    return parseDockerfile(await readFile(path, 'utf8'));
  } catch {
    return undefined;
  }
}

export function startBuild(request: BuildRequest): Session {
  const state = new SessionState(request, randomUUID().slice(0, 8));
  const flow = new BuildFlow(state);
  return new Session(state, flow.run(), () => flow.cancel());
}
