import { mkdirSync } from 'node:fs';
import { type Database, open, type RootDatabase } from 'lmdb';
import { equalBytes } from '../bytes.js';
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
import { StorageError, storageFailure } from '../storage-error.js';
import {
  dataOf,
  EXPIRY_MARK,
  encodedRowKey,
  encodeRow,
  expiryKey,
  expiryOf,
  expiryOfKey,
  PartitionEnd,
  type RowKey,
  rowKeyOfExpiryKey,
  type StoredRow,
  TtlRow,
} from './row-codec.js';
import { RowTable } from './row-table.js';

type BinaryDatabase = Database<Buffer, Buffer>;

const READ_PAGE_ROWS = 1024;
/** A page also ends once it holds this many bytes, so ranges of large values stay in bounds. */
const READ_PAGE_BYTES = 8 * 1024 * 1024;
const KEYSPACES_DB = '__keyspaces';

/**
 * A keyspace in an LMDB environment: a named database of rows, and one of row expiries. Writes
 * go through lmdb-js's write thread, which groups the writes issued in one event-loop turn into
 * one transaction; the environment is opened without overlapping sync, so a write's promise
 * resolves only once its transaction is flushed to disk. Conditional writes read and write inside
 * one write transaction, which LMDB serialises across threads and processes.
 */
class LmdbStorage implements KvStorage {
  /** Set when the keyspace is dropped or its provider closed. */
  closed = false;

  constructor(
    readonly keyspace: string,
    private readonly rows: RowTable,
    /** Expiry index: `expiryKey(expiresAt, rowKey)` for every TTL write, so purging is cheap. */
    private readonly expiry: BinaryDatabase,
    private readonly clock: Clock,
  ) {}

  private checkOpen(): void {
    if (this.closed) {
      throw new StorageError('CLOSED', `keyspace ${this.keyspace} is closed`);
    }
  }

  /** The stored row if it is live. The clock is read only for rows with a TTL (hot path). */
  private liveRow(key: RowKey | Uint8Array, now?: number): StoredRow | undefined {
    const row = this.rows.get(key);
    if (row instanceof TtlRow && isExpired(row.expiresAt, now ?? this.clock())) return undefined;
    return row;
  }

  /** Writes a row inside a write transaction, indexing its expiry when it has one. */
  private writeRow(key: RowKey, value: Uint8Array, expiresAt: number): void {
    this.rows.putSync(key, encodeRow(value, expiresAt));
    if (expiresAt !== 0) {
      this.expiry.putSync(expiryKey(expiresAt, encodedRowKey(key.pk, key.cc)), EXPIRY_MARK);
    }
  }

  async put(pk: Uint8Array, cc: Uint8Array, value: Uint8Array): Promise<void> {
    this.checkOpen();
    checkKey(pk, cc);
    checkValue(value);
    await this.rows.put({ pk, cc }, encodeRow(value, 0)).catch(storageFailure);
  }

  async putBatch(items: readonly KvBatchItem[]): Promise<void> {
    this.checkOpen();
    checkBatch(items);
    if (items.length === 0) return;
    const rows = items.map(({ pk, cc, value }) => [{ pk, cc }, encodeRow(value, 0)] as const);
    await this.rows
      .transaction(() => {
        for (const [key, row] of rows) this.rows.putSync(key, row);
      })
      .catch(storageFailure);
  }

  async get(pk: Uint8Array, cc: Uint8Array): Promise<Uint8Array | undefined> {
    this.checkOpen();
    checkKey(pk, cc);
    const row = this.liveRow({ pk, cc });
    return row === undefined ? undefined : dataOf(row);
  }

