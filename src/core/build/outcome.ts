// Any error of a build flow, as the result a front end shows.
import { ContextError } from '../context/index.ts';
import { KubeconfigError } from '../kube/errors.ts';
import type { BuildResult } from './model.ts';
import { BuildFailure, failedResult } from './failure.ts';
import type { Failure } from './failure.ts';
import { apiFailure } from './preflight.ts';

export function failureOf(error: unknown): Failure {
  if (error instanceof BuildFailure) return error.failure;
  if (error instanceof ContextError) {
    return { reason: error.code === 'DockerfileOutsideContext' ? 'DockerfileNotInContext' : 'BadInput', message: error.message, fix: error.fix };
  }
  if (error instanceof KubeconfigError) return { reason: 'KubeconfigInvalid', message: error.message, ...(error.fix ? { fix: error.fix } : {}) };
  return apiFailure(error, 'kubectl', 'The build failed');
}

export function resultOf(error: unknown, cancelled: boolean, pod?: { namespace: string; name: string }): BuildResult {
  if (cancelled) return { outcome: 'cancelled', message: 'The build was cancelled.', ...(pod ? { podName: pod.name, namespace: pod.namespace } : {}) };
  return failedResult(failureOf(error), pod);
}
