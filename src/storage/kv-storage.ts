/**
 * The storage contract: everything the platform persists goes through this interface.
 *
 * A keyspace (one per application) holds rows addressed by a partition key and clustering bytes.
 * Rows of one partition are ordered by the unsigned byte order of their clustering bytes, so a
 * range read returns them sorted. Every backend passes the conformance suite in
 * `test/storage-conformance`, which is the executable form of this contract.
 */

/** One row of a range read. */
export interface KvEntry {
  readonly cc: Uint8Array;
  readonly value: Uint8Array;
}

/** One row of an atomic batch. */
export interface KvBatchItem {
  readonly pk: Uint8Array;
  readonly cc: Uint8Array;
  readonly value: Uint8Array;
}

/**
 * One application's keyspace.
 *
 * - A missing row reads as `undefined`; a row with an empty value reads as an empty array.
 * - Rows written with a TTL are invisible to every read once they expire; an expired row counts as
 *   absent for `insertIfNotExists` and never matches `compareAndSwap` / `compareAndDelete`.
 * - Arguments are validated (sizes, TTL) before anything is written; a bad argument rejects the
 *   whole call with a {@link StorageError} and writes nothing.
 * - Buffers passed in may be reused by the caller once the call returns; buffers returned belong
 *   to the caller.
 */
export interface KvStorage {
  /** The keyspace name this storage was opened with. */
  readonly keyspace: string;

  /**
   * How many writes the backend runs in parallel to good effect: 1 for a store that commits one
   * transaction at a time (LMDB), more for one that writes on several connections (PostgreSQL).
   * Writers that join batches use it; absent means 1.
   */
  readonly writeConcurrency?: number;

  /** Upserts one row; clears any TTL it had. Durable when the promise resolves. */
  put(pk: Uint8Array, cc: Uint8Array, value: Uint8Array): Promise<void>;

  /**
   * Upserts many rows (of any partitions of this keyspace) atomically: after a crash either all
   * of them are present or none. When the same key appears twice, the later item wins.
   */
  putBatch(items: readonly KvBatchItem[]): Promise<void>;

  get(pk: Uint8Array, cc: Uint8Array): Promise<Uint8Array | undefined>;

  /** Reads several rows of one partition; the answer has one slot per requested key, in order. */
  getBatch(pk: Uint8Array, ccs: readonly Uint8Array[]): Promise<(Uint8Array | undefined)[]>;

  /**
   * Streams the rows of a partition whose clustering bytes are in `[from, to)`, in ascending byte
   * order. An absent or empty `from` starts at the beginning, an absent or empty `to` runs to the
   * end. Rows are fetched in pages, so a large range is never held in memory at once.
   */
  read(pk: Uint8Array, from?: Uint8Array, to?: Uint8Array): AsyncIterable<KvEntry>;

  /**
   * The rows `read` streams, a page (up to 1024 rows, fewer when values are large) at a time.
   * Scans that handle many rows use it to save `read`'s promise per row.
   */
  readPages(pk: Uint8Array, from?: Uint8Array, to?: Uint8Array): AsyncIterable<readonly KvEntry[]>;

  /** Inserts the row when it is absent (or expired). Resolves `true` when this call inserted it. */
  insertIfNotExists(
    pk: Uint8Array,
    cc: Uint8Array,
    value: Uint8Array,
    ttlSeconds?: number,
  ): Promise<boolean>;

  /**
   * Replaces the row's value with `value` when its current value equals `expected`, and sets its
   * TTL to `ttlSeconds` (none when absent or 0). Resolves `true` when this call replaced it.
   */
  compareAndSwap(
    pk: Uint8Array,
    cc: Uint8Array,
    expected: Uint8Array,
    value: Uint8Array,
    ttlSeconds?: number,
  ): Promise<boolean>;

  /** Deletes the row when its current value equals `expected`. Resolves `true` when deleted. */
  compareAndDelete(pk: Uint8Array, cc: Uint8Array, expected: Uint8Array): Promise<boolean>;

  /** The reference platform's name for a TTL-honouring `get`; here every read honours TTL. */
  ttlGet(pk: Uint8Array, cc: Uint8Array): Promise<Uint8Array | undefined>;

  /** The reference platform's name for a TTL-honouring `read`; here every read honours TTL. */
  ttlRead(pk: Uint8Array, from?: Uint8Array, to?: Uint8Array): AsyncIterable<KvEntry>;

  /**
   * Deletes rows whose TTL has passed, up to `limit` of them, and resolves how many it deleted.
   * Reads already hide such rows; this only reclaims their space. Call it periodically, and again
   * while it returns `limit`.
   */
  purgeExpired(limit?: number): Promise<number>;

  /**
   * The row's remaining time to live in whole seconds (rounded up), 0 when it has no TTL, or
   * `undefined` when it is absent or expired.
   */
  queryTtl(pk: Uint8Array, cc: Uint8Array): Promise<number | undefined>;
}

export type StorageBackend = 'mem' | 'lmdb' | 'postgres';

/** Opens the keyspaces of one storage backend. */
export interface StorageProvider {
  readonly backend: StorageBackend;

  /** Opens a keyspace, creating it on first use. Names match {@link KEYSPACE_NAME_PATTERN}. */
  open(keyspace: string): Promise<KvStorage>;

  /** The keyspaces that exist, sorted. */
  keyspaces(): Promise<string[]>;

  /** Deletes a keyspace and all its rows; a missing keyspace is not an error. */
  drop(keyspace: string): Promise<void>;

  /** Releases files and connections; the provider and its storages must not be used after. */
  close(): Promise<void>;
}

/** Milliseconds since the epoch; injected so that tests can move time forward. */
export type Clock = () => number;
