/**
 * The storage contract as tests: every backend runs this one suite (see the `*.test.ts` files
 * beside it), so a feature that works on one backend works on all of them.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  type Clock,
  collect,
  type KvStorage,
  MAX_CLUSTERING_BYTES,
  MAX_PARTITION_KEY_BYTES,
  MAX_VALUE_BYTES,
  StorageError,
  type StorageProvider,
} from '../../src/storage/index.js';

/** A clock the tests move by hand, so TTL expiry needs no sleeping. */
export class TestClock {
  now = Date.now();
  readonly read: Clock = () => this.now;
  advanceSeconds(seconds: number): void {
    this.now += seconds * 1000;
  }
}

export interface ConformanceTarget {
  /** Opens the backend under test with the given clock. */
  open(clock: Clock): Promise<StorageProvider>;
  /** Durable backends: opens the same data again after `close()`, to prove it persisted. */
  reopen?(clock: Clock): Promise<StorageProvider>;
}

const b = (...bytes: number[]) => Uint8Array.from(bytes);
const text = (s: string) => new TextEncoder().encode(s);
const str = (v: Uint8Array | undefined) =>
  v === undefined ? undefined : new TextDecoder().decode(v);
/** Big-endian u32, so numeric order equals byte order. */
const u32 = (n: number) => {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n);
  return out;
};

async function rejectsWith(promise: Promise<unknown> | (() => unknown), code: string) {
  await assert.rejects(
    async () => (typeof promise === 'function' ? promise() : promise),
    (error: unknown) => error instanceof StorageError && error.code === code,
  );
}

