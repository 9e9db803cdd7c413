import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { toBuildRequest } from '../../../src/config/settings.ts';
import type { KanikoSettings } from '../../../src/config/settings.ts';
import { taskProfile } from '../../../src/tasks/taskProfile.ts';

const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));

/** The defaults exactly as package.json declares them. */
function defaults(): KanikoSettings {
  const properties = manifest.contributes.configuration.properties as Record<string, { default: unknown }>;
  return Object.fromEntries(Object.entries(properties).map(([key, schema]) => [key.replace('kaniko.', ''), schema.default])) as unknown as KanikoSettings;
}

test('every setting of KanikoSettings is declared with a default and a description', () => {
  const properties = manifest.contributes.configuration.properties as Record<string, { default: unknown; markdownDescription?: string }>;
  assert.equal(Object.keys(properties).length, 21);
  for (const [key, schema] of Object.entries(properties)) {
    assert.notEqual(schema.default, undefined, key);
    assert.match(schema.markdownDescription ?? '', /^%kaniko\.config\.\w+%$/, key);
  }
  assert.equal(properties['kaniko.secretName'].default, 'regcred');
});

test('defaults give a minimal request: empty strings leave the engine its defaults', () => {
  const request = toBuildRequest(defaults(), { dockerfile: '/ws/Dockerfile', contextDir: '/ws', destinations: ['quay.io/me/app:1'], secretName: 'regcred' });
  assert.deepEqual(request.kube, { kubeconfig: undefined, context: undefined, namespace: undefined });
  assert.equal(request.executorImage, undefined);
  assert.equal(request.buildArgs, undefined);
  assert.equal(request.extraArgs, undefined);
  assert.equal(request.cache, undefined);
  assert.equal(request.secretName, 'regcred');
  assert.deepEqual(request.cleanup, { policy: 'delete', keepFailedMinutes: 30 });
  assert.equal(request.compressionLevel, 0);
  assert.equal(request.deadlineSeconds, 1800);
});

test('profile values win over settings; lists are concatenated', () => {
  const settings = { ...defaults(), namespace: 'team', buildArgs: { A: '1', B: '2' }, extraExecutorArgs: ['--skip-unused-stages'], cache: true, cacheRepo: 'quay.io/me/cache', kubeContext: 'prod' };
  const request = toBuildRequest(settings, { dockerfile: '/ws/Dockerfile', contextDir: '/ws', destinations: ['a/b:1'], buildArgs: { B: 'x; rm -rf /' }, namespace: 'other', extraArgs: ['--reproducible'], target: 'final' });
  assert.deepEqual(request.buildArgs, { A: '1', B: 'x; rm -rf /' });
  assert.deepEqual(request.extraArgs, ['--skip-unused-stages', '--reproducible']);
  assert.equal(request.kube?.namespace, 'other');
  assert.equal(request.kube?.context, 'prod');
  assert.deepEqual(request.cache, { enabled: true, repo: 'quay.io/me/cache' });
  assert.equal(request.target, 'final');
});

test('the OpenShift internal registry replaces the secret', () => {
  const request = toBuildRequest(defaults(), { dockerfile: '/ws/Dockerfile', contextDir: '/ws', destinations: ['x/y:1'], secretName: 'regcred', openshiftInternalRegistry: true });
  assert.equal(request.secretName, undefined);
  assert.equal(request.openshiftInternalRegistry, true);
});

test('a task definition maps to the same request as the command would build', () => {
  const settings = defaults();
  const profile = taskProfile({ type: 'kaniko', dockerfile: 'app/Dockerfile', destinations: ['quay.io/me/app:1'], buildArgs: { V: '2' }, namespace: 'ns1' }, '/ws', settings.contextRoot);
  assert.equal(profile.dockerfile, '/ws/app/Dockerfile');
  assert.equal(profile.contextDir, '/ws', 'default contextRoot is the workspace folder');
  const fromTask = toBuildRequest(settings, { ...profile, secretName: 'regcred' });
  const fromCommand = toBuildRequest(settings, { dockerfile: '/ws/app/Dockerfile', contextDir: '/ws', destinations: ['quay.io/me/app:1'], buildArgs: { V: '2' }, namespace: 'ns1', secretName: 'regcred' });
  assert.deepEqual(fromTask, fromCommand);
  assert.equal(taskProfile({ type: 'kaniko', dockerfile: 'app/Dockerfile', context: '.', destinations: ['a/b'] }, '/ws', 'dockerfileFolder').contextDir, '/ws');
  assert.equal(taskProfile({ type: 'kaniko', dockerfile: 'app/Dockerfile', destinations: ['a/b'] }, '/ws', 'dockerfileFolder').contextDir, '/ws/app');
});
