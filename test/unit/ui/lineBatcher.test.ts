import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { LineBatcher } from '../../../src/output/lineBatcher.ts';

test('200 000 lines pushed in one tick are written in one call, in order', async () => {
  const writes: string[] = [];
  const batcher = new LineBatcher((text) => writes.push(text), '\n', 20);
  for (let i = 0; i < 200_000; i++) batcher.push([`line ${i}`]);
  assert.equal(writes.length, 0, 'nothing is written synchronously');
  await sleep(60);
  assert.equal(writes.length, 1);
  const lines = writes[0].split('\n');
  assert.equal(lines.length, 200_001, 'every line plus the final newline');
  assert.equal(lines[0], 'line 0');
  assert.equal(lines[199_999], 'line 199999');
});

test('flush writes at once with the terminal newline, and an empty batch writes nothing', () => {
  const writes: string[] = [];
  const batcher = new LineBatcher((text) => writes.push(text), '\r\n', 10_000);
  batcher.push([]);
  batcher.flush();
  assert.deepEqual(writes, []);
  batcher.push(['a', 'b']);
  batcher.flush();
  assert.deepEqual(writes, ['a\r\nb\r\n']);
});
