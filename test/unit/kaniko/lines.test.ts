import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineSplitter, MAX_LINE_LENGTH } from '../../../src/core/kaniko/lines.ts';

// Before the cap, a line without newline was held whole and re-split on every chunk: 29 s of CPU for 32 MB.

test('a long line without newline (32 MB) comes out in pieces of the cap as it arrives, nothing lost', () => {
  const splitter = new LineSplitter();
  const chunk = 'x'.repeat(64 * 1024);
  let chars = 0;
  for (let i = 0; i < 512; i++) {
    for (const line of splitter.push(chunk)) {
      assert.ok(line.length <= MAX_LINE_LENGTH);
      chars += line.length;
    }
    // Output keeps pace with input: at most one cap's worth is ever held back.
    assert.ok((i + 1) * chunk.length - chars <= MAX_LINE_LENGTH, `held back ${(i + 1) * chunk.length - chars} chars after chunk ${i}`);
  }
  for (const line of splitter.push('tail\n')) chars += line.length;
  assert.equal(chars, 512 * chunk.length + 'tail'.length);
});
