import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildPodManifest, kanikoArgs, podNamePrefix } from '../../../src/core/build/podSpec.ts';
import type { BuildRequest } from '../../../src/core/build/model.ts';

interface Container { name: string; image: string; command?: string[]; args?: string[]; resources?: unknown; volumeMounts: unknown[]; securityContext?: { runAsUser?: number } }
interface Spec {
  restartPolicy: string; activeDeadlineSeconds: number; automountServiceAccountToken: boolean; serviceAccountName?: string; hostNetwork?: boolean;
  initContainers: Container[]; containers: Container[]; volumes: unknown[];
}
interface Meta { generateName: string; labels: Record<string, string>; annotations: Record<string, string> }

const request: BuildRequest = {
  dockerfile: '/home/me/My Project/app/Dockerfile',
  contextDir: '/home/me/My Project',
  destinations: ['registry.local:5000/team/app:v1', 'registry.local:5000/team/app:latest'],
  buildArgs: { VERSION: '1.0', EVIL: '$(rm -rf /); echo "x"\nnext' },
  target: 'final',
  labels: { 'org.opencontainers.image.source': 'here' },
  cache: { enabled: true, repo: 'registry.local:5000/team/cache' },
  extraArgs: ['--snapshot-mode=redo'],
  serviceAccount: 'builder',
  resources: { limits: { memory: '2Gi' } },
  deadlineSeconds: 900,
};

test('generateName is a DNS-1123 prefix from the context folder', () => {
  assert.equal(podNamePrefix('/home/me/My Project'), 'kaniko-my-project-');
  assert.equal(podNamePrefix('C:\\work\\Über_App\\'), 'kaniko-ber-app-');
  assert.equal(podNamePrefix('/'), 'kaniko-build-');
  assert.ok(podNamePrefix(`/x/${'a'.repeat(100)}`).length <= 'kaniko-'.length + 41);
});

test('executor args match the archive layout and carry every option as its own argv entry', () => {
  assert.deepEqual(kanikoArgs({ request, buildId: 'b1', dockerfileInArchive: 'app/Dockerfile' }), [
    '--dockerfile=/kaniko/build-context/app/Dockerfile',
    '--context=dir:///kaniko/build-context',
    '--destination=registry.local:5000/team/app:v1',
    '--destination=registry.local:5000/team/app:latest',
    '--digest-file=/dev/termination-log',
    '--build-arg=VERSION=1.0',
    '--build-arg=EVIL=$(rm -rf /); echo "x"\nnext',
    '--target=final',
    '--label=org.opencontainers.image.source=here',
    '--cache=true',
    '--cache-repo=registry.local:5000/team/cache',
    '--snapshot-mode=redo',
  ]);
});

test('the pod of the seed recipe, hardened', () => {
  const pod = buildPodManifest({ request, buildId: 'b1', dockerfileInArchive: 'app/Dockerfile', secretName: 'regcred' });
  const spec = pod.spec as unknown as Spec;
  const meta = pod.metadata as unknown as Meta;
  assert.equal(meta.generateName, 'kaniko-my-project-');
  assert.deepEqual(meta.labels, { 'app.kubernetes.io/managed-by': 'kaniko-build', 'kaniko-build/build-id': 'b1' });
  assert.deepEqual(JSON.parse(meta.annotations['kaniko-build/destinations']), request.destinations);
  assert.equal(spec.restartPolicy, 'Never');
  assert.equal(spec.activeDeadlineSeconds, 900);
  assert.equal(spec.automountServiceAccountToken, false);
  assert.equal(spec.serviceAccountName, 'builder');
  assert.equal(spec.hostNetwork, undefined);
  assert.ok(!JSON.stringify(spec).includes('hostPath'));
  assert.ok(!JSON.stringify(spec).includes('"privileged":true'));
  // Root asked for explicitly, so OpenShift's restricted SCC refuses the pod instead of assigning a UID.
  assert.equal(spec.containers[0].securityContext?.runAsUser, 0);
  const [init] = spec.initContainers;
  assert.equal(init.name, 'kaniko-init');
  assert.equal(init.image, 'docker.io/library/busybox:1.36');
  assert.deepEqual(init.command?.slice(0, 2), ['sh', '-c']);
  assert.match(init.command?.[2] ?? '', /\/tmp\/complete/);
  assert.deepEqual(init.volumeMounts, [{ name: 'build-context', mountPath: '/kaniko/build-context' }]);
  const [kaniko] = spec.containers;
  assert.equal(kaniko.name, 'kaniko');
  assert.match(kaniko.image, /^ghcr\.io\/osscontainertools\/kaniko:v\d+\.\d+\.\d+$/);
  assert.equal(kaniko.command, undefined, 'the image entrypoint runs, no shell');
  assert.deepEqual(kaniko.resources, { limits: { memory: '2Gi' } });
  assert.deepEqual(kaniko.volumeMounts[1], { name: 'registry-credentials', mountPath: '/kaniko/.docker', readOnly: true });
  assert.deepEqual(spec.volumes, [
    { name: 'build-context', emptyDir: {} },
    { name: 'registry-credentials', secret: { secretName: 'regcred', items: [{ key: '.dockerconfigjson', path: 'config.json' }] } },
  ]);
});

