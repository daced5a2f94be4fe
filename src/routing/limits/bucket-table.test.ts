import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BucketTable } from './bucket-table.js';

const bucket = (tokens: number) => ({ tokens, updatedAt: 0 });

describe('BucketTable', () => {
  test('keeps buckets apart by workspace and key, and counts them', () => {
    const t = new BucketTable(10);
    t.add(1, 'a', bucket(1));
    t.add(2, 'a', bucket(2));
    t.add(1, 'b', bucket(3));
    t.add(1, 'b', bucket(4));
    assert.equal(t.size, 3);
    assert.equal(t.get(1, 'a')?.tokens, 1);
    assert.equal(t.get(2, 'a')?.tokens, 2);
    assert.equal(t.get(1, 'b')?.tokens, 4);
    assert.equal(t.get(2, 'b'), undefined);
    t.delete(1, 'a');
    t.delete(1, 'a');
    t.delete(3, 'a');
    assert.equal(t.size, 2);
  });

  test('deleteWhere drops the picked buckets and keeps the count', () => {
    const t = new BucketTable(10);
    for (const [ws, key, tokens] of [
      [1, 'a', 1],
      [1, 'b', 5],
      [2, 'a', 5],
      [3, 'c', 0],
    ] as const) {
      t.add(ws, key, bucket(tokens));
    }
    t.deleteWhere((b) => b.tokens >= 5);
    assert.equal(t.size, 2);
    assert.equal(t.get(1, 'b'), undefined);
    assert.equal(t.get(2, 'a'), undefined);
    assert.equal(t.get(1, 'a')?.tokens, 1);
    assert.equal(t.get(3, 'c')?.tokens, 0);
  });

  test('past the cap, adding forgets the oldest bucket', () => {
    const t = new BucketTable(2);
    t.add(1, 'a', bucket(1));
    t.add(2, 'b', bucket(2));
    t.add(3, 'c', bucket(3));
    assert.equal(t.size, 2);
    assert.equal(t.get(1, 'a'), undefined);
    t.add(2, 'd', bucket(4));
    assert.equal(t.size, 2);
    assert.equal(t.get(2, 'b'), undefined);
    assert.equal(t.get(3, 'c')?.tokens, 3);
    assert.equal(t.get(2, 'd')?.tokens, 4);
  });
});
