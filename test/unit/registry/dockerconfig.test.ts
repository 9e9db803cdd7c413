import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDockerConfigJson, registriesIn, toDockerConfigJson } from '../../../src/core/registry/dockerconfig.ts';

test('builds the same .dockerconfigjson as kubectl create secret docker-registry', () => {
  const config = buildDockerConfigJson({ server: 'quay.io', username: 'me', password: 'p@ss:word', email: 'me@example.com' });
  assert.deepEqual(config, {
    auths: { 'quay.io': { username: 'me', password: 'p@ss:word', email: 'me@example.com', auth: Buffer.from('me:p@ss:word').toString('base64') } },
  });
});

test('email is left out when not given', () => {
  const config = buildDockerConfigJson({ server: 'r:5000', username: 'u', password: 'p' });
  assert.equal('email' in config.auths['r:5000'], false);
});

test('converts a legacy .dockercfg to the auths form', () => {
  const legacy = JSON.stringify({ 'image-registry.openshift-image-registry.svc:5000': { username: 'serviceaccount', password: 'tok', auth: 'x', email: 'a@b' } });
  const config = toDockerConfigJson(legacy);
  assert.deepEqual(registriesIn(config), ['image-registry.openshift-image-registry.svc:5000']);
  assert.equal(config.auths['image-registry.openshift-image-registry.svc:5000'].password, 'tok');
});

test('keeps an auths config as it is', () => {
  const text = JSON.stringify({ auths: { a: { auth: 'eA==' } }, credsStore: 'x' });
  assert.deepEqual(toDockerConfigJson(text), { auths: { a: { auth: 'eA==' } } });
});

test('rejects text that is not a credentials object', () => {
  assert.throws(() => toDockerConfigJson('not json'), /not valid JSON/);
  assert.throws(() => toDockerConfigJson('[1]'), /not a JSON object/);
  assert.throws(() => toDockerConfigJson('{"auths": 3}'), /not an object/);
});