test('images are fully qualified, as CRI-O with short-name enforcement (OpenShift 4.21+) requires', () => {
  const spec = buildPodManifest({ request: { ...request, initImage: 'busybox:1.37', executorImage: 'martizih/kaniko:v1.27.6' }, buildId: 'b1', dockerfileInArchive: 'Dockerfile' }).spec as unknown as { initContainers: Container[]; containers: Container[] };
  assert.equal(spec.initContainers[0].image, 'docker.io/library/busybox:1.37');
  assert.equal(spec.containers[0].image, 'docker.io/martizih/kaniko:v1.27.6');
  const defaults = buildPodManifest({ request: { dockerfile: '/w/Dockerfile', contextDir: '/w', destinations: ['r.io/a:1'] }, buildId: 'b2', dockerfileInArchive: 'Dockerfile' }).spec as unknown as { initContainers: Container[]; containers: Container[] };
  assert.equal(defaults.initContainers[0].image, 'docker.io/library/busybox:1.36');
  assert.match(defaults.containers[0].image, /^ghcr\.io\/osscontainertools\/kaniko:v/);
});

test('no secret: nothing mounted at /kaniko/.docker', () => {
  const pod = buildPodManifest({ request: { ...request, serviceAccount: undefined }, buildId: 'b2', dockerfileInArchive: 'Dockerfile' });
  const spec = pod.spec as unknown as Spec;
  assert.equal(spec.volumes.length, 1);
  assert.equal(spec.containers[0].volumeMounts.length, 1);
  assert.equal('serviceAccountName' in spec, false);
});

test('no credentials anywhere in the spec', () => {
  const password = 'Sup3r-S3cret!';
  const pod = buildPodManifest({ request: { ...request, secretName: 'regcred' }, buildId: 'b3', dockerfileInArchive: 'Dockerfile', secretName: 'regcred' });
  const text = JSON.stringify(pod);
  assert.ok(!text.includes(password));
  assert.ok(!/password|auth"/i.test(text));
});

test('OpenShift internal registry: the service CA is mounted and passed to kaniko', () => {
  const registry = 'image-registry.openshift-image-registry.svc:5000';
  const pod = buildPodManifest({ request: { ...request, cache: undefined, extraArgs: [] }, buildId: 'b4', dockerfileInArchive: 'Dockerfile', secretName: 'kaniko-build-b4-registry', serviceCaRegistry: registry });
  const spec = pod.spec as unknown as Spec;
  assert.ok(spec.containers[0].args?.includes(`--registry-certificate=${registry}=/kaniko/service-ca/service-ca.crt`));
  assert.deepEqual(spec.volumes.at(-1), { name: 'service-ca', configMap: { name: 'openshift-service-ca.crt', items: [{ key: 'service-ca.crt', path: 'service-ca.crt' }] } });
});
