import type { KvBatchItem } from '../../src/storage/index.js';

/** Partitions each crash-test batch writes to: a batch spans all of them. */
export const CRASH_BATCH_PARTITIONS = 10;

export function u32(n: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n);
  return out;
}

/** Batch n: one row in every partition, clustering key n, a 200-byte value naming n. */
export function batchOf(n: number): KvBatchItem[] {
  const value = new Uint8Array(200).fill(n & 0xff);
  value.set(u32(n), 0);
  return Array.from({ length: CRASH_BATCH_PARTITIONS }, (_, p) => ({
    pk: u32(p),
    cc: u32(n),
    value,
  }));
}
