/**
 * Kills a writing process with SIGKILL at a random moment and checks, after reopening, that every
 * batch the storage acknowledged is there and that no batch is there in part.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  collect,
  LmdbStorageProvider,
  PostgresStorageProvider,
  type StorageProvider,
} from '../../src/storage/index.js';
import { dropSchema, POSTGRES_SKIP_REASON, postgresTestUrl } from '../support/postgres.js';
import { CRASH_BATCH_PARTITIONS, u32 } from '../support/storage-crash-batches.js';

const child = fileURLToPath(new URL('../support/storage-child.ts', import.meta.url));
const ROUNDS = 3;

function startWriter(backend: string, location: string, keyspace: string, first: number) {
  return spawn(
    process.execPath,
    ['--import', 'tsx', child, 'crash-writer', backend, location, keyspace, String(first)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
}

/** Runs the writer until a random moment after it is ready, then SIGKILLs it. */
async function writeUntilKilled(
  backend: string,
  location: string,
  keyspace: string,
  first: number,
): Promise<{ acknowledged: Set<number>; killAfterMs: number }> {
  const writer: ChildProcess = startWriter(backend, location, keyspace, first);
  const exited = new Promise((resolve) => writer.once('exit', resolve));
  const acknowledged = new Set<number>();
  const killAfterMs = 200 + Math.floor(Math.random() * 800);
  for await (const line of createInterface({ input: writer.stdout as NodeJS.ReadableStream })) {
    if (line === 'ready') setTimeout(() => writer.kill('SIGKILL'), killAfterMs);
    else acknowledged.add(Number(line));
  }
  await exited;
  assert.equal(writer.signalCode, 'SIGKILL', 'the writer died of something other than our kill');
  return { acknowledged, killAfterMs };
}

/** Which batches each partition holds. */
async function batchesPerPartition(provider: StorageProvider, keyspace: string) {
  const storage = await provider.open(keyspace);
  const partitions: Set<number>[] = [];
  for (let p = 0; p < CRASH_BATCH_PARTITIONS; p++) {
    const rows = await collect(storage.read(u32(p)));
    partitions.push(new Set(rows.map((row) => Buffer.from(row.cc).readUInt32BE(0))));
  }
  return partitions;
}

function checkNothingLostOrTorn(partitions: Set<number>[], acknowledged: Set<number>) {
  for (const batch of acknowledged) {
    for (const [p, batches] of partitions.entries()) {
      assert.ok(batches.has(batch), `acknowledged batch ${batch} is missing from partition ${p}`);
    }
  }
  const union = new Set(partitions.flatMap((batches) => [...batches]));
  for (const batch of union) {
    const holders = partitions.filter((batches) => batches.has(batch)).length;
    assert.equal(holders, CRASH_BATCH_PARTITIONS, `batch ${batch} is only partly present`);
  }
  return union.size;
}

function describeCrashTest(
  backend: string,
  location: () => Promise<string>,
  open: () => Promise<StorageProvider>,
) {
  it(`${backend}: keeps every acknowledged batch whole after SIGKILL (${ROUNDS} rounds)`, async (t) => {
    const where = await location();
    const keyspace = `crash_${randomBytes(4).toString('hex')}`;
    const acknowledged = new Set<number>();
    for (let round = 1; round <= ROUNDS; round++) {
      const killed = await writeUntilKilled(backend, where, keyspace, round * 10_000_000);
      for (const batch of killed.acknowledged) acknowledged.add(batch);
      assert.ok(killed.acknowledged.size > 0, 'the writer was killed before acknowledging');
      const provider = await open();
      try {
        const present = checkNothingLostOrTorn(
          await batchesPerPartition(provider, keyspace),
          acknowledged,
        );
        t.diagnostic(
          `round ${round}: killed after ${killed.killAfterMs} ms; ${killed.acknowledged.size} ` +
            `batches acknowledged in this round, ${acknowledged.size} in all, ${present} present`,
        );
      } finally {
        await provider.close();
      }
    }
  });
}

describe('storage crash safety', () => {
  const dir = mkdtempSync(join(tmpdir(), 'voedger-crash-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  describeCrashTest(
    'lmdb',
    async () => dir,
    () => LmdbStorageProvider.open({ path: dir }),
  );

  const schema = `voedger_crash_${process.pid}`;
  describe('postgres', async () => {
    const url = await postgresTestUrl();
    if (url === undefined) {
      it('postgres crash test', { skip: POSTGRES_SKIP_REASON }, () => {});
      return;
    }
    after(() => dropSchema(url, schema));
    describeCrashTest(
      'postgres',
      async () => `${url}#${schema}`,
      () => PostgresStorageProvider.open({ url, schema }),
    );
  });
});
