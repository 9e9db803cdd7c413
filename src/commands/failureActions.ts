// Which fix a failure notification offers, by the engine's failure reason.
import type { BuildResult } from '../core/build/model.ts';

const COMMAND = /^(oc|kubectl)\s/;

export type FailureAction = 'showLog' | 'copyFix' | 'createSecret' | 'openSettings' | 'selectContext' | 'openDockerfile' | 'rebuild';

export function failureActions(result: BuildResult): FailureAction[] {
  const actions: FailureAction[] = [];
  switch (result.reason) {
    case 'SecretMissing':
    case 'PushUnauthorized':
      actions.push('createSecret');
      break;
    case 'KubeconfigInvalid':
    case 'ClusterUnreachable':
    case 'Unauthorized':
      actions.push('selectContext');
      break;
    case 'InitImagePullFailed':
    case 'ExecutorImagePullFailed':
    case 'DeadlineExceeded':
    case 'OOMKilled':
    case 'PushCertificate':
    case 'PushInsecureRegistry':
    case 'Unschedulable':
    case 'BadInput':
      actions.push('openSettings');
      break;
    // The cluster lost the build, not the Dockerfile: the same build again usually works.
    case 'NodeLost':
    case 'UploadFailed':
      actions.push('rebuild');
      break;
    // Evicted under the node's memory or disk pressure: more requested resources place it where there is room.
    case 'PodEvicted':
      actions.push('openSettings', 'rebuild');
      break;
    case 'RunFailed':
    case 'DockerfileNotInContext':
      if (result.failedStep?.line !== undefined) actions.push('openDockerfile');
      break;
    default:
      break;
  }
  // A fix command (e.g. `oc adm policy add-scc-to-user …`) is offered whatever the reason; advice in words is
  // already part of the notification's text.
  if (result.fix && COMMAND.test(result.fix)) actions.unshift('copyFix');
  actions.push('showLog');
  return actions;
}

/** The setting most likely to fix a failure, for the Open Settings button. */
export function settingFor(result: BuildResult): string {
  switch (result.reason) {
    case 'InitImagePullFailed': return 'kaniko.initImage';
    case 'ExecutorImagePullFailed': return 'kaniko.executorImage';
    case 'DeadlineExceeded': return 'kaniko.deadlineSeconds';
    case 'OOMKilled':
    case 'Unschedulable':
    case 'PodEvicted': return 'kaniko.resources';
    case 'PushCertificate':
    case 'PushInsecureRegistry': return 'kaniko.extraExecutorArgs';
    default: return 'kaniko';
  }
}

const HEADLINE_MAX = 200;

/** The first sentence of an engine message, for a notification (the whole message is in the log). */
export function headline(message: string): string {
  const sentence = /^(.{20,}?[.!?])(\s|$)/s.exec(message)?.[1] ?? message;
  return sentence.length <= HEADLINE_MAX ? sentence : `${sentence.slice(0, HEADLINE_MAX - 1).trimEnd()}…`;
}
