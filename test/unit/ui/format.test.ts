import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatBytes, formatDuration, formatSpeed, imageShortName, shortDigest, stripAnsi } from '../../../src/format.ts';

test('sizes', () => {
  assert.equal(formatBytes(0), '0 B');
  assert.equal(formatBytes(1023), '1023 B');
  assert.equal(formatBytes(1536), '1.5 KB');
  assert.equal(formatBytes(250 * 1024 * 1024), '250 MB');
  assert.equal(formatBytes(3 * 1024 ** 3), '3.0 GB');
});

test('durations', () => {
  assert.equal(formatDuration(420), '420 ms');
  assert.equal(formatDuration(4200), '4.2 s');
  assert.equal(formatDuration(42_000), '42 s');
  assert.equal(formatDuration(125_000), '2m 05s');
  assert.equal(formatDuration(2 * 3600_000 + 7 * 60_000), '2h 07m');
  assert.equal(formatDuration(-5), '0 ms');
});

test('speed', () => {
  assert.equal(formatSpeed(10 * 1024 * 1024, 2000), '5.0 MB/s');
  assert.equal(formatSpeed(100, 0), '');
});

test('digests and image names', () => {
  assert.equal(shortDigest(`sha256:${'0123456789abcdef'.repeat(4)}`), 'sha256:01234567');
  assert.equal(imageShortName('registry:5000/team/myapp:1.0'), 'myapp');
  assert.equal(imageShortName('image-registry.openshift-image-registry.svc:5000/ns/web@sha256:abc'), 'web');
  assert.equal(imageShortName('alpine'), 'alpine');
});

test('ANSI colour is removed from kaniko lines', () => {
  assert.equal(stripAnsi('\u001b[36mINFO\u001b[0m[0005] Pushing image'), 'INFO[0005] Pushing image');
  assert.equal(stripAnsi('plain'), 'plain');
});
