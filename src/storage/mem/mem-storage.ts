import { compareBytes, copyBytes, equalBytes } from '../bytes.js';
import type { Clock, KvBatchItem, KvEntry, KvStorage, StorageProvider } from '../kv-storage.js';
import {
  checkBatch,
  checkKey,
  checkKeyspaceName,
  checkPartitionKey,
  checkPurgeLimit,
  checkRangeBound,
  checkValue,
  DEFAULT_PURGE_LIMIT,
  EMPTY,
  expiryAfter,
  isExpired,
  remainingTtl,
} from '../limits.js';
import { OpenKeyspaces } from '../open-keyspaces.js';
import { pagesOf, rowsOf } from '../paged-range.js';
import { StorageError } from '../storage-error.js';

interface Row {
  readonly cc: Uint8Array;
  value: Uint8Array;
  /** Absolute expiry in ms, 0 when the row never expires. */
  expiresAt: number;
}

/** A partition's rows, sorted by clustering bytes. */
type Partition = Row[];

/** Index of the first row whose cc is >= `cc` (binary search). */
function lowerBound(rows: Partition, cc: Uint8Array): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareBytes((rows[mid] as Row).cc, cc) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const READ_PAGE_ROWS = 1024;

/**
 * An in-memory keyspace for tests and `--storage mem`. Every call runs to completion inside one
 * turn of the event loop, so batches and conditional writes are atomic without locks. Buffers are
 * copied in and out, as a real store would, so callers cannot change stored bytes.
 */
class MemStorage implements KvStorage {
  private readonly partitions = new Map<string, Partition>();
  closed = false;

  constructor(
    readonly keyspace: string,
    private readonly clock: Clock,
  ) {}

  private partition(pk: Uint8Array, create: true): Partition;
  private partition(pk: Uint8Array, create: false): Partition | undefined;
  private partition(pk: Uint8Array, create: boolean): Partition | undefined {
    const id = Buffer.from(pk.buffer, pk.byteOffset, pk.length).toString('latin1');
    let rows = this.partitions.get(id);
    if (rows === undefined && create) {
      rows = [];
      this.partitions.set(id, rows);
    }
    return rows;
  }

  /** The live (not expired) row at a key, if any. */
  private live(pk: Uint8Array, cc: Uint8Array): Row | undefined {
    const rows = this.partition(pk, false);
    if (rows === undefined) return undefined;
    const at = lowerBound(rows, cc);
    const row = rows[at];
    if (row === undefined || !equalBytes(row.cc, cc)) return undefined;
    return isExpired(row.expiresAt, this.clock()) ? undefined : row;
  }

  private write(pk: Uint8Array, cc: Uint8Array, value: Uint8Array, expiresAt: number): void {
    const rows = this.partition(pk, true);
    const at = lowerBound(rows, cc);
    const row = rows[at];
    if (row !== undefined && equalBytes(row.cc, cc)) {
      row.value = copyBytes(value);
      row.expiresAt = expiresAt;
    } else {
      rows.splice(at, 0, { cc: copyBytes(cc), value: copyBytes(value), expiresAt });
    }
  }

  private remove(pk: Uint8Array, cc: Uint8Array): void {
    const rows = this.partition(pk, false);
    if (rows === undefined) return;
    const at = lowerBound(rows, cc);
    const row = rows[at];
    if (row !== undefined && equalBytes(row.cc, cc)) rows.splice(at, 1);
  }

  private checkOpen(): void {
    if (this.closed) throw new StorageError('CLOSED', `keyspace ${this.keyspace} is closed`);
  }

  async put(pk: Uint8Array, cc: Uint8Array, value: Uint8Array): Promise<void> {
    this.checkOpen();
    checkKey(pk, cc);
    checkValue(value);
    this.write(pk, cc, value, 0);
  }

  async putBatch(items: readonly KvBatchItem[]): Promise<void> {
    this.checkOpen();
    checkBatch(items);
    for (const { pk, cc, value } of items) this.write(pk, cc, value, 0);
  }

  async get(pk: Uint8Array, cc: Uint8Array): Promise<Uint8Array | undefined> {
    this.checkOpen();
    checkKey(pk, cc);
    const row = this.live(pk, cc);
    return row === undefined ? undefined : copyBytes(row.value);
  }

  async getBatch(pk: Uint8Array, ccs: readonly Uint8Array[]): Promise<(Uint8Array | undefined)[]> {
    this.checkOpen();
    for (const cc of ccs) checkKey(pk, cc);
    return ccs.map((cc) => {
      const row = this.live(pk, cc);
      return row === undefined ? undefined : copyBytes(row.value);
    });
  }

  read(pk: Uint8Array, from?: Uint8Array, to?: Uint8Array): AsyncIterable<KvEntry> {
    return rowsOf(this.readPages(pk, from, to));
  }

