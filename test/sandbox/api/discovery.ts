// Discovery documents (/version, /api, /api/v1, /apis, /apis/G/V). kubectl also asks for the aggregated
// apidiscovery.k8s.io/v2 form; client-go reads the plain form when the answer's Content-Type is plain JSON.
import type { KubeObject } from '../contract.ts';

interface ResourceEntry {
  name: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  group?: string;
  version?: string;
}

const crud = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

const core: ResourceEntry[] = [
  { name: 'configmaps', kind: 'ConfigMap', namespaced: true, verbs: crud, shortNames: ['cm'] },
  { name: 'events', kind: 'Event', namespaced: true, verbs: crud, shortNames: ['ev'] },
  { name: 'namespaces', kind: 'Namespace', namespaced: false, verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['ns'] },
  { name: 'pods', kind: 'Pod', namespaced: true, verbs: crud, shortNames: ['po'], categories: ['all'] },
  { name: 'pods/exec', kind: 'PodExecOptions', namespaced: true, verbs: ['create', 'get'] },
  { name: 'pods/log', kind: 'Pod', namespaced: true, verbs: ['get'] },
  { name: 'pods/status', kind: 'Pod', namespaced: true, verbs: ['get', 'patch', 'update'] },
  { name: 'secrets', kind: 'Secret', namespaced: true, verbs: crud },
  { name: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true, verbs: crud, shortNames: ['sa'] },
  { name: 'serviceaccounts/token', kind: 'TokenRequest', namespaced: true, verbs: ['create'], group: 'authentication.k8s.io', version: 'v1' },
];

const groups: Record<string, ResourceEntry[]> = {
  'authorization.k8s.io': [{ name: 'selfsubjectaccessreviews', kind: 'SelfSubjectAccessReview', namespaced: false, verbs: ['create'] }],
  'authentication.k8s.io': [{ name: 'selfsubjectreviews', kind: 'SelfSubjectReview', namespaced: false, verbs: ['create'] }],
};

const openshiftGroups: Record<string, ResourceEntry[]> = {
  'image.openshift.io': [
    { name: 'imagestreams', kind: 'ImageStream', namespaced: true, verbs: crud, shortNames: ['is'] },
    { name: 'imagestreamtags', kind: 'ImageStreamTag', namespaced: true, verbs: ['create', 'delete', 'get', 'list', 'patch', 'update'], shortNames: ['istag'] },
  ],
  'route.openshift.io': [{ name: 'routes', kind: 'Route', namespaced: true, verbs: crud }],
  'security.openshift.io': [{ name: 'securitycontextconstraints', kind: 'SecurityContextConstraints', namespaced: false, verbs: crud, shortNames: ['scc'] }],
};

function resourceList(groupVersion: string, entries: ResourceEntry[]): KubeObject {
  const resources = entries.map(({ name, kind, namespaced, verbs, shortNames, categories, group, version }) => ({
    name,
    singularName: name.includes('/') ? '' : kind.toLowerCase(),
    namespaced,
    kind,
    verbs,
    ...(group ? { group, version } : {}),
    ...(shortNames ? { shortNames } : {}),
    ...(categories ? { categories } : {}),
  }));
  return { kind: 'APIResourceList', apiVersion: 'v1', metadata: {}, groupVersion, resources };
}

export class Discovery {
  readonly #groups: Record<string, ResourceEntry[]>;
  readonly #address: () => string;

  constructor(openshift: boolean, address: () => string) {
    this.#groups = openshift ? { ...groups, ...openshiftGroups } : groups;
    this.#address = address;
  }

  get openshift(): boolean {
    return 'image.openshift.io' in this.#groups;
  }

  /** The discovery document for a path, or undefined when the path is not a discovery path. */
  document(path: string): KubeObject | undefined {
    const trimmed = path.replace(/\/+$/, '');
    if (trimmed === '/version') return versionInfo();
    if (trimmed === '/api') return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: this.#address() }] } as unknown as KubeObject;
    if (trimmed === '/api/v1') return resourceList('v1', core);
    if (trimmed === '/apis') return { kind: 'APIGroupList', apiVersion: 'v1', groups: Object.keys(this.#groups).map(groupEntry) } as unknown as KubeObject;
    const match = /^\/apis\/([^/]+)(?:\/(v1))?$/.exec(trimmed);
    const entries = match && this.#groups[match[1]];
    if (!match || !entries) return undefined;
    return match[2] ? resourceList(`${match[1]}/v1`, entries) : ({ kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(match[1]) } as unknown as KubeObject);
  }
}

function groupEntry(name: string): Record<string, unknown> {
  const version = { groupVersion: `${name}/v1`, version: 'v1' };
  return { name, versions: [version], preferredVersion: version };
}

function versionInfo(): KubeObject {
  return {
    major: '1',
    minor: '32',
    gitVersion: 'v1.32.4-sandbox',
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2025-04-22T00:00:00Z',
    goVersion: 'go1.23.8',
    compiler: 'gc',
    platform: 'linux/amd64',
  } as unknown as KubeObject;
}
