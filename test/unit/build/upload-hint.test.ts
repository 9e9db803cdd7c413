// When a plain upload crawled, the engine names the setting that gzips it; fast or gzip'd uploads get no hint.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { slowUploadHint } from '../../../src/core/build/upload-hint.ts';

const MB = 1024 * 1024;

test('a plain upload of 200 MB in 60 s names the setting and the CLI flag, with the rate', () => {
  const hint = slowUploadHint(0, 200 * MB, 60);
  assert.match(hint ?? '', /at 3\.3 MB\/s \(200\.0 MB in 60 s\)/);
  assert.match(hint ?? '', /kaniko\.compressionLevel \(CLI: --compression-level\) to 1/);
});

test('no hint for a fast upload, a short one, or one already gzip\'d', () => {
  assert.equal(slowUploadHint(0, 400 * MB, 10), undefined);
  assert.equal(slowUploadHint(0, 5 * MB, 9), undefined);
  assert.equal(slowUploadHint(1, 200 * MB, 60), undefined);
});
