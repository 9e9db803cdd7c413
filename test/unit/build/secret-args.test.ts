import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forHistory } from '../../../src/builds/buildRecord.ts';
import { looksSecret, secretArgsWarning, withoutSecretArgs } from '../../../src/core/build/secret-args.ts';

test('names made of a secret word look secret, in any case or separator; words that only contain one do not', () => {
  for (const name of ['NPM_TOKEN', 'TOKEN', 'dbPassword', 'api-key', 'AWS_SECRET_ACCESS_KEY', 'GH_PAT_AUTH', 'private_key', 'REGISTRY_PASS', 'apiKey']) assert.ok(looksSecret(name), name);
  for (const name of ['KEYBOARD', 'MONKEY', 'PASSAGE', 'VERSION', 'AUTHOR', 'TOKENIZER_MODEL', 'BASE_IMAGE']) assert.ok(!looksSecret(name), name);
});

test('history keeps the other arguments; the warning names the secret ones and never a value', () => {
  const args = { VERSION: '1.2', NPM_TOKEN: 'npm_abcdef123456', dbPassword: 'hunter2' };
  assert.deepEqual(withoutSecretArgs(args), { VERSION: '1.2' });
  assert.equal(withoutSecretArgs(undefined), undefined);
  const warning = secretArgsWarning(args) ?? '';
  assert.match(warning, /^Build arguments NPM_TOKEN, dbPassword look secret: .*pod spec/);
  assert.ok(!warning.includes('npm_abcdef123456') && !warning.includes('hunter2'));
  assert.equal(secretArgsWarning({ VERSION: '1' }), undefined);
});

test('a build record goes to history without the values of secret-looking build arguments', () => {
  const request = { dockerfile: '/w/Dockerfile', contextDir: '/w', destinations: ['r.io/a:1'], buildArgs: { VERSION: '2', NPM_TOKEN: 'npm_abcdef123456' } };
  const record = { snapshot: { id: 'b1', request, startedAt: 1, phases: {} }, progress: {} } as unknown as Parameters<typeof forHistory>[0];
  const kept = forHistory(record);
  assert.deepEqual(kept.snapshot.request.buildArgs, { VERSION: '2' });
  assert.ok(!JSON.stringify(kept).includes('npm_abcdef123456'));
  assert.equal(record.snapshot.request.buildArgs?.NPM_TOKEN, 'npm_abcdef123456', 'the live record keeps it for this session');
});
