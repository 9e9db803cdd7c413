// The executor the tests build is the one the product runs by default: test/go/kaniko pins the default image's tag.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultExecutorTag, pinnedKanikoVersion } from '../../../scripts/kaniko-executor.ts';

test('test/go/kaniko pins github.com/osscontainertools/kaniko at the default kaniko.executorImage tag', () => {
  assert.match(defaultExecutorTag(), /^v\d+\.\d+\.\d+$/);
  assert.equal(pinnedKanikoVersion(), defaultExecutorTag());
});
