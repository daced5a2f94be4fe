/**
 * A child process for the storage tests that need more than one process:
 *
 *   crash-writer <backend> <location> <keyspace> <first>
 *     writes batches numbered from <first>, several in flight at once, and prints each batch's number on its
 *     own line once the storage has acknowledged it; runs until killed.
 *   race-inserts <backend> <location> <keyspace> <count>
 *     tries insertIfNotExists on keys 0..count-1 and prints the keys it won, as JSON.
 *
 * `location` is a directory for lmdb, and `url#schema` for postgres.
 */
import type { StorageProvider } from '../../src/storage/index.js';
import { LmdbStorageProvider, PostgresStorageProvider } from '../../src/storage/index.js';
import { batchOf, u32 } from './storage-crash-batches.js';

async function openProvider(backend: string, location: string): Promise<StorageProvider> {
  if (backend === 'lmdb') return LmdbStorageProvider.open({ path: location });
  const [url = '', schema] = location.split('#');
  return PostgresStorageProvider.open({ url, ...(schema ? { schema } : {}) });
}

const [mode, backend = '', location = '', keyspace = '', count = '0'] = process.argv.slice(2);
const provider = await openProvider(backend, location);
const storage = await provider.open(keyspace);

if (mode === 'crash-writer') {
  let next = Number(count);
  const worker = async () => {
    for (;;) {
      const batch = next++;
      await storage.putBatch(batchOf(batch));
      process.stdout.write(`${batch}\n`);
    }
  };
  process.stdout.write('ready\n');
  await Promise.all([worker(), worker(), worker(), worker()]);
} else if (mode === 'race-inserts') {
  const won: number[] = [];
  await Promise.all(
    Array.from({ length: Number(count) }, async (_, key) => {
      if (await storage.insertIfNotExists(u32(0), u32(key), u32(process.pid))) won.push(key);
    }),
  );
  process.stdout.write(`${JSON.stringify(won)}\n`);
  await provider.close();
} else {
  throw new Error(`unknown mode ${mode}`);
}
