import { resolve } from 'node:path';
import { openStorage, StorageConfigError } from '../../storage/index.js';
import { describeSetting, type ServerOptions, storageConfigOf } from './server-options.js';

/** Where the server reports; a parameter so that tests can capture it. */
export interface Console {
  log(line: string): void;
  error(line: string): void;
}

/**
 * Starts the server. Until the HTTP API exists it opens the storage, says where, and stops.
 * Resolves the process exit code: 0 on success, 1 when a setting prevents start-up.
 */
export async function runServer(options: ServerOptions, out: Console = console): Promise<number> {
  const config = storageConfigOf(options);
  let provider: Awaited<ReturnType<typeof openStorage>>;
  try {
    provider = await openStorage(config);
  } catch (error) {
    if (error instanceof StorageConfigError) {
      out.error(`voedger: cannot start: ${describeSetting(error.setting)}: ${error.message}`);
      return 1;
    }
    throw error;
  }
  const where =
    provider.backend === 'lmdb'
      ? ` at ${resolve(config.dataDir)}`
      : provider.backend === 'postgres'
        ? ` in schema ${config.postgresSchema ?? 'voedger'}`
        : ' in memory';
  const keyspaces = await provider.keyspaces();
  out.log(
    `voedger: storage ${provider.backend} opened${where} (${keyspaces.length} keyspaces); ` +
      'the HTTP API is not built yet, so the server stops here',
  );
  await provider.close();
  return 0;
}
