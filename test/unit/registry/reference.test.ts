import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseImageReference, validateImageReference } from '../../../src/core/registry/reference.ts';

const valid: Array<[string, string]> = [
  ['alpine', 'docker.io/library/alpine'],
  ['alpine:3.19', 'docker.io/library/alpine:3.19'],
  ['user/app:v1', 'docker.io/user/app:v1'],
  ['index.docker.io/user/app', 'docker.io/user/app'],
  ['localhost/app', 'localhost/app'],
  ['localhost:5000/app:latest', 'localhost:5000/app:latest'],
  ['127.0.0.1:5000/team/app', '127.0.0.1:5000/team/app'],
  ['quay.io/org/my_app__x.y-z:1.0.0-rc1', 'quay.io/org/my_app__x.y-z:1.0.0-rc1'],
  ['image-registry.openshift-image-registry.svc:5000/ns/app:latest', 'image-registry.openshift-image-registry.svc:5000/ns/app:latest'],
  ['[::1]:5000/app', '[::1]:5000/app'],
  [`ghcr.io/o/a@sha256:${'a'.repeat(64)}`, `ghcr.io/o/a@sha256:${'a'.repeat(64)}`],
  [`ghcr.io/o/a:t@sha256:${'b'.repeat(64)}`, `ghcr.io/o/a:t@sha256:${'b'.repeat(64)}`],
];

for (const [input, normalized] of valid) {
  test(`valid reference ${input}`, () => {
    assert.equal(parseImageReference(input).normalized, normalized);
    assert.equal(validateImageReference(input), undefined);
  });
}

const invalid: Array<[string, RegExp]> = [
  ['', /empty/],
  ['my app', /white space/],
  ['docker.io/User/App', /lower case.*user\/app/],
  ['quay.io/org/app:', /not a valid tag/],
  ['quay.io/org/app:-bad', /not a valid tag/],
  [`app:${'x'.repeat(129)}`, /not a valid tag/],
  ['quay.io//app', /empty path component/],
  ['quay.io/app/', /empty path component/],
  ['quay.io/-app', /not a valid repository path component/],
  ['quay.io/a..b', /not a valid repository path component/],
  ['app@sha256:abc', /not a valid digest/],
  [`app@sha256:${'A'.repeat(64)}`, /64 lower-case hex/],
  ['bad_host.io:5000/app', /not a valid registry host/],
  ['host:port/app', /not a valid tag|registry host/],
];

for (const [input, message] of invalid) {
  test(`invalid reference ${JSON.stringify(input).slice(0, 40)}`, () => {
    assert.throws(() => parseImageReference(input), message);
    assert.match(validateImageReference(input) ?? '', message);
  });
}

test('upper-case first component is a registry host (normalize.go rule)', () => {
  const ref = parseImageReference('Registry/app');
  assert.equal(ref.domain, 'Registry');
  assert.equal(ref.path, 'app');
});

test('parts of a reference', () => {
  const ref = parseImageReference('localhost:5000/team/app:v2');
  assert.deepEqual([ref.domain, ref.path, ref.tag, ref.digest], ['localhost:5000', 'team/app', 'v2', undefined]);
});
