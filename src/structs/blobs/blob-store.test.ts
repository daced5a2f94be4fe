import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dropSchema, postgresTestUrl } from '../../../test/support/postgres.js';
import {
  type KvStorage,
  LmdbStorageProvider,
  MemStorageProvider,
  PostgresStorageProvider,
  type StorageProvider,
} from '../../storage/index.js';
import { type BlobKey, blobPk, chunkCc, isSuuidText, newSuuid, STATE_CC } from './blob-keys.js';
import {
  BlobCorruptedError,
  BlobExistsError,
  BlobStore,
  BlobTooLargeError,
  type StoredBlob,
} from './blob-store.js';

const DAY = 86400;

class Clock {
  now = Date.UTC(2024, 0, 1);
  readonly fn = () => this.now;
}

/** `n` bytes that differ from position to position, so a misplaced chunk shows. */
function bytes(n: number, seed = 0): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + seed * 7 + (i >> 8)) & 0xff;
  return out;
}

/** A stream of `data` in pieces of the given sizes (cycled), counting how many were pulled. */
function pieces(data: Uint8Array, sizes: readonly number[]) {
  const stream = {
    pulled: 0,
    async *[Symbol.asyncIterator]() {
      let at = 0;
      let i = 0;
      while (at < data.length) {
        const n = sizes[i++ % sizes.length] ?? 1;
        stream.pulled++;
        yield data.subarray(at, at + n);
        at += n;
      }
    },
  };
  return stream;
}

async function readAll(blob: StoredBlob): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of blob.content) parts.push(c);
  return new Uint8Array(Buffer.concat(parts));
}

async function rowsOf(storage: KvStorage, key: BlobKey): Promise<number> {
  let n = 0;
  for await (const _ of storage.read(blobPk(key))) n++;
  return n;
}

interface Backend {
  readonly name: string;
  open(clock: () => number): Promise<StorageProvider>;
  cleanup?(): Promise<void> | void;
}

const lmdbPath = mkdtempSync(join(tmpdir(), 'voedger-blobs-'));
after(() => rmSync(lmdbPath, { recursive: true, force: true }));
const pgUrl = await postgresTestUrl();
const pgSchema = `voedger_blobs_${process.pid}`;

const backends: Backend[] = [
  { name: 'mem', open: async (clock) => new MemStorageProvider({ clock }) },
  { name: 'lmdb', open: (clock) => LmdbStorageProvider.open({ path: lmdbPath, clock }) },
];
if (pgUrl !== undefined) {
  backends.push({
    name: 'postgres',
    open: (clock) => PostgresStorageProvider.open({ url: pgUrl, schema: pgSchema, clock }),
    cleanup: () => dropSchema(pgUrl, pgSchema),
  });
}

