// A failed build as the session reports it: reason, plain words and a fix.
import type { BuildResult, FailureReason } from './model.ts';

export interface Failure {
  readonly reason: FailureReason;
  readonly message: string;
  readonly fix?: string;
  readonly exitCode?: number;
}

export class BuildFailure extends Error {
  readonly failure: Failure;
  constructor(failure: Failure) {
    super(failure.message);
    this.name = 'BuildFailure';
    this.failure = failure;
  }
}

export function failedResult(failure: Failure, pod?: { namespace: string; name: string }): BuildResult {
  return {
    outcome: 'failed',
    reason: failure.reason,
    message: failure.message,
    ...(failure.fix ? { fix: failure.fix } : {}),
    ...(pod ? { podName: pod.name, namespace: pod.namespace } : {}),
  };
}
