// Checks before anything is created: the cluster answers, the user has the rights a build needs,
// the registry secret is usable and the destinations are valid. Each failure names the fix.
import type { KubeGateway } from '../kube/gateway.ts';
import { KubeError, KubeconfigError } from '../kube/errors.ts';
import type { AccessCheck } from '../kube/gateway.ts';
import { parseImageReference } from '../registry/reference.ts';
import { BuildFailure } from './failure.ts';
import type { Failure } from './failure.ts';

export interface PreflightInput {
  readonly namespace: string;
  readonly destinations: readonly string[];
  /** The secret to mount; undefined for none. */
  readonly secretName?: string;
  /** True when the secret was named by the user (missing = error) rather than the default (missing = push anonymously). */
  readonly secretRequired: boolean;
  /** Rights needed beyond a normal build's (e.g. creating the internal-registry secret). */
  readonly extraRights?: readonly AccessCheck[];
  readonly signal?: AbortSignal;
}

export interface PreflightResult {
  readonly openshift: boolean;
  /** The secret to mount, after the default one was found missing or present. */
  readonly secretName?: string;
  readonly warnings: readonly string[];
}

const BUILD_RIGHTS: readonly AccessCheck[] = [
  { verb: 'create', resource: 'pods' },
  { verb: 'get', resource: 'pods' },
  { verb: 'delete', resource: 'pods' },
  { verb: 'create', resource: 'pods', subresource: 'exec' },
  { verb: 'get', resource: 'pods', subresource: 'exec' },
  { verb: 'get', resource: 'pods', subresource: 'log' },
];

// Kubernetes' name rules (RFC 1123): checked here so a typo gets a clear message instead of a 404 or a bad fix command.
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function checkNames(namespace: string, secretName: string | undefined): void {
  if (namespace.length > 63 || !DNS_LABEL.test(namespace)) {
    throw new BuildFailure({ reason: 'BadInput', message: `The namespace "${namespace}" is not a valid Kubernetes name (lower-case letters, digits and '-', at most 63).`, fix: 'Choose an existing namespace (kubectl get namespaces) in the kaniko.namespace setting.' });
  }
  if (secretName !== undefined && (secretName.length > 253 || !DNS_SUBDOMAIN.test(secretName))) {
    throw new BuildFailure({ reason: 'BadInput', message: `The secret name "${secretName}" is not a valid Kubernetes name (lower-case letters, digits, '-' and '.').`, fix: 'Correct the kaniko.secretName setting, e.g. regcred.' });
  }
}

/** Maps an API error to what the user should do about it. */
export function apiFailure(error: unknown, cli: string, what: string): Failure {
  if (error instanceof BuildFailure) return error.failure;
  if (error instanceof KubeconfigError) return { reason: 'KubeconfigInvalid', message: error.message, ...(error.fix ? { fix: error.fix } : {}) };
  if (error instanceof KubeError) {
    if (error.status === 401 || error.reason === 'AuthenticationFailed') {
      // The transport's fix names the credential source; `oc login` is the way back on OpenShift whatever it was.
      return { reason: 'Unauthorized', message: `${what}: ${error.message}`, fix: cli === 'oc' ? 'oc login <server>' : (error.fix ?? 'Log in again to refresh your credentials (e.g. your cloud CLI or kubectl oidc-login).') };
    }
    if (error.status === 403 && /security context constraint/.test(error.message)) {
      return { reason: 'SecurityContextConstraint', message: `OpenShift refused the build pod: kaniko must run as root and the service account may not. ${error.message}` };
    }
    if (error.status === 403) return { reason: 'Forbidden', message: `${what}: ${error.message}`, ...(error.fix ? { fix: error.fix } : {}) };
    if (error.status === 0 || error.status >= 500) return { reason: 'ClusterUnreachable', message: `${what}: ${error.message}`, fix: error.fix ?? 'Check your network/VPN and the cluster, then retry.' };
    return { reason: 'BuildFailed', message: `${what}: ${error.message}` };
  }
  return { reason: 'BuildFailed', message: `${what}: ${(error as Error).message}` };
}

function rightName(check: AccessCheck): string {
  return `${check.verb} ${check.resource}${check.subresource ? `/${check.subresource}` : ''}`;
}

export async function preflight(gateway: KubeGateway, input: PreflightInput): Promise<PreflightResult> {
  const { namespace, signal } = input;
  checkNames(namespace, input.secretName);
  for (const destination of input.destinations) {
    try {
      parseImageReference(destination);
    } catch (error) {
      throw new BuildFailure({ reason: 'BadInput', message: `The destination "${destination}" is not a valid image reference: ${(error as Error).message}` });
    }
  }
  if (input.destinations.length === 0) throw new BuildFailure({ reason: 'BadInput', message: 'No destination image was given.', fix: 'Name at least one destination, e.g. registry.example.com/team/app:latest.' });

  const openshift = await gateway.version(signal).then(() => gateway.isOpenShift(signal)).catch((error: unknown) => {
    throw new BuildFailure(apiFailure(error, 'kubectl', `The API server ${gateway.connection.cluster.server} (context ${gateway.connection.context})`));
  });
  const cli = openshift ? 'oc' : 'kubectl';

  const secretName = input.secretName;
  const rights = [...BUILD_RIGHTS, ...(secretName ? [{ verb: 'get', resource: 'secrets', name: secretName }] : []), ...(input.extraRights ?? [])];
  const answers = await Promise.all(rights.map((check) => gateway.canI(namespace, check, signal).catch((error: unknown) => {
    throw new BuildFailure(apiFailure(error, cli, 'Checking your rights'));
  })));
  const missing = rights.filter((_, i) => !answers[i].allowed).map(rightName);
  if (missing.length > 0) {
    throw new BuildFailure({
      reason: 'Forbidden',
      message: `You may not ${missing.join(', ')} in namespace ${namespace}; a build needs these rights.`,
      fix: openshift
        ? `oc adm policy add-role-to-user edit $(oc whoami) -n ${namespace}`
        : `kubectl create rolebinding kaniko-build --clusterrole=edit --user=$(kubectl auth whoami -o jsonpath='{.status.userInfo.username}') -n ${namespace}`,
    });
  }

  const warnings: string[] = [];
  let mounted: string | undefined;
  if (secretName) {
    const registry = parseImageReference(input.destinations[0]).domain;
    const createFix = `${cli} create secret docker-registry ${secretName} --docker-server=${registry} --docker-username=<user> --docker-password=<password> -n ${namespace}`;
    const secret = await gateway.getSecret(namespace, secretName, signal).catch((error: unknown) => {
      throw new BuildFailure(apiFailure(error, cli, `Reading the secret ${secretName}`));
    });
    if (!secret && input.secretRequired) {
      throw new BuildFailure({ reason: 'SecretMissing', message: `The registry secret "${secretName}" does not exist in namespace ${namespace}.`, fix: createFix });
    }
    if (secret && !secret.data?.['.dockerconfigjson']) {
      throw new BuildFailure({
        reason: 'SecretMissing',
        message: `The secret "${secretName}" has no .dockerconfigjson key (type ${String(secret.type ?? 'unknown')}); kaniko needs a docker-registry secret.`,
        fix: createFix,
      });
    }
    if (secret) mounted = secretName;
    else warnings.push(`No registry secret "${secretName}" in ${namespace}: pushing without credentials.`);
  }
  return { openshift, warnings, ...(mounted ? { secretName: mounted } : {}) };
}

export function sccFix(serviceAccount: string | undefined, namespace: string): string {
  return `oc adm policy add-scc-to-user anyuid -z ${serviceAccount ?? 'default'} -n ${namespace}`;
}