for (const backend of backends) {
  describe(`BLOB store on ${backend.name}`, () => {
    const clock = new Clock();
    let provider: StorageProvider;
    let storage: KvStorage;
    let wsid = 1000;
    const persistent = (blobId = 200001): BlobKey => ({ kind: 'persistent', wsid: ++wsid, blobId });
    const temporary = (): BlobKey => ({ kind: 'temporary', wsid: ++wsid, suuid: newSuuid() });
    const store = (chunkSize = 7, chunksPerWrite = 3) =>
      new BlobStore(storage, { chunkSize, chunksPerWrite, clock: clock.fn });

    before(async () => {
      provider = await backend.open(clock.fn);
      storage = await provider.open(`blobs_${process.pid}`);
    });
    after(async () => {
      await provider.close();
      await backend.cleanup?.();
    });

    it('stores a BLOB in chunks and streams it back byte for byte, with its description', async () => {
      const blobs = store();
      const key = persistent();
      const data = bytes(100);
      clock.now += 1000;
      const written = await blobs.write(
        key,
        { name: 'photo.png', contentType: 'image/png' },
        pieces(data, [1, 13, 6, 40]),
        { maxSize: 100 },
      );
      assert.deepEqual(written, {
        name: 'photo.png',
        contentType: 'image/png',
        status: 'completed',
        size: 100,
        startedAt: clock.now,
        finishedAt: clock.now,
        ttlSeconds: 0,
      });
      const blob = await blobs.open(key);
      assert.ok(blob !== undefined);
      assert.deepEqual(blob.state, written);
      assert.deepEqual(await readAll(blob), data);
      // 100 bytes in 7-byte chunks: 15 rows, plus the state.
      assert.equal(await rowsOf(storage, key), 16);
    });

    it('reads chunks in order across pages of the storage', async () => {
      // 2500 one-byte chunks: more than one page of a range read.
      const blobs = store(1, 100);
      const key = persistent();
      const data = bytes(2500, 3);
      await blobs.write(key, { name: 'n', contentType: 't' }, pieces(data, [333]), {
        maxSize: 2500,
      });
      const blob = await blobs.open(key);
      assert.ok(blob !== undefined);
      assert.deepEqual(await readAll(blob), data);
    });

    it('stores empty BLOBs and BLOBs of exactly whole chunks', async () => {
      for (const size of [0, 7, 21]) {
        const blobs = store();
        const key = persistent();
        const data = bytes(size);
        const state = await blobs.write(key, { name: '', contentType: '' }, pieces(data, [7]), {
          maxSize: 21,
        });
        assert.equal(state.size, size);
        const blob = await blobs.open(key);
        assert.ok(blob !== undefined);
        assert.deepEqual(await readAll(blob), data);
        assert.equal(await rowsOf(storage, key), 1 + size / 7);
      }
    });

    it('fails a BLOB larger than the limit as soon as it is, and keeps nothing of it', async () => {
      const blobs = store();
      const key = persistent();
      const stream = pieces(bytes(1000), [10]);
      await assert.rejects(
        blobs.write(key, { name: 'big', contentType: 't' }, stream, { maxSize: 25 }),
        (e: unknown) =>
          e instanceof BlobTooLargeError &&
          e.maxSize === 25 &&
          e.message === 'BLOB size quote exceeded (max 25 allowed)',
      );
      // The third piece went over the limit; nothing more was read.
      assert.equal(stream.pulled, 3);
      assert.equal(await blobs.open(key), undefined);
      assert.equal(await blobs.state(key), undefined);
      assert.equal(await rowsOf(storage, key), 0);
    });

    it('keeps nothing of an upload whose stream fails', async () => {
      const blobs = store();
      const key = temporary();
      async function* broken() {
        yield bytes(50);
        throw new Error('client went away');
      }
      await assert.rejects(
        blobs.write(key, { name: 'x', contentType: 't' }, broken(), {
          maxSize: 1000,
          ttlSeconds: DAY,
        }),
        /client went away/,
      );
      assert.equal(await blobs.state(key), undefined);
      assert.equal(await rowsOf(storage, key), 0);
    });

    it('does not open a BLOB that is still being written', async () => {
      const blobs = store();
      const key = persistent();
      let release: () => void = () => {};
      const gate = new Promise<void>((r) => {
        release = r;
      });
      async function* slow() {
        yield bytes(20);
        await gate;
        yield bytes(5);
      }
      const writing = blobs.write(key, { name: 'slow', contentType: 't' }, slow(), {
        maxSize: 100,
      });
      // Let the first piece be stored.
      for (let i = 0; i < 50 && (await rowsOf(storage, key)) < 3; i++) {
        await new Promise((r) => setTimeout(r, 5));
      }
      assert.equal((await blobs.state(key))?.status, 'inProcess');
      assert.equal(await blobs.open(key), undefined);
      release();
      assert.equal((await writing).size, 25);
      assert.equal((await blobs.open(key))?.state.size, 25);
    });

    it('keeps a temporary BLOB until its TTL has passed, then none of it', async () => {
      const blobs = store();
      const key = temporary();
      const data = bytes(30);
      const start = clock.now;
      await blobs.write(key, { name: 'tmp', contentType: 'text/plain' }, pieces(data, [30]), {
        maxSize: 30,
        ttlSeconds: DAY,
      });
      clock.now = start + (DAY - 1) * 1000;
      const blob = await blobs.open(key);
      assert.ok(blob !== undefined);
      assert.equal(blob.state.ttlSeconds, DAY);
      assert.deepEqual(await readAll(blob), data);
      clock.now = start + DAY * 1000;
      assert.equal(await blobs.open(key), undefined);
      assert.equal(await rowsOf(storage, key), 0);
    });

    it('lets the state of a temporary BLOB expire no later than its first chunk', async () => {
      const blobs = store(10, 1);
      const key = temporary();
      async function* slowUpload() {
        for (let i = 0; i < 3; i++) {
          yield bytes(10, i);
          clock.now += 10_500;
        }
      }
      await blobs.write(key, { name: 'slow', contentType: 't' }, slowUpload(), {
        maxSize: 30,
        ttlSeconds: DAY,
      });
      const pk = blobPk(key);
      const stateTtl = await storage.queryTtl(pk, STATE_CC);
      const firstChunkTtl = await storage.queryTtl(pk, chunkCc(0));
      assert.ok(stateTtl !== undefined && firstChunkTtl !== undefined);
      assert.ok(stateTtl <= firstChunkTtl, `state ${stateTtl} s, first chunk ${firstChunkTtl} s`);
      assert.ok(stateTtl >= DAY - 32);
    });

    it('refuses to write over an existing BLOB', async () => {
      const blobs = store();
      const key = persistent();
      await blobs.write(key, { name: 'first', contentType: 't' }, pieces(bytes(10), [10]), {
        maxSize: 100,
      });
      await assert.rejects(
        blobs.write(key, { name: 'second', contentType: 't' }, pieces(bytes(20), [20]), {
          maxSize: 100,
        }),
        BlobExistsError,
      );
      const blob = await blobs.open(key);
      assert.equal(blob?.state.name, 'first');
      assert.deepEqual(blob && (await readAll(blob)), bytes(10));
    });

    it('keeps BLOBs of different keys apart', async () => {
      const blobs = store();
      const ws = ++wsid;
      wsid++;
      const keys: BlobKey[] = [
        { kind: 'persistent', wsid: ws, blobId: 200001 },
        { kind: 'persistent', wsid: ws, blobId: 200002 },
        { kind: 'persistent', wsid: ws + 1, blobId: 200001 },
        { kind: 'temporary', wsid: ws, suuid: newSuuid() },
      ];
      for (const [i, key] of keys.entries()) {
        await blobs.write(key, { name: `b${i}`, contentType: 't' }, pieces(bytes(9, i), [9]), {
          maxSize: 9,
        });
      }
      for (const [i, key] of keys.entries()) {
        const blob = await blobs.open(key);
        assert.equal(blob?.state.name, `b${i}`);
        assert.deepEqual(blob && (await readAll(blob)), bytes(9, i));
      }
    });

    it('fails the content stream of a BLOB whose chunk is missing', async () => {
      const blobs = store();
      const key = persistent();
      await blobs.write(key, { name: 'x', contentType: 't' }, pieces(bytes(30), [30]), {
        maxSize: 30,
      });
      const pk = blobPk(key);
      const second = await storage.get(pk, chunkCc(1));
      assert.ok(second !== undefined);
      assert.ok(await storage.compareAndDelete(pk, chunkCc(1), second));
      const blob = await blobs.open(key);
      assert.ok(blob !== undefined);
      await assert.rejects(readAll(blob), BlobCorruptedError);
    });
  });
}

describe('SUUIDs', () => {
  it('are 43 characters of unpadded base64url, and differ', () => {
    const a = newSuuid();
    assert.match(a, /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(a, newSuuid());
    assert.ok(isSuuidText(a));
    assert.ok(!isSuuidText('has space'));
    assert.ok(!isSuuidText('a'.repeat(257)));
  });
});