  readPages(pk: Uint8Array, from?: Uint8Array, to?: Uint8Array): AsyncIterable<readonly KvEntry[]> {
    this.checkOpen();
    checkPartitionKey(pk);
    checkRangeBound('range start', from);
    checkRangeBound('range end', to);
    const end = to !== undefined && to.length > 0 ? to : undefined;
    return pagesOf((after, pageSize) => {
      this.checkOpen();
      const rows = this.partition(pk, false);
      if (rows === undefined) return { rows: [], done: true };
      const now = this.clock();
      let at = after !== undefined ? lowerBound(rows, after) : lowerBound(rows, from ?? EMPTY);
      if (after !== undefined && at < rows.length && equalBytes((rows[at] as Row).cc, after)) at++;
      const page: KvEntry[] = [];
      for (; at < rows.length; at++) {
        const row = rows[at] as Row;
        if (end !== undefined && compareBytes(row.cc, end) >= 0) break;
        if (isExpired(row.expiresAt, now)) continue;
        if (page.length === pageSize) return { rows: page, done: false };
        page.push({ cc: copyBytes(row.cc), value: copyBytes(row.value) });
      }
      return { rows: page, done: true };
    }, READ_PAGE_ROWS);
  }

  async insertIfNotExists(
    pk: Uint8Array,
    cc: Uint8Array,
    value: Uint8Array,
    ttlSeconds?: number,
  ): Promise<boolean> {
    this.checkOpen();
    checkKey(pk, cc);
    checkValue(value);
    const expiresAt = expiryAfter(ttlSeconds, this.clock());
    if (this.live(pk, cc) !== undefined) return false;
    this.write(pk, cc, value, expiresAt);
    return true;
  }

  async compareAndSwap(
    pk: Uint8Array,
    cc: Uint8Array,
    expected: Uint8Array,
    value: Uint8Array,
    ttlSeconds?: number,
  ): Promise<boolean> {
    this.checkOpen();
    checkKey(pk, cc);
    checkValue(expected);
    checkValue(value);
    const expiresAt = expiryAfter(ttlSeconds, this.clock());
    const row = this.live(pk, cc);
    if (row === undefined || !equalBytes(row.value, expected)) return false;
    row.value = copyBytes(value);
    row.expiresAt = expiresAt;
    return true;
  }

  async compareAndDelete(pk: Uint8Array, cc: Uint8Array, expected: Uint8Array): Promise<boolean> {
    this.checkOpen();
    checkKey(pk, cc);
    checkValue(expected);
    const row = this.live(pk, cc);
    if (row === undefined || !equalBytes(row.value, expected)) return false;
    this.remove(pk, cc);
    return true;
  }

  ttlGet(pk: Uint8Array, cc: Uint8Array): Promise<Uint8Array | undefined> {
    return this.get(pk, cc);
  }

  ttlRead(pk: Uint8Array, from?: Uint8Array, to?: Uint8Array): AsyncIterable<KvEntry> {
    return this.read(pk, from, to);
  }

  async purgeExpired(limit = DEFAULT_PURGE_LIMIT): Promise<number> {
    this.checkOpen();
    checkPurgeLimit(limit);
    const now = this.clock();
    let purged = 0;
    for (const rows of this.partitions.values()) {
      for (let at = rows.length - 1; at >= 0 && purged < limit; at--) {
        if (isExpired((rows[at] as Row).expiresAt, now)) {
          rows.splice(at, 1);
          purged++;
        }
      }
    }
    return purged;
  }

  async queryTtl(pk: Uint8Array, cc: Uint8Array): Promise<number | undefined> {
    this.checkOpen();
    checkKey(pk, cc);
    const row = this.live(pk, cc);
    return row === undefined ? undefined : remainingTtl(row.expiresAt, this.clock());
  }
}

export interface MemStorageOptions {
  /** Time source for TTLs; tests pass a clock they can move. */
  clock?: Clock;
}

/** Keyspaces that live in this process's memory and vanish with it. */
export class MemStorageProvider implements StorageProvider {
  readonly backend = 'mem';
  private readonly spaces = new OpenKeyspaces<MemStorage>();
  private readonly clock: Clock;

  constructor(options: MemStorageOptions = {}) {
    this.clock = options.clock ?? Date.now;
  }

  /** The keyspaces themselves, since memory is their only home. */
  private readonly data = new Map<string, MemStorage>();

  async open(keyspace: string): Promise<KvStorage> {
    checkKeyspaceName(keyspace);
    return this.spaces.get(keyspace, () => {
      const storage = new MemStorage(keyspace, this.clock);
      this.data.set(keyspace, storage);
      return storage;
    });
  }

  async keyspaces(): Promise<string[]> {
    this.spaces.checkOpen();
    return [...this.data.keys()].sort();
  }

  async drop(keyspace: string): Promise<void> {
    this.spaces.checkOpen();
    checkKeyspaceName(keyspace);
    await this.spaces.forget(keyspace);
    this.data.delete(keyspace);
  }

  async close(): Promise<void> {
    await this.spaces.closeAll();
  }
}