export function describeStorageConformance(name: string, target: ConformanceTarget): void {
  describe(`storage conformance: ${name}`, () => {
    const clock = new TestClock();
    let provider: StorageProvider;
    let ks: KvStorage;
    const keyspace = `conf_${randomBytes(4).toString('hex')}`;
    let nextPk = 0;
    /** A fresh partition key per test, so tests never see each other's rows. */
    const freshPk = () => u32(++nextPk);

    before(async () => {
      provider = await target.open(clock.read);
      ks = await provider.open(keyspace);
    });

    after(async () => {
      await provider.drop(keyspace);
      await provider.close();
    });

    describe('put and get', () => {
      it('reads back what was put, and undefined for a missing row', async () => {
        const pk = freshPk();
        await ks.put(pk, b(1), text('one'));
        assert.equal(str(await ks.get(pk, b(1))), 'one');
        assert.equal(await ks.get(pk, b(2)), undefined);
        assert.equal(await ks.get(freshPk(), b(1)), undefined);
      });

      it('tells an empty value from a missing row', async () => {
        const pk = freshPk();
        await ks.put(pk, b(1), new Uint8Array(0));
        const value = await ks.get(pk, b(1));
        assert.ok(value instanceof Uint8Array);
        assert.equal(value.length, 0);
      });

      it('accepts an empty clustering key as a key of its own', async () => {
        const pk = freshPk();
        await ks.put(pk, new Uint8Array(0), text('empty cc'));
        await ks.put(pk, b(0), text('zero'));
        assert.equal(str(await ks.get(pk, new Uint8Array(0))), 'empty cc');
        assert.equal(str(await ks.get(pk, b(0))), 'zero');
      });

      it('overwrites a row', async () => {
        const pk = freshPk();
        await ks.put(pk, b(1), text('a'));
        await ks.put(pk, b(1), text('b'));
        assert.equal(str(await ks.get(pk, b(1))), 'b');
      });

      it('keeps partitions apart even when one key is a prefix of another', async () => {
        await ks.put(b(7, 7), b(1), text('short'));
        await ks.put(b(7, 7, 1), new Uint8Array(0), text('long'));
        assert.equal(str(await ks.get(b(7, 7), b(1))), 'short');
        assert.equal(await ks.get(b(7, 7, 1), b(1)), undefined);
        assert.deepEqual(
          (await collect(ks.read(b(7, 7)))).map((e) => str(e.value)),
          ['short'],
        );
      });

      it('owns its bytes: changing buffers after the call changes nothing stored', async () => {
        const pk = freshPk();
        const cc = b(1);
        const value = text('abc');
        await ks.put(pk, cc, value);
        value[0] = 0x7a;
        cc[0] = 9;
        const read = await ks.get(pk, b(1));
        assert.equal(str(read), 'abc');
        (read as Uint8Array)[0] = 0x7a;
        assert.equal(str(await ks.get(pk, b(1))), 'abc');
      });

      it('stores 1 MiB values and the largest allowed value unchanged', async () => {
        const pk = freshPk();
        const mib = randomBytes(1024 * 1024);
        const largest = randomBytes(MAX_VALUE_BYTES);
        await ks.put(pk, b(1), mib);
        await ks.putBatch([{ pk, cc: b(2), value: largest }]);
        assert.deepEqual(Buffer.from((await ks.get(pk, b(1))) as Uint8Array), mib);
        assert.deepEqual(Buffer.from((await ks.get(pk, b(2))) as Uint8Array), largest);
      });

      it('refuses oversized keys and values with a clear error, never truncating', async () => {
        const pk = freshPk();
        await rejectsWith(ks.put(pk, b(1), new Uint8Array(MAX_VALUE_BYTES + 1)), 'VALUE_TOO_LARGE');
        await rejectsWith(
          ks.put(new Uint8Array(MAX_PARTITION_KEY_BYTES + 1), b(1), b(1)),
          'KEY_TOO_LONG',
        );
        await rejectsWith(
          ks.put(pk, new Uint8Array(MAX_CLUSTERING_BYTES + 1), b(1)),
          'KEY_TOO_LONG',
        );
        await rejectsWith(ks.put(new Uint8Array(0), b(1), b(1)), 'INVALID_ARGUMENT');
        await rejectsWith(
          ks.insertIfNotExists(pk, b(1), new Uint8Array(MAX_VALUE_BYTES + 1)),
          'VALUE_TOO_LARGE',
        );
        assert.equal(await ks.get(pk, b(1)), undefined);
        await ks.put(
          new Uint8Array(MAX_PARTITION_KEY_BYTES),
          new Uint8Array(MAX_CLUSTERING_BYTES),
          b(5),
        );
        const largestKey = await ks.get(
          new Uint8Array(MAX_PARTITION_KEY_BYTES),
          new Uint8Array(MAX_CLUSTERING_BYTES),
        );
        assert.deepEqual([...(largestKey as Uint8Array)], [5]);
      });

      it('refuses arguments that are not bytes', async () => {
        await rejectsWith(
          ks.put(freshPk(), 'x' as unknown as Uint8Array, b(1)),
          'INVALID_ARGUMENT',
        );
      });
    });

    describe('getBatch', () => {
      it('answers one slot per key, in order, with duplicates and missing rows', async () => {
        const pk = freshPk();
        await ks.put(pk, b(1), text('one'));
        await ks.put(pk, b(3), text('three'));
        const values = await ks.getBatch(pk, [b(3), b(2), b(1), b(3)]);
        assert.deepEqual(values.map(str), ['three', undefined, 'one', 'three']);
        assert.deepEqual(await ks.getBatch(pk, []), []);
      });
    });

    describe('putBatch', () => {
      it('writes rows of several partitions', async () => {
        const [p1, p2] = [freshPk(), freshPk()];
        await ks.putBatch([
          { pk: p1, cc: b(1), value: text('a') },
          { pk: p2, cc: b(1), value: text('b') },
          { pk: p1, cc: b(2), value: text('c') },
        ]);
        assert.deepEqual((await ks.getBatch(p1, [b(1), b(2)])).map(str), ['a', 'c']);
        assert.equal(str(await ks.get(p2, b(1))), 'b');
      });

      it('lets the later item win when a key repeats', async () => {
        const pk = freshPk();
        await ks.putBatch([
          { pk, cc: b(1), value: text('first') },
          { pk, cc: b(1), value: text('second') },
        ]);
        assert.equal(str(await ks.get(pk, b(1))), 'second');
      });

      it('accepts an empty batch', async () => {
        await ks.putBatch([]);
      });

      it('writes nothing when one item is invalid', async () => {
        const pk = freshPk();
        await ks.put(pk, b(1), text('before'));
        const items = Array.from({ length: 50 }, (_, i) => ({ pk, cc: b(i), value: text('new') }));
        await rejectsWith(
          ks.putBatch([...items, { pk, cc: b(99), value: new Uint8Array(MAX_VALUE_BYTES + 1) }]),
          'VALUE_TOO_LARGE',
        );
        await rejectsWith(
          ks.putBatch([...items, { pk: new Uint8Array(0), cc: b(1), value: b(1) }]),
          'INVALID_ARGUMENT',
        );
        assert.equal(str(await ks.get(pk, b(1))), 'before');
        assert.deepEqual((await collect(ks.read(pk))).length, 1);
      });

      it('clears the TTL of the rows it overwrites', async () => {
        const pk = freshPk();
        assert.equal(await ks.insertIfNotExists(pk, b(1), text('ttl'), 5), true);
        await ks.putBatch([{ pk, cc: b(1), value: text('forever') }]);
        assert.equal(await ks.queryTtl(pk, b(1)), 0);
      });
    });

    describe('read', () => {
      it('returns rows in unsigned byte order of clustering keys', async () => {
        const pk = freshPk();
        const keys = [b(), b(0), b(0, 0), b(1), b(1, 0), b(1, 255), b(2), b(127), b(128), b(255)];
        const shuffled = [...keys].sort(() => Math.random() - 0.5);
        for (const cc of shuffled) await ks.put(pk, cc, cc);
        const rows = await collect(ks.read(pk));
        assert.deepEqual(
          rows.map((r) => [...r.cc]),
          keys.map((k) => [...k]),
        );
        assert.deepEqual(
          rows.map((r) => [...r.value]),
          keys.map((k) => [...k]),
        );
      });

      it('reads [from, to), with open ends and absurd ranges', async () => {
        const pk = freshPk();
        for (let i = 0; i < 10; i++) await ks.put(pk, b(i * 10), b(i));
        const ccs = async (from?: Uint8Array, to?: Uint8Array) =>
          (await collect(ks.read(pk, from, to))).map((r) => r.cc[0]);
        assert.deepEqual(await ccs(b(20), b(50)), [20, 30, 40]);
        assert.deepEqual(await ccs(b(15), b(45)), [20, 30, 40]);
        assert.deepEqual(await ccs(undefined, b(20)), [0, 10]);
        assert.deepEqual(await ccs(new Uint8Array(0), b(20)), [0, 10]);
        assert.deepEqual(await ccs(b(75)), [80, 90]);
        assert.deepEqual(await ccs(b(75), new Uint8Array(0)), [80, 90]);
        assert.deepEqual(await ccs(b(50), b(50)), []);
        assert.deepEqual(await ccs(b(60), b(20)), []);
        assert.deepEqual(await ccs(b(200)), []);
        assert.deepEqual((await ccs()).length, 10);
        assert.deepEqual(await collect(ks.read(freshPk())), []);
      });

      it('reads a prefix scan as [prefix, prefix+1)', async () => {
        const pk = freshPk();
        await ks.putBatch(
          ['ant', 'bee', 'beetle', 'bird', 'cat'].map((s) => ({ pk, cc: text(s), value: text(s) })),
        );
        const rows = await collect(ks.read(pk, text('be'), text('bf')));
        assert.deepEqual(
          rows.map((r) => str(r.value)),
          ['bee', 'beetle'],
        );
      });

      it('streams 100,000 rows in order', async () => {
        const pk = freshPk();
        const total = 100_000;
        for (let start = 0; start < total; start += 10_000) {
          await ks.putBatch(
            Array.from({ length: 10_000 }, (_, i) => ({
              pk,
              cc: u32(start + i),
              value: u32(total - start - i),
            })),
          );
        }
        let expected = 0;
        for await (const row of ks.read(pk)) {
          assert.equal(Buffer.from(row.cc).readUInt32BE(0), expected);
          assert.equal(Buffer.from(row.value).readUInt32BE(0), total - expected);
          expected++;
        }
        assert.equal(expected, total);
        const middle = await collect(ks.read(pk, u32(49_990), u32(50_010)));
        assert.equal(middle.length, 20);
      });

      it('reads the same rows a page at a time', async () => {
        const pk = freshPk();
        await ks.putBatch(
          Array.from({ length: 2500 }, (_, i) => ({ pk, cc: u32(i), value: u32(i) })),
        );
        const pages = await collect(ks.readPages(pk, u32(10), u32(2400)));
        assert.ok(pages.every((page) => page.length > 0 && page.length <= 1024));
        const rows = pages.flat();
        assert.equal(rows.length, 2390);
        assert.deepEqual(
          rows.map((r) => Buffer.from(r.cc).readUInt32BE(0)),
          Array.from({ length: 2390 }, (_, i) => i + 10),
        );
        assert.deepEqual(await collect(ks.readPages(freshPk())), []);
      });

      it('stops early without reading the rest', async () => {
        const pk = freshPk();
        await ks.putBatch(Array.from({ length: 3000 }, (_, i) => ({ pk, cc: u32(i), value: b() })));
        let seen = 0;
        for await (const _ of ks.read(pk)) if (++seen === 5) break;
        assert.equal(seen, 5);
      });
    });

    describe('insertIfNotExists', () => {
      it('inserts only when absent and never replaces', async () => {
        const pk = freshPk();
        assert.equal(await ks.insertIfNotExists(pk, b(1), text('first')), true);
        assert.equal(await ks.insertIfNotExists(pk, b(1), text('second')), false);
        assert.equal(str(await ks.get(pk, b(1))), 'first');
        await ks.put(pk, b(2), new Uint8Array(0));
        assert.equal(await ks.insertIfNotExists(pk, b(2), text('x')), false);
      });

      it('lets exactly one of many concurrent callers win', async () => {
        const pk = freshPk();
        const attempts = Array.from({ length: 64 }, (_, i) =>
          ks.insertIfNotExists(pk, b(1), text(`caller ${i}`), 60),
        );
        const results = await Promise.all(attempts);
        assert.equal(results.filter(Boolean).length, 1);
        assert.equal(str(await ks.get(pk, b(1))), `caller ${results.indexOf(true)}`);
      });

      it('treats an expired row as absent', async () => {
        const pk = freshPk();
        assert.equal(await ks.insertIfNotExists(pk, b(1), text('lease 1'), 10), true);
        clock.advanceSeconds(9);
        assert.equal(await ks.insertIfNotExists(pk, b(1), text('lease 2'), 10), false);
        clock.advanceSeconds(1);
        assert.equal(await ks.insertIfNotExists(pk, b(1), text('lease 2'), 10), true);
        assert.equal(str(await ks.get(pk, b(1))), 'lease 2');
        assert.equal(await ks.queryTtl(pk, b(1)), 10);
      });
    });

    describe('compareAndSwap', () => {
      it('swaps only when the current value is the expected one', async () => {
        const pk = freshPk();
        assert.equal(await ks.compareAndSwap(pk, b(1), text('a'), text('b')), false);
        assert.equal(await ks.get(pk, b(1)), undefined);
        await ks.put(pk, b(1), text('a'));
        assert.equal(await ks.compareAndSwap(pk, b(1), text('x'), text('b')), false);
        assert.equal(str(await ks.get(pk, b(1))), 'a');
        assert.equal(await ks.compareAndSwap(pk, b(1), text('a'), text('b')), true);
        assert.equal(str(await ks.get(pk, b(1))), 'b');
        assert.equal(await ks.compareAndSwap(pk, b(1), text('b'), new Uint8Array(0)), true);
        assert.equal(await ks.compareAndSwap(pk, b(1), new Uint8Array(0), text('c')), true);
        assert.equal(str(await ks.get(pk, b(1))), 'c');
      });

      it('lets exactly one of many concurrent swaps from the same value win', async () => {
        const pk = freshPk();
        await ks.put(pk, b(1), text('v0'));
        const results = await Promise.all(
          Array.from({ length: 64 }, (_, i) =>
            ks.compareAndSwap(pk, b(1), text('v0'), text(`v1 by ${i}`)),
          ),
        );
        assert.equal(results.filter(Boolean).length, 1);
        assert.equal(str(await ks.get(pk, b(1))), `v1 by ${results.indexOf(true)}`);
      });

      it('counts every increment of a contended counter exactly once', async () => {
        const pk = freshPk();
        await ks.put(pk, b(1), u32(0));
        const increment = async () => {
          for (;;) {
            const current = (await ks.get(pk, b(1))) as Uint8Array;
            const next = u32(Buffer.from(current).readUInt32BE(0) + 1);
            if (await ks.compareAndSwap(pk, b(1), current, next)) return;
          }
        };
        await Promise.all(Array.from({ length: 20 }, increment));
        assert.equal(Buffer.from((await ks.get(pk, b(1))) as Uint8Array).readUInt32BE(0), 20);
      });

      it('sets, refreshes and clears the TTL, and never matches an expired row', async () => {
        const pk = freshPk();
        assert.equal(await ks.insertIfNotExists(pk, b(1), text('leader'), 10), true);
        clock.advanceSeconds(6);
        assert.equal(await ks.queryTtl(pk, b(1)), 4);
        assert.equal(await ks.compareAndSwap(pk, b(1), text('leader'), text('leader'), 10), true);
        assert.equal(await ks.queryTtl(pk, b(1)), 10);
        clock.advanceSeconds(10);
        assert.equal(await ks.compareAndSwap(pk, b(1), text('leader'), text('leader'), 10), false);
        assert.equal(await ks.get(pk, b(1)), undefined);
        await ks.put(pk, b(2), text('x'));
        assert.equal(await ks.compareAndSwap(pk, b(2), text('x'), text('y'), 5), true);
        assert.equal(await ks.queryTtl(pk, b(2)), 5);
        assert.equal(await ks.compareAndSwap(pk, b(2), text('y'), text('z')), true);
        assert.equal(await ks.queryTtl(pk, b(2)), 0);
      });
    });

    describe('compareAndDelete', () => {
      it('deletes only when the current value is the expected one', async () => {
        const pk = freshPk();
        assert.equal(await ks.compareAndDelete(pk, b(1), text('a')), false);
        await ks.put(pk, b(1), text('a'));
        assert.equal(await ks.compareAndDelete(pk, b(1), text('b')), false);
        assert.equal(str(await ks.get(pk, b(1))), 'a');
        assert.equal(await ks.compareAndDelete(pk, b(1), text('a')), true);
        assert.equal(await ks.get(pk, b(1)), undefined);
        assert.equal(await ks.insertIfNotExists(pk, b(1), text('again')), true);
      });

      it('lets exactly one of many concurrent deletes win', async () => {
        const pk = freshPk();
        await ks.put(pk, b(1), text('a'));
        const results = await Promise.all(
          Array.from({ length: 32 }, () => ks.compareAndDelete(pk, b(1), text('a'))),
        );
        assert.equal(results.filter(Boolean).length, 1);
      });

      it('never matches an expired row', async () => {
        const pk = freshPk();
        await ks.insertIfNotExists(pk, b(1), text('a'), 1);
        clock.advanceSeconds(1);
        assert.equal(await ks.compareAndDelete(pk, b(1), text('a')), false);
      });
    });

    describe('TTL', () => {
      it('hides expired rows from every read', async () => {
        const pk = freshPk();
        await ks.put(pk, b(1), text('forever'));
        assert.equal(await ks.insertIfNotExists(pk, b(2), text('short'), 2), true);
        assert.equal(await ks.insertIfNotExists(pk, b(3), text('long'), 100), true);
        const visible = async () => ({
          get: str(await ks.get(pk, b(2))),
          ttlGet: str(await ks.ttlGet(pk, b(2))),
          batch: (await ks.getBatch(pk, [b(1), b(2), b(3)])).map(str),
          read: (await collect(ks.read(pk))).map((r) => str(r.value)),
          ttlRead: (await collect(ks.ttlRead(pk, b(2)))).map((r) => str(r.value)),
          ttl: await ks.queryTtl(pk, b(2)),
        });
        clock.advanceSeconds(1);
        assert.deepEqual(await visible(), {
          get: 'short',
          ttlGet: 'short',
          batch: ['forever', 'short', 'long'],
          read: ['forever', 'short', 'long'],
          ttlRead: ['short', 'long'],
          ttl: 1,
        });
        clock.advanceSeconds(1);
        assert.deepEqual(await visible(), {
          get: undefined,
          ttlGet: undefined,
          batch: ['forever', undefined, 'long'],
          read: ['forever', 'long'],
          ttlRead: ['long'],
          ttl: undefined,
        });
      });

      it('is cleared by put', async () => {
        const pk = freshPk();
        await ks.insertIfNotExists(pk, b(1), text('a'), 1);
        await ks.put(pk, b(1), text('b'));
        clock.advanceSeconds(5);
        assert.equal(str(await ks.get(pk, b(1))), 'b');
        assert.equal(await ks.queryTtl(pk, b(1)), 0);
      });

      it('reports the remaining time, 0 without a TTL, undefined when missing', async () => {
        const pk = freshPk();
        await ks.put(pk, b(1), text('a'));
        await ks.insertIfNotExists(pk, b(2), text('b'), 30);
        clock.advanceSeconds(0.5);
        assert.equal(await ks.queryTtl(pk, b(1)), 0);
        assert.equal(await ks.queryTtl(pk, b(2)), 30);
        assert.equal(await ks.queryTtl(pk, b(3)), undefined);
      });

      it('purges expired rows, and only those', async () => {
        const space = await provider.open(`${keyspace}_purge`);
        try {
          const pk = freshPk();
          await space.put(pk, b(0), text('forever'));
          for (let i = 1; i <= 5; i++) await space.insertIfNotExists(pk, b(i), text('short'), 10);
          await space.insertIfNotExists(pk, b(6), text('long'), 100);
          // Overwritten or refreshed rows must survive their old expiry.
          await space.put(pk, b(1), text('made permanent'));
          await space.compareAndSwap(pk, b(2), text('short'), text('refreshed'), 100);
          assert.equal(await space.purgeExpired(), 0);
          clock.advanceSeconds(10);
          assert.equal(await space.purgeExpired(2), 2);
          assert.equal(await space.purgeExpired(), 1);
          assert.equal(await space.purgeExpired(), 0);
          assert.deepEqual(
            (await collect(space.read(pk))).map((r) => str(r.value)),
            ['forever', 'made permanent', 'refreshed', 'long'],
          );
          clock.advanceSeconds(90);
          assert.equal(await space.purgeExpired(), 2);
          assert.equal(await space.insertIfNotExists(pk, b(6), text('again'), 5), true);
          await rejectsWith(space.purgeExpired(0), 'INVALID_ARGUMENT');
        } finally {
          await provider.drop(`${keyspace}_purge`);
        }
      });

      it('refuses invalid TTLs', async () => {
        const pk = freshPk();
        for (const ttl of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 1e12]) {
          await rejectsWith(ks.insertIfNotExists(pk, b(1), b(1), ttl), 'INVALID_ARGUMENT');
          await rejectsWith(ks.compareAndSwap(pk, b(1), b(1), b(2), ttl), 'INVALID_ARGUMENT');
        }
        assert.equal(await ks.get(pk, b(1)), undefined);
      });
    });

    describe('keyspaces', () => {
      it('isolates keyspaces from each other', async () => {
        const otherName = `${keyspace}_other`;
        const other = await provider.open(otherName);
        try {
          const pk = freshPk();
          await ks.put(pk, b(1), text('mine'));
          assert.equal(await other.get(pk, b(1)), undefined);
          await other.put(pk, b(1), text('theirs'));
          assert.equal(str(await ks.get(pk, b(1))), 'mine');
          assert.deepEqual(
            (await collect(other.read(pk))).map((r) => str(r.value)),
            ['theirs'],
          );
          assert.ok((await provider.keyspaces()).includes(otherName));
        } finally {
          await provider.drop(otherName);
        }
        assert.ok(!(await provider.keyspaces()).includes(otherName));
        const reopened = await provider.open(otherName);
        assert.deepEqual(await collect(reopened.read(u32(nextPk))), []);
        await provider.drop(otherName);
      });

      it('refuses calls on a keyspace after it is dropped', async () => {
        const name = `${keyspace}_dropped`;
        const doomed = await provider.open(name);
        await doomed.put(b(1), b(1), b(1));
        await provider.drop(name);
        await rejectsWith(doomed.get(b(1), b(1)), 'CLOSED');
        await rejectsWith(doomed.put(b(1), b(1), b(1)), 'CLOSED');
        assert.ok(!(await provider.keyspaces()).includes(name));
      });

      it('opens the same keyspace twice as one, even concurrently', async () => {
        const name = `${keyspace}_twice`;
        const [first, second] = await Promise.all([provider.open(name), provider.open(name)]);
        assert.equal(first, second);
        await provider.drop(name);
        const again = await provider.open(keyspace);
        const pk = freshPk();
        await ks.put(pk, b(1), text('shared'));
        assert.equal(str(await again.get(pk, b(1))), 'shared');
      });

      it('refuses invalid keyspace names', async () => {
        for (const name of ['', 'Upper', '1abc', 'a-b', 'a'.repeat(49), 'x;drop']) {
          await rejectsWith(provider.open(name), 'INVALID_ARGUMENT');
        }
      });
    });

    if (target.reopen !== undefined) {
      const reopen = target.reopen;
      it('keeps every row, TTL included, after close and reopen', async () => {
        const pk = freshPk();
        await ks.put(pk, b(1), text('kept'));
        await ks.insertIfNotExists(pk, b(2), text('ttl'), 50);
        await provider.close();
        provider = await reopen(clock.read);
        ks = await provider.open(keyspace);
        assert.equal(str(await ks.get(pk, b(1))), 'kept');
        assert.equal(await ks.queryTtl(pk, b(2)), 50);
      });

      it('refuses calls after close', async () => {
        const closed = await reopen(clock.read);
        const storage = await closed.open(keyspace);
        await closed.close();
        await rejectsWith(storage.get(freshPk(), b(1)), 'CLOSED');
      });
    }
  });
}
