// The `kaniko.*` settings as one typed value, and the mapping from a build profile to the engine's BuildRequest.
// The right-click command and the `kaniko` task both go through `toBuildRequest`, so they build the same thing.
import type { ProxyEnvironment } from '../core/kube/proxy-from-environment.ts';
import type { BuildRequest, CleanupPolicy } from '../core/build/model.ts';
import type { ContextRootRule } from '../core/context/resolve-dir.ts';

export interface KanikoSettings {
  readonly executorImage: string;
  readonly initImage: string;
  readonly namespace: string;
  readonly kubeconfig: string;
  readonly kubeContext: string;
  readonly serviceAccount: string;
  readonly secretName: string;
  readonly contextRoot: ContextRootRule;
  readonly defaultRegistry: string;
  readonly extraExecutorArgs: readonly string[];
  readonly buildArgs: Readonly<Record<string, string>>;
  readonly cache: boolean;
  readonly cacheRepo: string;
  readonly resources: BuildRequest['resources'];
  readonly deadlineSeconds: number;
  readonly scheduleTimeoutSeconds: number;
  readonly cleanupPolicy: CleanupPolicy;
  readonly keepFailedMinutes: number;
  readonly compressionLevel: number;
  readonly contextSizeWarningMb: number;
  readonly historySize: number;
  /** VS Code's http.proxy and http.noProxy, when a proxy is set there. */
  readonly proxy?: ProxyEnvironment;
}

/** What a single build asks for on top of the settings: from the command's prompts or a task definition. */
export interface BuildProfile {
  readonly dockerfile: string;
  readonly contextDir: string;
  readonly destinations: readonly string[];
  readonly buildArgs?: Readonly<Record<string, string>>;
  readonly target?: string;
  readonly namespace?: string;
  readonly extraArgs?: readonly string[];
  /** Name of an existing docker-registry secret to mount; undefined pushes without credentials. */
  readonly secretName?: string;
  readonly openshiftInternalRegistry?: boolean;
}

const orUndefined = (value: string): string | undefined => (value.trim() === '' ? undefined : value.trim());

export function toBuildRequest(settings: KanikoSettings, profile: BuildProfile): BuildRequest {
  const buildArgs = { ...settings.buildArgs, ...profile.buildArgs };
  const extraArgs = [...settings.extraExecutorArgs, ...(profile.extraArgs ?? [])];
  const kube = {
    kubeconfig: orUndefined(settings.kubeconfig),
    context: orUndefined(settings.kubeContext),
    namespace: orUndefined(profile.namespace ?? '') ?? orUndefined(settings.namespace),
    ...(settings.proxy ? { proxy: settings.proxy } : {}),
  };
  return {
    dockerfile: profile.dockerfile,
    contextDir: profile.contextDir,
    destinations: [...profile.destinations],
    buildArgs: Object.keys(buildArgs).length > 0 ? buildArgs : undefined,
    target: orUndefined(profile.target ?? ''),
    kube,
    secretName: profile.openshiftInternalRegistry ? undefined : profile.secretName,
    openshiftInternalRegistry: profile.openshiftInternalRegistry || undefined,
    executorImage: orUndefined(settings.executorImage),
    initImage: orUndefined(settings.initImage),
    serviceAccount: orUndefined(settings.serviceAccount),
    extraArgs: extraArgs.length > 0 ? extraArgs : undefined,
    cache: settings.cache ? { enabled: true, repo: orUndefined(settings.cacheRepo) } : undefined,
    resources: settings.resources,
    deadlineSeconds: settings.deadlineSeconds > 0 ? settings.deadlineSeconds : undefined,
    scheduleTimeoutSeconds: settings.scheduleTimeoutSeconds,
    cleanup: { policy: settings.cleanupPolicy, keepFailedMinutes: settings.keepFailedMinutes },
    compressionLevel: settings.compressionLevel,
  };
}

/** The `kaniko` task definition, as written in tasks.json. */
export interface KanikoTaskDefinition {
  readonly type: 'kaniko';
  readonly dockerfile: string;
  readonly context?: string;
  readonly destinations: readonly string[];
  readonly buildArgs?: Readonly<Record<string, string>>;
  readonly target?: string;
  readonly namespace?: string;
  readonly extraArgs?: readonly string[];
}
