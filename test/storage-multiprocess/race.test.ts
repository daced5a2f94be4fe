/**
 * Several processes open the same storage (an LMDB directory, a PostgreSQL schema) and race
 * `insertIfNotExists` on the same keys: every key is won by exactly one process, and every
 * process sees the others' rows.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  LmdbStorageProvider,
  PostgresStorageProvider,
  type StorageProvider,
} from '../../src/storage/index.js';
import { dropSchema, POSTGRES_SKIP_REASON, postgresTestUrl } from '../support/postgres.js';
import { u32 } from '../support/storage-crash-batches.js';

const child = fileURLToPath(new URL('../support/storage-child.ts', import.meta.url));
const PROCESSES = 3;
const KEYS = 300;

async function race(backend: string, location: string, keyspace: string) {
  const runs = Array.from({ length: PROCESSES }, async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [
      '--import',
      'tsx',
      child,
      'race-inserts',
      backend,
      location,
      keyspace,
      String(KEYS),
    ]);
    return JSON.parse(stdout) as number[];
  });
  return Promise.all(runs);
}

function itRaces(backend: string, location: () => string, open: () => Promise<StorageProvider>) {
  it(`${backend}: ${PROCESSES} processes race for ${KEYS} keys; each key has one winner`, async () => {
    const keyspace = `race_${randomBytes(4).toString('hex')}`;
    const wins = await race(backend, location(), keyspace);
    const all = wins.flat().sort((a, b) => a - b);
    assert.deepEqual(
      all,
      Array.from({ length: KEYS }, (_, i) => i),
    );
    const provider = await open();
    try {
      const storage = await provider.open(keyspace);
      const values = await storage.getBatch(
        u32(0),
        Array.from({ length: KEYS }, (_, i) => u32(i)),
      );
      const owners = new Set(values.map((v) => Buffer.from(v as Uint8Array).readUInt32BE(0)));
      assert.ok(owners.size >= 1 && owners.size <= PROCESSES);
    } finally {
      await provider.close();
    }
  });
}

describe('storage shared by several processes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'voedger-race-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  itRaces(
    'lmdb',
    () => dir,
    () => LmdbStorageProvider.open({ path: dir }),
  );

  describe('postgres', async () => {
    const url = await postgresTestUrl();
    if (url === undefined) {
      it('postgres race', { skip: POSTGRES_SKIP_REASON }, () => {});
      return;
    }
    const schema = `voedger_race_${process.pid}`;
    after(() => dropSchema(url, schema));
    itRaces(
      'postgres',
      () => `${url}#${schema}`,
      () => PostgresStorageProvider.open({ url, schema }),
    );
  });
});
