import type { Clock, StorageBackend, StorageProvider } from './kv-storage.js';
import { LmdbStorageProvider } from './lmdb/index.js';
import { MemStorageProvider } from './mem/index.js';
import { PostgresStorageProvider } from './postgres/index.js';
import { StorageConfigError, StorageError } from './storage-error.js';

export const STORAGE_BACKENDS: readonly StorageBackend[] = ['mem', 'lmdb', 'postgres'];

/** Where the platform keeps its data; the server's flags and environment fill it in. */
export interface StorageConfig {
  /** `lmdb` (the embedded default), `mem` or `postgres`; any other name is refused. */
  backend: string;
  /** The LMDB data directory. */
  dataDir: string;
  /** The PostgreSQL connection URL. */
  postgresUrl?: string | undefined;
  /** The PostgreSQL schema that holds the keyspace tables. Default `voedger`. */
  postgresSchema?: string | undefined;
  clock?: Clock;
}

function isBackend(name: string): name is StorageBackend {
  return (STORAGE_BACKENDS as readonly string[]).includes(name);
}

/**
 * Opens the configured backend, checking that it can really be used (the data directory is
 * writable, the database answers). A setting that prevents this is reported as a
 * {@link StorageConfigError} naming the setting, so that start-up can stop with one clear line.
 */
export async function openStorage(config: StorageConfig): Promise<StorageProvider> {
  const { backend } = config;
  if (!isBackend(backend)) {
    throw new StorageConfigError(
      'backend',
      `unknown storage backend '${backend}': expected one of ${STORAGE_BACKENDS.join(', ')}`,
    );
  }
  const clock = config.clock ?? Date.now;
  switch (backend) {
    case 'mem':
      return new MemStorageProvider({ clock });
    case 'lmdb':
      return asConfigError('dataDir', () =>
        LmdbStorageProvider.open({ path: config.dataDir, clock }),
      );
    case 'postgres': {
      const url = config.postgresUrl;
      if (url === undefined || url === '') {
        throw new StorageConfigError('postgresUrl', 'the postgres backend needs a connection URL');
      }
      return asConfigError('postgresUrl', () =>
        PostgresStorageProvider.open({
          url,
          clock,
          ...(config.postgresSchema ? { schema: config.postgresSchema } : {}),
        }),
      );
    }
  }
}

async function asConfigError<T>(setting: keyof StorageConfig, open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (error) {
    if (error instanceof StorageError) {
      throw new StorageConfigError(setting, error.message, { cause: error });
    }
    throw error;
  }
}
