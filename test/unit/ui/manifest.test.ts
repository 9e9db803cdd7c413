import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../../../', import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const nls = JSON.parse(readFileSync(join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;
const commands = manifest.contributes.commands as Array<{ command: string; title: string; category: string; enablement?: string }>;

test('every command is in the Kaniko category with a translated title', () => {
  for (const command of commands) {
    assert.equal(command.category, '%kaniko.category%', command.command);
    assert.ok(nls[command.title.slice(1, -1)], command.command);
  }
  assert.equal(nls['kaniko.build.title'], 'Build with kaniko on OpenShift');
});

test('untrusted workspaces: limited support, build commands disabled there but one left in the palette to explain why', () => {
  assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
  assert.match(nls[manifest.capabilities.untrustedWorkspaces.description.slice(1, -1)], /RUN/);
  for (const id of ['kaniko.build', 'kaniko.rebuildLast', 'kaniko.tree.rebuild']) {
    assert.equal(commands.find((c) => c.command === id)?.enablement, 'isWorkspaceTrusted', id);
  }
  // Kaniko: Build Image… stays runnable from the palette: in an untrusted workspace it says why it does not build.
  assert.equal(commands.find((c) => c.command === 'kaniko.buildImage')?.enablement, undefined);
  const palette = manifest.contributes.menus.commandPalette as Array<{ command: string; when?: string }>;
  assert.ok(!palette.some((entry) => entry.command === 'kaniko.buildImage' && entry.when), 'kaniko.buildImage is always in the palette');
});

test('the task type declares the profile fields the task provider reads', () => {
  const [definition] = manifest.contributes.taskDefinitions;
  assert.equal(definition.type, 'kaniko');
  assert.deepEqual(Object.keys(definition.properties).sort(), ['buildArgs', 'context', 'destinations', 'dockerfile', 'extraArgs', 'namespace', 'target']);
  assert.deepEqual(definition.required, ['dockerfile', 'destinations']);
});

test('the view, its container and the walkthrough point at files that exist', () => {
  const [container] = manifest.contributes.viewsContainers.activitybar;
  assert.equal(container.id, 'kaniko');
  assert.ok(existsSync(join(root, container.icon)));
  assert.equal(manifest.contributes.views.kaniko[0].id, 'kaniko.builds');
  assert.ok(existsSync(join(root, manifest.icon)));
  const steps = manifest.contributes.walkthroughs[0].steps as Array<{ media: { markdown: string }; completionEvents: string[] }>;
  assert.equal(steps.length, 3);
  for (const step of steps) {
    assert.ok(existsSync(join(root, step.media.markdown)), step.media.markdown);
    for (const event of step.completionEvents) assert.ok(commands.some((c) => `onCommand:${c.command}` === event), event);
  }
});

test('the marketplace icon is a 128×128 PNG', () => {
  const png = readFileSync(join(root, manifest.icon));
  assert.equal(png.subarray(1, 4).toString(), 'PNG');
  assert.equal(png.readUInt32BE(16), 128);
  assert.equal(png.readUInt32BE(20), 128);
});
