// What the API server does to an object on create before storing it: defaulting and validation
// (422 with the real field paths), and on OpenShift the SCC check for pods.
import type { KubeObject } from '../contract.ts';
import type { JsonObject } from './json.ts';
import type { StatusCause } from './status.ts';
import { forbidden, invalid, required } from './status.ts';

const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function defaultContainer(container: JsonObject): void {
  container.terminationMessagePath ??= '/dev/termination-log';
  container.terminationMessagePolicy ??= 'File';
  container.resources ??= {};
  const tagged = /:[^/]+$/.test(container.image ?? '') && !/:latest$/.test(container.image ?? '');
  container.imagePullPolicy ??= tagged || /@sha256:/.test(container.image ?? '') ? 'IfNotPresent' : 'Always';
}

function defaultVolumes(volumes: JsonObject[]): void {
  for (const volume of volumes) {
    if (volume.secret) volume.secret.defaultMode ??= 0o644;
    if (volume.configMap) volume.configMap.defaultMode ??= 0o644;
  }
}

export function defaultPod(pod: KubeObject): void {
  const spec = (pod.spec ??= {});
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.serviceAccountName ??= spec.serviceAccount ?? 'default';
  spec.serviceAccount ??= spec.serviceAccountName;
  spec.schedulerName ??= 'default-scheduler';
  spec.securityContext ??= {};
  spec.enableServiceLinks ??= true;
  for (const container of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) defaultContainer(container);
  defaultVolumes(spec.volumes ?? []);
  pod.status = { phase: 'Pending', qosClass: 'BestEffort' };
}

function containerCauses(list: JsonObject[] | undefined, path: string, seen: Set<string>): StatusCause[] {
  const causes: StatusCause[] = [];
  for (const [index, container] of (list ?? []).entries()) {
    const at = `${path}[${index}]`;
    if (!container.name) causes.push(required(`${at}.name`));
    else if (!dns1123Label.test(container.name)) causes.push({ reason: 'FieldValueInvalid', message: `Invalid value: "${container.name}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character`, field: `${at}.name` });
    else if (seen.has(container.name)) causes.push({ reason: 'FieldValueDuplicate', message: `Duplicate value: "${container.name}"`, field: `${at}.name` });
    if (container.name) seen.add(container.name);
    if (!container.image) causes.push(required(`${at}.image`));
  }
  return causes;
}

function nameCauses(object: KubeObject): StatusCause[] {
  const name = object.metadata.name;
  if (!name) return [required('metadata.name')];
  if (!dns1123Subdomain.test(name) || name.length > 253)
    return [{ reason: 'FieldValueInvalid', message: `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`, field: 'metadata.name' }];
  return [];
}

export function validatePod(pod: KubeObject): void {
  const seen = new Set<string>();
  const causes = [...nameCauses(pod), ...containerCauses(pod.spec?.initContainers, 'spec.initContainers', seen)];
  if (!(pod.spec?.containers ?? []).length) causes.push(required('spec.containers'));
  causes.push(...containerCauses(pod.spec?.containers, 'spec.containers', seen));
  if (causes.length) throw invalid('Pod', pod.metadata.name ?? '', causes);
}

const dockerKeys: Record<string, string> = { 'kubernetes.io/dockerconfigjson': '.dockerconfigjson', 'kubernetes.io/dockercfg': '.dockercfg' };

/** Folds stringData into data and checks the typed secrets whose content the API server checks. */
export function admitSecret(secret: KubeObject): void {
  secret.type ??= 'Opaque';
  if (secret.stringData) {
    secret.data ??= {};
    for (const [key, value] of Object.entries(secret.stringData)) secret.data[key] = Buffer.from(String(value)).toString('base64');
    delete secret.stringData;
  }
  const causes = nameCauses(secret);
  const key = dockerKeys[secret.type];
  const content = key ? secret.data?.[key] : undefined;
  if (key && content === undefined) causes.push(required(`data[${key}]`));
  else if (key) {
    try {
      JSON.parse(Buffer.from(content, 'base64').toString('utf8'));
    } catch (error) {
      causes.push({ reason: 'FieldValueInvalid', message: `Invalid value: "<secret contents redacted>": ${(error as Error).message}`, field: `data[${key}]` });
    }
  }
  if (causes.length) throw invalid('Secret', secret.metadata.name ?? '', causes);
}

export function validateNamed(kind: string, object: KubeObject): void {
  const causes = nameCauses(object);
  if (causes.length) throw invalid(kind, object.metadata.name ?? '', causes);
}

/** The namespace's UID range as OpenShift allocates it (annotation openshift.io/sa.scc.uid-range, 1000660000/10000). */
const UID_RANGE = { first: 1000660000, size: 10000 };
const inRange = (uid: number): boolean => uid >= UID_RANGE.first && uid < UID_RANGE.first + UID_RANGE.size;

/**
 * OpenShift's SCC admission (openshift/apiserver-library-go, sccadmission/admission.go and sccmatching/provider.go)
 * with the two SCCs that matter for a build: anyuid (RunAsAny, usable once granted) is tried first and takes the pod
 * as it is; restricted-v2 (MustRunAsRange) assigns the namespace's first UID to every container that asks for none,
 * and refuses a container that asks for a UID outside the range, root included. The pod records the SCC that
 * admitted it in the openshift.io/scc annotation. The refusal lists every provider tried, as OpenShift's does.
 */
export function admitSecurityContext(pod: KubeObject, anyuid: boolean): string {
  if (anyuid) return 'anyuid';
  const initCount = (pod.spec?.initContainers ?? []).length;
  const podUid = pod.spec?.securityContext?.runAsUser as number | undefined;
  const all: JsonObject[] = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  const offenders = all.flatMap((container, index) => {
    const uid = (container.securityContext?.runAsUser as number | undefined) ?? podUid;
    if (uid === undefined || inRange(uid)) return [];
    const where = index < initCount ? `initContainers[${index}]` : `containers[${index - initCount}]`;
    return [`provider restricted-v2: .${where}.runAsUser: Invalid value: ${uid}: must be in the ranges: [${UID_RANGE.first}, ${UID_RANGE.first + UID_RANGE.size - 1}]`];
  });
  if (offenders.length) {
    const unusable = (name: string): string => `provider "${name}": Forbidden: not usable by user or serviceaccount`;
    const providers = [unusable('anyuid'), ...offenders, unusable('restricted'), unusable('nonroot-v2'), unusable('nonroot'), unusable('hostmount-anyuid'), unusable('hostnetwork-v2'), unusable('hostnetwork'), unusable('hostaccess'), unusable('privileged')];
    const name = pod.metadata.name || pod.metadata.generateName || '';
    throw forbidden('pods', name, `unable to validate against any security context constraint: [${providers.join(', ')}]`);
  }
  // MustRunAsRange: a container that names no UID (itself or through the pod) gets the range's first.
  for (const container of all) {
    if ((container.securityContext?.runAsUser ?? podUid) === undefined) container.securityContext = { ...container.securityContext, runAsUser: UID_RANGE.first };
  }
  return 'restricted-v2';
}
