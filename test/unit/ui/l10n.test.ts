import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../../../', import.meta.url).pathname;
const read = (path: string): string => readFileSync(join(root, path), 'utf8');

function uiSources(dir = 'src'): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return path === 'src/core' ? [] : uiSources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The literal first arguments of `t(…)` / `vscode.l10n.t(…)`; a non-literal would escape translation. */
function messages(source: string): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(/(?<![\w.])(?:vscode\.l10n\.)?t\(\s*(['"])((?:\\.|(?!\1).)*)\1/g)) {
    found.push(match[2].replace(/\\(.)/g, '$1'));
  }
  return found;
}

test('every runtime message has a Simplified Chinese translation, with the same placeholders', () => {
  const bundle = JSON.parse(read('l10n/bundle.l10n.zh-cn.json')) as Record<string, string>;
  const used = new Set(uiSources().flatMap((path) => messages(read(path))));
  assert.ok(used.size > 80, `found ${used.size} messages`);
  const missing = [...used].filter((message) => !(message in bundle));
  assert.deepEqual(missing, []);
  for (const [english, chinese] of Object.entries(bundle)) {
    assert.deepEqual((chinese.match(/\{\d+\}/g) ?? []).sort(), (english.match(/\{\d+\}/g) ?? []).sort(), english);
  }
  assert.deepEqual(Object.keys(bundle).filter((message) => !used.has(message)), [], 'no stale translations');
});

test('package.nls files have the same keys, and the manifest uses only those keys', () => {
  const en = JSON.parse(read('package.nls.json')) as Record<string, string>;
  const zh = JSON.parse(read('package.nls.zh-cn.json')) as Record<string, string>;
  assert.deepEqual(Object.keys(zh).sort(), Object.keys(en).sort());
  const used = [...read('package.json').matchAll(/"%([\w.]+)%"/g)].map((m) => m[1]);
  assert.deepEqual(used.filter((key) => !(key in en)), []);
  assert.deepEqual(Object.keys(en).filter((key) => !used.includes(key)), []);
});
