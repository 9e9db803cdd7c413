// The pool behind the packer's budget of file bytes in flight: pieces cut from a few reused slabs,
// a slab back once all its pieces are, a take that waits while every slab is out, and a close that
// fails a waiting take instead of leaving it hanging.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { BufferPool } from '../../../src/core/context/buffer-pool.ts';

/** Whether the promise has settled after the event loop had a turn. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(() => (done = true), () => (done = true));
  await nextTurn();
  return done;
}

describe('BufferPool', () => {
  it('cuts consecutive pieces from one slab and starts the next slab when a piece does not fit', async () => {
    const pool = new BufferPool(2, 1024);
    const a = await pool.take(600);
    const b = await pool.take(300);
    assert.equal(a.buffer, b.buffer);
    assert.equal(b.byteOffset, a.byteOffset + 600);
    const c = await pool.take(200);
    assert.notEqual(c.buffer, a.buffer);
    assert.ok(pool.owns(a) && pool.owns(c.subarray(5)));
    assert.equal(pool.owns(Buffer.alloc(600)), false);
  });

  it('holds a take while every slab is out, and gives it a slab once all pieces of a full one are back', async () => {
    const pool = new BufferPool(2, 1024);
    const first = [await pool.take(512), await pool.take(512)];
    const second = await pool.take(1024);
    const waiting = pool.take(100);
    assert.equal(await settled(waiting), false, 'both slabs are out');
    pool.release(first[0]);
    assert.equal(await settled(waiting), false, 'one piece of the first slab is still out');
    pool.release(first[1].subarray(0, 10));
    const piece = await waiting;
    assert.equal(piece.buffer, first[0].buffer, 'the first slab, reused');
    assert.notEqual(piece.buffer, second.buffer);
  });

  it('keeps the slab it is cutting from even when all its pieces are back', async () => {
    const pool = new BufferPool(1, 1024);
    const a = await pool.take(100);
    pool.release(a);
    const b = await pool.take(100);
    assert.equal(b.byteOffset, a.byteOffset + 100, 'cutting went on where it was');
  });

  it('never lends more than its slabs: every piece ever taken lies in one of them', async () => {
    const pool = new BufferPool(3, 4096);
    const slabs = new Set<ArrayBufferLike>();
    const out: Buffer[] = [];
    for (let i = 0; i < 500; i++) {
      const piece = await pool.take(1 + ((i * 997) % 4096));
      slabs.add(piece.buffer);
      out.push(piece);
      // A consumer two pieces behind the reader.
      if (out.length > 2) pool.release(out.shift() as Buffer);
    }
    assert.ok(slabs.size <= 3, `${slabs.size} slabs`);
  });

  it('cuts without waiting while it can, and reuses a full slab whose pieces all came back', async () => {
    const pool = new BufferPool(1, 1024);
    const a = pool.takeNow(1024);
    assert.ok(a !== undefined);
    assert.equal(pool.takeNow(1), undefined, 'the only slab is out');
    pool.release(a);
    const b = await pool.take(1);
    assert.equal(b.buffer, a.buffer);
    assert.equal(b.byteOffset, a.byteOffset, 'cut from the start again');
  });

  it('fails a waiting take and every later one once closed', async () => {
    const pool = new BufferPool(1, 1024);
    await pool.take(1024);
    const waiting = pool.take(1);
    const reason = new Error('stopped');
    pool.close(reason);
    await assert.rejects(waiting, reason);
    await assert.rejects(pool.take(1), reason);
  });

  it('refuses a piece larger than a slab and a Buffer it did not lend', async () => {
    const pool = new BufferPool(1, 1024);
    await assert.rejects(pool.take(1025), RangeError);
    assert.throws(() => pool.release(Buffer.alloc(8)), /not from this pool/);
  });
});
