// The buckets of one LIMIT, by workspace and then by the rest of the caller's key. The WSID stays a number
// key: turning a 64-bit WSID into a string costs more than the whole rest of a rate check.
import type { BucketState } from './token-bucket.js';

export class BucketTable {
  private readonly byWorkspace = new Map<number, Map<string, BucketState>>();
  private count = 0;

  /** @param maxBuckets past this many, adding a bucket forgets the longest-held one */
  constructor(private readonly maxBuckets: number) {}

  get size(): number {
    return this.count;
  }

  get(wsid: number, key: string): BucketState | undefined {
    return this.byWorkspace.get(wsid)?.get(key);
  }

  add(wsid: number, key: string, bucket: BucketState): void {
    if (this.count >= this.maxBuckets) this.forgetOldest();
    let inWorkspace = this.byWorkspace.get(wsid);
    if (inWorkspace === undefined) {
      inWorkspace = new Map();
      this.byWorkspace.set(wsid, inWorkspace);
    }
    const before = inWorkspace.size;
    inWorkspace.set(key, bucket);
    this.count += inWorkspace.size - before;
  }

  delete(wsid: number, key: string): void {
    const inWorkspace = this.byWorkspace.get(wsid);
    if (inWorkspace === undefined || !inWorkspace.delete(key)) return;
    this.count--;
    if (inWorkspace.size === 0) this.byWorkspace.delete(wsid);
  }

  /** Deletes every bucket `drop` picks. */
  deleteWhere(drop: (b: BucketState) => boolean): void {
    for (const [wsid, inWorkspace] of this.byWorkspace) {
      for (const [key, bucket] of inWorkspace) {
        if (drop(bucket)) {
          inWorkspace.delete(key);
          this.count--;
        }
      }
      if (inWorkspace.size === 0) this.byWorkspace.delete(wsid);
    }
  }

  // Maps iterate in insertion order, so the first key of the first workspace is (about) the oldest bucket.
  private forgetOldest(): void {
    const first = this.byWorkspace.entries().next();
    if (first.done === true) return;
    const [wsid, inWorkspace] = first.value;
    const oldest = inWorkspace.keys().next();
    if (oldest.done !== true) this.delete(wsid, oldest.value);
  }
}
