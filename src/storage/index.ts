export { compareBytes, equalBytes } from './bytes.js';
export { keyspaceOf } from './keyspace-name.js';
export type {
  Clock,
  KvBatchItem,
  KvEntry,
  KvStorage,
  StorageBackend,
  StorageProvider,
} from './kv-storage.js';
export {
  KEYSPACE_NAME_PATTERN,
  MAX_BATCH_ITEMS,
  MAX_CLUSTERING_BYTES,
  MAX_PARTITION_KEY_BYTES,
  MAX_TTL_SECONDS,
  MAX_VALUE_BYTES,
} from './limits.js';
export { type LmdbStorageOptions, LmdbStorageProvider } from './lmdb/index.js';
export { type MemStorageOptions, MemStorageProvider } from './mem/index.js';
export { openStorage, STORAGE_BACKENDS, type StorageConfig } from './open-storage.js';
export { collect } from './paged-range.js';
export { type PostgresStorageOptions, PostgresStorageProvider } from './postgres/index.js';
export { StorageConfigError, StorageError, type StorageErrorCode } from './storage-error.js';
