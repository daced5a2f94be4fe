/**
 * The storage layer on its own: open a backend, write rows, read a range.
 * Run: npx tsx examples/storage/quickstart.ts [lmdb|mem|postgres]
 * The README shows the region below; test/docs checks that it still matches.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage } from '../../src/storage/index.js';

export async function quickstart(backend = 'lmdb'): Promise<string[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'voedger-example-'));
  const postgresUrl = process.env.VOEDGER_TEST_POSTGRES_URL ?? process.env.DATABASE_URL;
  const bytes = (s: string) => new TextEncoder().encode(s);
  try {
    // #region quickstart
    const storage = await openStorage({ backend, dataDir, postgresUrl });
    const app = await storage.open('example_app');
    const pk = bytes('orders/2026');
    await app.putBatch([
      { pk, cc: bytes('11-02'), value: bytes('soup') },
      { pk, cc: bytes('11-20'), value: bytes('tea') },
      { pk, cc: bytes('12-01'), value: bytes('cake') },
    ]);
    const november: string[] = [];
    for await (const { value } of app.read(pk, bytes('11-'), bytes('12-'))) {
      november.push(new TextDecoder().decode(value)); // ascending by clustering bytes
    }
    // #endregion
    await storage.drop('example_app');
    await storage.close();
    return november;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await quickstart(process.argv[2]));
}
