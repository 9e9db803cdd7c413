// What an update may change in a pod's spec, as kube-apiserver's ValidatePodUpdate rules it
// (k8s.io/kubernetes pkg/apis/core/validation/validation.go): container and init-container images, a deadline that is
// set or shortened, tolerations that are only added; any other spec change is Forbidden.
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../contract.ts';
import type { JsonObject } from './json.ts';
import { invalid } from './status.ts';

const MAX_INT32 = 2 ** 31 - 1;
const FORBIDDEN =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,' +
  '`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

type Containers = JsonObject[] | undefined;

/** The new containers with the old images: images are the one container field an update may change. */
function withOldImages(next: Containers, old: Containers): Containers {
  return next?.map((container, index) => ({ ...container, image: old?.[index]?.image }));
}

/** Throws the 422 a real API server answers; returns the spec to store. */
export function validatePodUpdate(old: KubeObject, next: KubeObject): JsonObject {
  const name = old.metadata.name;
  const oldSpec = (old.spec ?? {}) as JsonObject;
  const newSpec = (next.spec ?? {}) as JsonObject;
  const field = 'spec.activeDeadlineSeconds';
  const oldDeadline = oldSpec.activeDeadlineSeconds as number | undefined;
  const newDeadline = newSpec.activeDeadlineSeconds as number | undefined;
  if (newDeadline !== undefined && newDeadline !== null) {
    if (newDeadline < 0 || newDeadline > MAX_INT32)
      throw invalid('Pod', name, [{ reason: 'FieldValueInvalid', field, message: `Invalid value: ${newDeadline}: must be between 0 and ${MAX_INT32}, inclusive` }]);
    if (oldDeadline !== undefined && oldDeadline < newDeadline)
      throw invalid('Pod', name, [{ reason: 'FieldValueInvalid', field, message: `Invalid value: ${newDeadline}: must be less than or equal to previous value` }]);
  } else if (oldDeadline !== undefined) {
    throw invalid('Pod', name, [{ reason: 'FieldValueInvalid', field, message: 'Invalid value: "null": must not update from a positive integer to nil value' }]);
  }
  const oldTolerations = (oldSpec.tolerations ?? []) as unknown[];
  const newTolerations = (newSpec.tolerations ?? []) as unknown[];
  const tolerationsOnlyAdded = oldTolerations.every((toleration) => newTolerations.some((candidate) => isDeepStrictEqual(candidate, toleration)));
  // validation.go munges the fields an update may change back to their old values, then compares the rest.
  const munged: JsonObject = {
    ...newSpec,
    containers: withOldImages(newSpec.containers as Containers, oldSpec.containers as Containers),
    ...(newSpec.initContainers ? { initContainers: withOldImages(newSpec.initContainers as Containers, oldSpec.initContainers as Containers) } : {}),
    activeDeadlineSeconds: oldDeadline,
    tolerations: oldSpec.tolerations,
  };
  const compared = (spec: JsonObject): JsonObject => JSON.parse(JSON.stringify(spec)) as JsonObject; // drops undefined fields
  if (!tolerationsOnlyAdded || !isDeepStrictEqual(compared(munged), compared(oldSpec))) throw invalid('Pod', name, [{ reason: 'FieldValueForbidden', field: 'spec', message: `Forbidden: ${FORBIDDEN}` }]);
  return newSpec;
}
