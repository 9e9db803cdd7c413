// The seed recipe's pod: kaniko-init receives the context into a shared emptyDir, then kaniko builds
// from exactly that layout. Credentials only ever arrive through the mounted secret.
import { posix } from 'node:path';
import { fullyQualified } from '../registry/reference.ts';
import type { BuildRequest } from './model.ts';
import {
  ANNOTATION_CONTEXT, ANNOTATION_DESTINATIONS, ANNOTATION_DOCKERFILE, BUILD_ID_LABEL, COMPLETE_MARKER, CONTEXT_MOUNT,
  DEFAULT_DEADLINE_SECONDS, DEFAULT_EXECUTOR_IMAGE, DEFAULT_INIT_IMAGE, DEFAULT_INIT_TIMEOUT_SECONDS, INIT_CONTAINER,
  KANIKO_CONTAINER, MANAGED_BY_LABEL, MANAGED_BY_VALUE, RC_FILE,
} from './defaults.ts';

export interface PodSpecInput {
  readonly request: BuildRequest;
  readonly buildId: string;
  /** The Dockerfile's POSIX path inside the archive, e.g. `app/Dockerfile`. */
  readonly dockerfileInArchive: string;
  /** The docker-registry secret to mount, or undefined to push anonymously. */
  readonly secretName?: string;
  readonly initTimeoutSeconds?: number;
  /** OpenShift: trust the service CA (ConfigMap openshift-service-ca.crt) for this registry host. */
  readonly serviceCaRegistry?: string;
}

export const SERVICE_CA_CONFIGMAP = 'openshift-service-ca.crt';
const SERVICE_CA_DIR = '/kaniko/service-ca';

export type PodManifest = { apiVersion: 'v1'; kind: 'Pod'; metadata: Record<string, unknown>; spec: Record<string, unknown> };

/** DNS-1123 label from a folder name, for generateName (`kaniko-<folder>-`). */
export function podNamePrefix(contextDir: string): string {
  const base = posix.basename(contextDir.replace(/\\/g, '/').replace(/\/+$/, ''));
  const clean = base.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40).replace(/-+$/, '');
  return `kaniko-${clean || 'build'}-`;
}

/** The executor's argv, each value its own entry (never through a shell). */
export function kanikoArgs(input: PodSpecInput): string[] {
  const { request } = input;
  const args = [
    `--dockerfile=${posix.join(CONTEXT_MOUNT, input.dockerfileInArchive)}`,
    `--context=dir://${CONTEXT_MOUNT}`,
    ...request.destinations.map((d) => `--destination=${d}`),
    '--digest-file=/dev/termination-log',
  ];
  for (const [key, value] of Object.entries(request.buildArgs ?? {})) args.push(`--build-arg=${key}=${value}`);
  if (request.target) args.push(`--target=${request.target}`);
  for (const [key, value] of Object.entries(request.labels ?? {})) args.push(`--label=${key}=${value}`);
  if (input.serviceCaRegistry) args.push(`--registry-certificate=${input.serviceCaRegistry}=${SERVICE_CA_DIR}/service-ca.crt`);
  if (request.cache?.enabled) {
    args.push('--cache=true');
    if (request.cache.repo) args.push(`--cache-repo=${request.cache.repo}`);
  }
  args.push(...(request.extraArgs ?? []));
  return args;
}

function initScript(timeoutSeconds: number): string {
  // Poll five times a second so the build starts promptly after the upload. The upload's shell writes
  // tar's exit code to RC_FILE; a non-zero one means an incomplete context, which must never reach kaniko.
  const ticks = timeoutSeconds * 5;
  return [
    'i=0',
    `while [ ! -f ${COMPLETE_MARKER} ]; do`,
    `  if [ -f ${RC_FILE} ] && [ "$(cat ${RC_FILE})" != 0 ]; then echo "kaniko-init: the build context arrived incomplete (tar exit code $(cat ${RC_FILE}))." >&2; exit 1; fi`,
    `  i=$((i+1)); if [ "$i" -gt ${ticks} ]; then echo "kaniko-init: the build context did not arrive within ${timeoutSeconds}s; giving up." >&2; exit 1; fi`,
    '  sleep 0.2',
    'done',
  ].join('\n');
}

/**
 * Short names in settings are qualified as Docker does: CRI-O 1.34+ refuses them. A name that does not parse goes
 * to the cluster unchanged, whose InvalidImageName ends the build with the image named.
 */
const qualified = (image: string): string => fullyQualified(image) ?? image;

export function buildPodManifest(input: PodSpecInput): PodManifest {
  const { request } = input;
  const contextVolume = { name: 'build-context', mountPath: CONTEXT_MOUNT };
  const kanikoMounts: Array<Record<string, unknown>> = [contextVolume];
  const volumes: Array<Record<string, unknown>> = [{ name: 'build-context', emptyDir: {} }];
  if (input.secretName) {
    kanikoMounts.push({ name: 'registry-credentials', mountPath: '/kaniko/.docker', readOnly: true });
    volumes.push({ name: 'registry-credentials', secret: { secretName: input.secretName, items: [{ key: '.dockerconfigjson', path: 'config.json' }] } });
  }
  if (input.serviceCaRegistry) {
    kanikoMounts.push({ name: 'service-ca', mountPath: SERVICE_CA_DIR, readOnly: true });
    volumes.push({ name: 'service-ca', configMap: { name: SERVICE_CA_CONFIGMAP, items: [{ key: 'service-ca.crt', path: 'service-ca.crt' }] } });
  }
  const resources = request.resources ? { resources: { ...request.resources } } : {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: podNamePrefix(request.contextDir),
      labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [BUILD_ID_LABEL]: input.buildId },
      annotations: {
        [ANNOTATION_DOCKERFILE]: input.dockerfileInArchive,
        [ANNOTATION_DESTINATIONS]: JSON.stringify(request.destinations),
        [ANNOTATION_CONTEXT]: posix.basename(request.contextDir.replace(/\\/g, '/')),
      },
    },
    spec: {
      restartPolicy: 'Never',
      activeDeadlineSeconds: request.deadlineSeconds ?? DEFAULT_DEADLINE_SECONDS,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      ...(request.serviceAccount ? { serviceAccountName: request.serviceAccount } : {}),
      initContainers: [
        {
          name: INIT_CONTAINER,
          image: qualified(request.initImage ?? DEFAULT_INIT_IMAGE),
          command: ['sh', '-c', initScript(input.initTimeoutSeconds ?? DEFAULT_INIT_TIMEOUT_SECONDS)],
          volumeMounts: [contextVolume],
          securityContext: { privileged: false },
        },
      ],
      containers: [
        {
          name: KANIKO_CONTAINER,
          image: qualified(request.executorImage ?? DEFAULT_EXECUTOR_IMAGE),
          args: kanikoArgs(input),
          volumeMounts: kanikoMounts,
          // kaniko unpacks images onto / and must be root. Asked for explicitly: OpenShift's restricted SCC would
          // otherwise admit the pod with a UID of the namespace's range, and kaniko would fail later on permissions.
          securityContext: { privileged: false, runAsUser: 0 },
          terminationMessagePolicy: 'File',
          ...resources,
        },
      ],
      volumes,
    },
  };
}
