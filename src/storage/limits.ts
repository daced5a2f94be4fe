import { StorageError } from './storage-error.js';

/**
 * Size limits of the contract, the same for every backend so that data written on one can move to
 * another. They fit the tightest backend key: LMDB's 1978-byte key (keyspace rows are stored under
 * a 2-byte length + partition key + clustering bytes) and PostgreSQL's B-tree entry limit.
 */
export const MAX_PARTITION_KEY_BYTES = 512;
export const MAX_CLUSTERING_BYTES = 1024;
export const MAX_VALUE_BYTES = 4 * 1024 * 1024;
/** Ten years: far beyond any lease or temporary row, small enough to stay exact in every backend. */
export const MAX_TTL_SECONDS = 10 * 365 * 24 * 3600;
export const MAX_BATCH_ITEMS = 100_000;
/** How many expired rows one `purgeExpired` call deletes unless told otherwise. */
export const DEFAULT_PURGE_LIMIT = 10_000;

/** Keyspace names are safe as file, table and Cassandra keyspace names on every backend. */
export const KEYSPACE_NAME_PATTERN = /^[a-z][a-z0-9_]{0,47}$/;

export function checkKeyspaceName(name: string): void {
  if (!KEYSPACE_NAME_PATTERN.test(name)) {
    throw new StorageError(
      'INVALID_ARGUMENT',
      `invalid keyspace name '${name}': expected 1-48 characters of a-z, 0-9 and _, starting with a letter`,
    );
  }
}

function checkBytes(what: string, value: unknown): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new StorageError('INVALID_ARGUMENT', `${what} must be a Uint8Array`);
  }
}

export function checkKey(pk: Uint8Array, cc: Uint8Array): void {
  checkBytes('partition key', pk);
  checkBytes('clustering key', cc);
  if (pk.length === 0)
    throw new StorageError('INVALID_ARGUMENT', 'partition key must not be empty');
  if (pk.length > MAX_PARTITION_KEY_BYTES) {
    throw new StorageError(
      'KEY_TOO_LONG',
      `partition key is ${pk.length} bytes, more than the ${MAX_PARTITION_KEY_BYTES} allowed`,
    );
  }
  if (cc.length > MAX_CLUSTERING_BYTES) {
    throw new StorageError(
      'KEY_TOO_LONG',
      `clustering key is ${cc.length} bytes, more than the ${MAX_CLUSTERING_BYTES} allowed`,
    );
  }
}

export function checkPartitionKey(pk: Uint8Array): void {
  checkKey(pk, EMPTY);
}

/** Checks a range bound; bounds may be longer than any stored key (they only bound a scan). */
export function checkRangeBound(what: string, bound: Uint8Array | undefined): void {
  if (bound === undefined) return;
  checkBytes(what, bound);
  if (bound.length > MAX_CLUSTERING_BYTES + 1) {
    throw new StorageError('KEY_TOO_LONG', `${what} is ${bound.length} bytes, longer than any key`);
  }
}

export function checkValue(value: Uint8Array): void {
  checkBytes('value', value);
  if (value.length > MAX_VALUE_BYTES) {
    throw new StorageError(
      'VALUE_TOO_LARGE',
      `value is ${value.length} bytes, more than the ${MAX_VALUE_BYTES} allowed`,
    );
  }
}

/** Checks a TTL and turns it into an absolute expiry time (ms), or 0 for "never expires". */
export function expiryAfter(ttlSeconds: number | undefined, now: number): number {
  if (ttlSeconds === undefined || ttlSeconds === 0) return 0;
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 0 || ttlSeconds > MAX_TTL_SECONDS) {
    throw new StorageError(
      'INVALID_ARGUMENT',
      `TTL must be a whole number of seconds from 0 to ${MAX_TTL_SECONDS}, got ${ttlSeconds}`,
    );
  }
  return now + ttlSeconds * 1000;
}

/** Remaining whole seconds (rounded up) until `expiresAt`, 0 when the row never expires. */
export function remainingTtl(expiresAt: number, now: number): number {
  return expiresAt === 0 ? 0 : Math.ceil((expiresAt - now) / 1000);
}

export function isExpired(expiresAt: number, now: number): boolean {
  return expiresAt !== 0 && expiresAt <= now;
}

export function checkBatch(
  items: readonly { pk: Uint8Array; cc: Uint8Array; value: Uint8Array }[],
) {
  if (!Array.isArray(items)) throw new StorageError('INVALID_ARGUMENT', 'batch must be an array');
  if (items.length > MAX_BATCH_ITEMS) {
    throw new StorageError(
      'INVALID_ARGUMENT',
      `batch has ${items.length} items, more than the ${MAX_BATCH_ITEMS} allowed`,
    );
  }
  for (const item of items) {
    checkKey(item.pk, item.cc);
    checkValue(item.value);
  }
}

export const EMPTY = new Uint8Array(0);

export function checkPurgeLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new StorageError(
      'INVALID_ARGUMENT',
      `purge limit must be a positive integer, got ${limit}`,
    );
  }
}