  async getBatch(pk: Uint8Array, ccs: readonly Uint8Array[]): Promise<(Uint8Array | undefined)[]> {
    this.checkOpen();
    for (const cc of ccs) checkKey(pk, cc);
    const now = this.clock();
    return ccs.map((cc) => {
      const row = this.liveRow({ pk, cc }, now);
      return row === undefined ? undefined : dataOf(row);
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
    const end = to !== undefined && to.length > 0 ? { pk, cc: to } : new PartitionEnd(pk);
    return pagesOf((after, pageSize) => {
      this.checkOpen();
      const now = this.clock();
      const page: KvEntry[] = [];
      let bytes = 0;
      const start = { pk, cc: after ?? from ?? EMPTY };
      for (const { key, value } of this.rows.range(start, end, after !== undefined)) {
        if (isExpired(expiryOf(value), now)) continue;
        if (page.length === pageSize || bytes >= READ_PAGE_BYTES)
          return { rows: page, done: false };
        const data = dataOf(value);
        bytes += data.length;
        page.push({ cc: key, value: data });
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
    expiryAfter(ttlSeconds, 0);
    const key = { pk, cc };
    return this.rows
      .transaction(() => {
        const now = this.clock();
        if (this.liveRow(key, now) !== undefined) return false;
        this.writeRow(key, value, expiryAfter(ttlSeconds, now));
        return true;
      })
      .catch(storageFailure);
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
    expiryAfter(ttlSeconds, 0);
    const key = { pk, cc };
    return this.rows
      .transaction(() => {
        const now = this.clock();
        const row = this.liveRow(key, now);
        if (row === undefined || !equalBytes(dataOf(row), expected)) return false;
        this.writeRow(key, value, expiryAfter(ttlSeconds, now));
        return true;
      })
      .catch(storageFailure);
  }

  async compareAndDelete(pk: Uint8Array, cc: Uint8Array, expected: Uint8Array): Promise<boolean> {
    this.checkOpen();
    checkKey(pk, cc);
    checkValue(expected);
    const key = { pk, cc };
    return this.rows
      .transaction(() => {
        const row = this.liveRow(key);
        if (row === undefined || !equalBytes(dataOf(row), expected)) return false;
        this.rows.removeSync(key);
        return true;
      })
      .catch(storageFailure);
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
    return this.rows
      .transaction(() => {
        const now = this.clock();
        let purged = 0;
        for (;;) {
          // Collect first: deleting under an open cursor is not safe.
          const due: Buffer[] = [];
          for (const key of this.expiry.getKeys({ limit: limit - purged })) {
            if (expiryOfKey(key) > now) break;
            due.push(key);
          }
          for (const key of due) {
            // Index entries go stale when a row is overwritten; only a row that still carries
            // this expiry is deleted.
            const rowKey = rowKeyOfExpiryKey(key);
            const row = this.rows.get(rowKey);
            if (row !== undefined && expiryOf(row) === expiryOfKey(key)) {
              this.rows.removeSync(rowKey);
              purged++;
            }
            this.expiry.removeSync(key);
          }
          if (due.length === 0 || purged >= limit) return purged;
        }
      })
      .catch(storageFailure);
  }

  async queryTtl(pk: Uint8Array, cc: Uint8Array): Promise<number | undefined> {
    this.checkOpen();
    checkKey(pk, cc);
    const now = this.clock();
    const row = this.liveRow({ pk, cc }, now);
    return row === undefined ? undefined : remainingTtl(expiryOf(row), now);
  }
}

const rowsDbOf = (keyspace: string) => `ks:${keyspace}`;
const expiryDbOf = (keyspace: string) => `ttl:${keyspace}`;

export interface LmdbStorageOptions {
  /** The data directory; created when missing. */
  path: string;
  /** Time source for TTLs; tests pass a clock they can move. */
  clock?: Clock;
  /** How many keyspaces the environment can hold (LMDB's maxDbs). Default 1024. */
  maxKeyspaces?: number;
  /** The largest size the data file may grow to, in bytes (LMDB's map size). Default: grows. */
  mapSize?: number;
}

/**
 * The embedded default backend: one LMDB environment in a directory, a named database per
 * keyspace. Several processes may open the same directory at once; LMDB serialises their writes.
 */
export class LmdbStorageProvider implements StorageProvider {
  readonly backend = 'lmdb';
  private readonly spaces = new OpenKeyspaces<LmdbStorage>();

  private constructor(
    private readonly root: RootDatabase,
    private readonly registry: Database<boolean, string>,
    private readonly clock: Clock,
  ) {}

  /** Opens (creating when missing) the environment in `options.path`. */
  static async open(options: LmdbStorageOptions): Promise<LmdbStorageProvider> {
    let root: RootDatabase;
    try {
      mkdirSync(options.path, { recursive: true });
      root = open({
        path: options.path,
        // The data directory is always a directory, even when its name has a dot in it
        // (lmdb-js would otherwise take `/tmp/tmp.X` for a single-file database).
        noSubdir: false,
        maxDbs: 2 * (options.maxKeyspaces ?? 1024) + 1,
        // Resolve a write only once it is flushed: an acknowledged write survives a crash.
        overlappingSync: false,
        ...(options.mapSize === undefined ? {} : { mapSize: options.mapSize }),
      });
      // A write now surfaces a read-only or full file system here rather than on first use.
      await root.put('__opened', Date.now());
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new StorageError(
        'UNAVAILABLE',
        `cannot open the LMDB data directory ${options.path}: ${reason}`,
        { cause: error },
      );
    }
    const registry = root.openDB<boolean, string>({ name: KEYSPACES_DB });
    return new LmdbStorageProvider(root, registry, options.clock ?? Date.now);
  }

  private expiryDatabase(keyspace: string): BinaryDatabase {
    return this.root.openDB<Buffer, Buffer>({
      name: expiryDbOf(keyspace),
      keyEncoding: 'binary',
      encoding: 'binary',
    });
  }

  async open(keyspace: string): Promise<KvStorage> {
    checkKeyspaceName(keyspace);
    return this.spaces.get(keyspace, async () => {
      if (this.registry.get(keyspace) === undefined) await this.registry.put(keyspace, true);
      return new LmdbStorage(
        keyspace,
        new RowTable(this.root, rowsDbOf(keyspace)),
        this.expiryDatabase(keyspace),
        this.clock,
      );
    });
  }

  async keyspaces(): Promise<string[]> {
    this.spaces.checkOpen();
    return [...this.registry.getKeys()].sort();
  }

  async drop(keyspace: string): Promise<void> {
    this.spaces.checkOpen();
    checkKeyspaceName(keyspace);
    await this.spaces.forget(keyspace);
    await this.root.transaction(() => {
      new RowTable(this.root, rowsDbOf(keyspace)).dropSync();
      this.expiryDatabase(keyspace).dropSync();
      this.registry.removeSync(keyspace);
    });
  }

  async close(): Promise<void> {
    if (!(await this.spaces.closeAll())) return;
    await this.root.close();
  }
}
