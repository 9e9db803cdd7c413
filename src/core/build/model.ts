// The contract between the build engine and its front ends (VS Code layer, CLI, tasks).
import type { ProxyEnvironment } from '../kube/proxy-from-environment.ts';
import type { ContextSummary } from '../context/model.ts';

/** The phases of one build, in order. */
export const PHASES = ['package', 'preflight', 'createPod', 'schedule', 'upload', 'build', 'push'] as const;
export type PhaseId = (typeof PHASES)[number];
export type PhaseState = 'pending' | 'running' | 'done' | 'failed' | 'skipped' | 'cancelled';

export type CleanupPolicy = 'delete' | 'keepFailed' | 'keep';

/** Where and how to reach the cluster; empty means kubectl's current context. */
export interface KubeTarget {
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly namespace?: string;
  /** Proxies in place of HTTPS_PROXY/NO_PROXY (VS Code's http.proxy); a kubeconfig's proxy-url still wins. */
  readonly proxy?: ProxyEnvironment;
}

/** One build, as the user asked for it (the profile shared by command, task and CLI). */
export interface BuildRequest {
  readonly dockerfile: string;
  readonly contextDir: string;
  readonly destinations: readonly string[];
  readonly buildArgs?: Readonly<Record<string, string>>;
  readonly target?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly kube?: KubeTarget;
  /** Name of the docker-registry secret to mount; default `regcred`. */
  readonly secretName?: string;
  /** On OpenShift: push to the internal registry with a builder token instead of a secret. */
  readonly openshiftInternalRegistry?: boolean;
  readonly executorImage?: string;
  readonly initImage?: string;
  readonly serviceAccount?: string;
  readonly extraArgs?: readonly string[];
  readonly cache?: { readonly enabled: boolean; readonly repo?: string };
  readonly resources?: { readonly requests?: Readonly<Record<string, string>>; readonly limits?: Readonly<Record<string, string>> };
  readonly deadlineSeconds?: number;
  /** How long a pod the scheduler cannot place may wait before the build fails (default 300). */
  readonly scheduleTimeoutSeconds?: number;
  readonly cleanup?: { readonly policy: CleanupPolicy; readonly keepFailedMinutes?: number };
  readonly compressionLevel?: number;
}

/** A Dockerfile instruction as kaniko runs it. */
export interface BuildStep {
  readonly index: number;
  readonly stage: number;
  readonly instruction: string;
  /** 1-based line in the Dockerfile, when it could be matched. */
  readonly line?: number;
  readonly state: 'running' | 'done' | 'failed';
  readonly cached: boolean;
  readonly startedAt: number;
  readonly finishedAt?: number;
}

/** Why a build failed, in a form a front end can offer a fix for. */
export type FailureReason =
  | 'BadInput'
  | 'KubeconfigInvalid'
  | 'ClusterUnreachable'
  | 'Unauthorized'
  | 'Forbidden'
  | 'SecurityContextConstraint'
  | 'SecretMissing'
  | 'InitImagePullFailed'
  | 'ExecutorImagePullFailed'
  | 'UploadFailed'
  | 'DockerfileNotInContext'
  | 'RunFailed'
  | 'PushUnauthorized'
  | 'PushCertificate'
  | 'PushRegistryUnreachable'
  | 'PushInsecureRegistry'
  | 'DeadlineExceeded'
  | 'Unschedulable'
  | 'OOMKilled'
  | 'PodDeleted'
  | 'PodEvicted'
  | 'NodeLost'
  | 'BuildFailed';

export interface BuildResult {
  readonly outcome: 'succeeded' | 'failed' | 'cancelled';
  /** Plain words, never containing credentials. */
  readonly message: string;
  readonly reason?: FailureReason;
  /** A command or action that fixes the failure, e.g. `oc adm policy add-scc-to-user anyuid -z builder -n ns`. */
  readonly fix?: string;
  readonly images?: ReadonlyArray<{ readonly reference: string; readonly digest: string }>;
  readonly digest?: string;
  readonly failedStep?: BuildStep & { readonly exitCode?: number };
  readonly podName?: string;
  readonly namespace?: string;
}

export type BuildEvent =
  | { readonly type: 'phase'; readonly phase: PhaseId; readonly state: PhaseState; readonly detail?: string }
  | { readonly type: 'progress'; readonly phase: 'package' | 'upload'; readonly bytes: number; readonly totalBytes?: number; readonly files?: number }
  | { readonly type: 'summary'; readonly summary: ContextSummary }
  | { readonly type: 'pod'; readonly namespace: string; readonly name: string }
  | { readonly type: 'log'; readonly source: 'kaniko' | 'engine'; readonly line: string }
  | { readonly type: 'step'; readonly step: BuildStep }
  | { readonly type: 'result'; readonly result: BuildResult };

/** The current state of a build, derivable from its events. */
export interface BuildSnapshot {
  readonly id: string;
  readonly request: BuildRequest;
  readonly startedAt: number;
  readonly phases: Readonly<Record<PhaseId, { readonly state: PhaseState; readonly startedAt?: number; readonly finishedAt?: number; readonly detail?: string }>>;
  readonly steps: readonly BuildStep[];
  readonly summary?: ContextSummary;
  readonly pod?: { readonly namespace: string; readonly name: string };
  readonly result?: BuildResult;
}

export interface BuildSession {
  readonly id: string;
  snapshot(): BuildSnapshot;
  /** Returns an unsubscribe function. */
  onEvent(listener: (event: BuildEvent) => void): () => void;
  /** Deletes the pod at once, whatever the phase. */
  cancel(): Promise<void>;
  readonly done: Promise<BuildResult>;
}
