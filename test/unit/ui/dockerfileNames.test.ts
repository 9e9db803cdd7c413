import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DOCKERFILE_GLOB, DOCKERFILE_WHEN, isDockerfileName } from '../../../src/config/dockerfileNames.ts';

const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));

const SHOWN = ['Dockerfile', 'Containerfile', 'app.Dockerfile', 'Dockerfile.dev', 'x.containerfile', 'Dockerfile.prod.v2', 'api.dockerfile', 'Containerfile.arm64', 'base.Containerfile'];
const HIDDEN = ['README.md', 'Dockerfile.md', 'Dockerfile.txt', 'dockerfile.txt', 'Dockerfile.dev.md', 'MyDockerfile', 'Dockerfiles', 'docker-compose.yml', 'Dockerfile-old', 'Makefile', 'x.Dockerfile.bak'];

test('Dockerfile names are recognised', () => {
  for (const name of SHOWN) assert.equal(isDockerfileName(name), true, name);
});

test('other files are not', () => {
  for (const name of HIDDEN) assert.equal(isDockerfileName(name), false, name);
});

test('every Dockerfile menu entry uses the one tested when clause', () => {
  const menus = manifest.contributes.menus as Record<string, Array<{ command: string; when?: string }>>;
  const entries = Object.entries(menus).filter(([menu]) => menu !== 'commandPalette').flatMap(([, items]) => items).filter((item) => item.command === 'kaniko.build');
  assert.equal(entries.length, 4, 'explorer, editor title, editor title context, editor context');
  for (const entry of entries) assert.ok(entry.when?.endsWith(DOCKERFILE_WHEN), entry.when);
  assert.deepEqual(manifest.contributes.menus.commandPalette.find((item: { command: string }) => item.command === 'kaniko.build').when, DOCKERFILE_WHEN);
});

test('the when clause regex, as VS Code reads it, matches like isDockerfileName', () => {
  const source = /resourceFilename =~ \/(.*)\/\)$/.exec(DOCKERFILE_WHEN)?.[1];
  assert.ok(source);
  const regex = new RegExp(source);
  for (const name of SHOWN) assert.ok(regex.test(name), name);
  for (const name of HIDDEN) assert.ok(!regex.test(name), name);
});

test('activation is on the Dockerfile glob and the contributions only', () => {
  assert.deepEqual(manifest.activationEvents, [`workspaceContains:${DOCKERFILE_GLOB}`]);
});
