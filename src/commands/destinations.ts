// Where the image goes. Pure: the suggestions for the destination prompt, never a registry the user did not name or configure.
import { basename, dirname } from 'node:path';

export const OPENSHIFT_INTERNAL_REGISTRY = 'image-registry.openshift-image-registry.svc:5000';

/** A repository name from the Dockerfile's folder: lower case, only the characters a path component allows. */
export function repositoryNameFor(dockerfile: string): string {
  const name = basename(dirname(dockerfile)).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return name || 'app';
}

/** The computed default: the OpenShift internal registry of the namespace, else under `kaniko.defaultRegistry`, else none. */
export function defaultDestination(dockerfile: string, cluster: { openshift: boolean; namespace: string } | undefined, defaultRegistry: string): string | undefined {
  const name = repositoryNameFor(dockerfile);
  if (cluster?.openshift && cluster.namespace) return `${OPENSHIFT_INTERNAL_REGISTRY}/${cluster.namespace}/${name}:latest`;
  const prefix = defaultRegistry.trim().replace(/\/+$/, '');
  return prefix ? `${prefix}/${name}:latest` : undefined;
}

/** Destinations typed in one box: separated by commas or spaces. */
export function splitDestinations(text: string): string[] {
  return text.split(/[\s,]+/).filter((part) => part.length > 0);
}

/** Remembers the last destinations per Dockerfile, most recent first, at most `limit`. */
export function rememberDestinations(previous: readonly string[], used: readonly string[], limit = 5): string[] {
  const joined = used.join(', ');
  return [joined, ...previous.filter((entry) => entry !== joined)].slice(0, limit);
}

export function isOpenShiftInternal(destination: string): boolean {
  return destination.startsWith(`${OPENSHIFT_INTERNAL_REGISTRY}/`);
}
