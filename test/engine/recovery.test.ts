// Restarts on a durable store (LMDB): partitions recover offsets and ID counters from their logs,
// data stays readable, and async projectors resume from their saved offsets.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Engine } from '../../src/processors/index.js';
import type { DbEvent } from '../../src/structs/index.js';
import {
  clientCud,
  collect,
  createShop,
  expectError,
  FIRST_ID,
  lmdbDir,
  must,
  newId,
  purchaseCud,
  range,
  record,
  singletonId,
  startOnLmdb,
  userWsid,
  viewRows,
  waitFor,
  wlogOffsets,
} from './support.js';

const dirs: { remove(): void }[] = [];
after(() => {
  for (const d of dirs) d.remove();
});

function newDir(): string {
  const d = lmdbDir();
  dirs.push(d);
  return d.path;
}

/** Every record ID an event gave out: created records and ODoc/ORecord arguments. */
function idsOf(e: DbEvent): number[] {
  const out = e.creates.map((r) => r.id);
  const visit = (n: NonNullable<DbEvent['argument']>) => {
    if (n.id !== 0) out.push(n.id);
    for (const c of n.children) visit(c);
  };
  if (e.argument !== null) visit(e.argument);
  return out;
}

async function allIds(engine: Engine, wsid: number): Promise<number[]> {
  return (await collect(engine.structs.readWLog(wsid, 1))).flatMap(idsOf);
}

async function plogOffsets(engine: Engine): Promise<number[][]> {
  return Promise.all(
    engine.partitions.map(async (p) =>
      (await collect(engine.structs.readPLog(p.id, 1))).map((e) => e.plogOffset),
    ),
  );
}

const line = (rawId: number, parent: number, item: string) => ({
  fields: {
    'sys.ID': rawId,
    'sys.QName': 'tst.PurchaseLine',
    'sys.ParentID': parent,
    'sys.Container': 'Lines',
    Item: item,
    Qty: 1,
  },
});

describe('recovery on LMDB', () => {
  test('IDs and offsets continue where they stopped; data stays readable', async () => {
    const path = newDir();
    const a = userWsid(1);
    const b = userWsid(2);
    const first = await startOnLmdb(path, { partitions: 2, background: false });
    let lastA: number;
    let lastIdA: number;
    let docId = 0;
    let receiptId: number;
    let plogBefore: number[][];
    try {
      const e = first.engine;
      await createShop(e, a);
      await createShop(e, b);
      assert.notEqual(e.partitionOf(a).id, e.partitionOf(b).id);
      for (const n of range(1, 3)) {
        const r = await e.command({
          wsid: a,
          command: 'sys.CUD',
          cuds: [purchaseCud(1, n), line(2, 1, `item ${n}`)],
        });
        docId = newId(r, 1);
      }
      const receipt = await e.command({
        wsid: a,
        command: 'tst.MakeReceipt',
        args: { 'sys.ID': 1, Total: 3, Items: [{ 'sys.ID': 2, Name: 'x', Price: 3 }] },
      });
      receiptId = newId(receipt, 1);
      await e.command({
        wsid: a,
        command: 'sys.CUD',
        cuds: [{ fields: { 'sys.ID': 1, 'sys.QName': 'tst.Settings', Theme: 'dark' } }],
      });
      const last = await e.command({
        wsid: a,
        command: 'sys.CUD',
        cuds: [clientCud(1, 'keep@x.io')],
      });
      lastA = last.currentWLogOffset;
      lastIdA = newId(last, 1);
      for (const n of range(1, 2)) {
        await e.command({ wsid: b, command: 'tst.Calc', args: { A: n, B: n } });
      }
      assert.deepEqual([lastA, lastIdA], [7, FIRST_ID + 8]);
      plogBefore = await plogOffsets(e);
    } finally {
      await first.close();
    }

    const second = await startOnLmdb(path, { partitions: 2, background: false });
    try {
      const e = second.engine;
      // Everything written before is there.
      assert.deepEqual(await plogOffsets(e), plogBefore);
      assert.deepEqual(await wlogOffsets(e, a), range(1, lastA));
      const doc = await record(e, a, docId);
      assert.deepEqual([doc.qname, doc.fields.Number], ['tst.Purchase', 3]);
      assert.equal((await record(e, a, lastIdA)).fields.Email, 'keep@x.io');
      assert.equal((await record(e, a, singletonId(e, 'tst.Settings'))).fields.Theme, 'dark');
      const receiptEvent = await e.structs.getWLogEvent(a, 5);
      assert.equal(receiptEvent?.argument?.id, receiptId);
      const docs = await collect(
        (await e.query({ wsid: a, query: 'sys.Collection', args: { Schema: 'tst.Purchase' } }))
          .rows,
      );
      assert.deepEqual(
        docs.map((d) => [d.Number, (d.Lines as { Item: string }[]).map((l) => l.Item)]),
        [
          [1, ['item 1']],
          [2, ['item 2']],
          [3, ['item 3']],
        ],
      );
      assert.equal((await viewRows(e, a, 'tst.PurchaseLog', { Part: 0 })).length, 3);
      // The application workspaces were not created again.
      for (const ws of e.appWorkspaces) assert.deepEqual(await wlogOffsets(e, ws), [1]);

      // New commands take the next offsets and IDs; nothing is reused.
      const next = await e.command({
        wsid: a,
        command: 'sys.CUD',
        cuds: [purchaseCud(1, 4), line(2, 1, 'item 4')],
      });
      assert.deepEqual(next, {
        currentWLogOffset: lastA + 1,
        newIds: { '1': lastIdA + 1, '2': lastIdA + 2 },
        result: undefined,
      });
      const calc = await e.command({ wsid: b, command: 'tst.Calc', args: { A: 1, B: 2 } });
      assert.deepEqual(calc.currentWLogOffset, 4);
      const plogAfter = await plogOffsets(e);
      for (let p = 0; p < plogAfter.length; p++) {
        assert.deepEqual(
          plogAfter[p],
          range(1, must(plogAfter[p]).length),
          `PLog ${p} is contiguous`,
        );
      }
      assert.equal(
        plogAfter.flat().length,
        plogBefore.flat().length + 2,
        'two new events in the partition logs',
      );
      // Singletons (descriptors, Settings) have their fixed IDs; the others come from the sequence.
      const ids = (await allIds(e, a)).filter((id) => id >= FIRST_ID);
      assert.equal(new Set(ids).size, ids.length, 'no record ID was given twice');
      assert.deepEqual(ids, range(FIRST_ID, lastIdA + 2));
      // Uniques and singletons survive the restart.
      await expectError(
        e.command({ wsid: a, command: 'sys.CUD', cuds: [clientCud(1, 'keep@x.io')] }),
        409,
        '"tst.Client" unique constraint violation',
      );
      await expectError(
        e.command({
          wsid: a,
          command: 'sys.CUD',
          cuds: [{ fields: { 'sys.ID': 1, 'sys.QName': 'tst.Settings' } }],
        }),
        409,
        'cuds[0]: singleton tst.Settings already exists',
      );
    } finally {
      await second.close();
    }
  });

  test('an async projector resumes from its saved offset: no event twice, none missed', async () => {
    const path = newDir();
    const ws = userWsid(3);
    const purchases = async (engine: Engine, numbers: number[]) => {
      for (const n of numbers) {
        await engine.command({ wsid: ws, command: 'sys.CUD', cuds: [purchaseCud(1, n)] });
        await engine.command({ wsid: ws, command: 'tst.Plain' });
      }
    };
    const rowsOf = async (engine: Engine) =>
      (await viewRows(engine, ws, 'tst.AsyncPurchaseLog', { Part: 0 })).map((r) => [
        r.Number,
        r.Calls,
      ]);

    const first = await startOnLmdb(path, { partitions: 2 });
    let saved: number;
    try {
      await createShop(first.engine, ws);
      await purchases(first.engine, range(1, 5));
      await waitFor(
        '5 rows of the async view',
        async () => (await rowsOf(first.engine)).length === 5,
      );
      assert.equal(first.probe.asyncPurchaseCalls, 5);
      const actualizer = first.engine.actualizers.find(
        (x) => x.name === 'tst.AsyncPurchases' && x.partition === first.engine.partitionOf(ws).id,
      );
      assert.ok(actualizer !== undefined);
      saved = actualizer.savedOffset;
      assert.ok(saved > 0);
    } finally {
      await first.close();
    }

    const second = await startOnLmdb(path, { partitions: 2 });
    try {
      const e = second.engine;
      const partition = e.partitionOf(ws).id;
      const actualizer = e.actualizers.find(
        (x) => x.name === 'tst.AsyncPurchases' && x.partition === partition,
      );
      assert.ok(actualizer !== undefined);
      const lastPlog = must((await collect(e.structs.readPLog(partition, 1))).at(-1)).plogOffset;
      await waitFor('the actualizer to catch up', () => actualizer.savedOffset === lastPlog);
      assert.ok(actualizer.savedOffset >= saved);
      assert.equal(second.probe.asyncPurchaseCalls, 0, 'no event was handled again');
      await purchases(e, range(6, 8));
      await waitFor('8 rows of the async view', async () => (await rowsOf(e)).length === 8);
      assert.deepEqual(
        await rowsOf(e),
        range(1, 8).map((n) => [n, 1]),
      );
      assert.equal(second.probe.asyncPurchaseCalls, 3);
    } finally {
      await second.close();
    }
  });

  test('events written while no actualizer ran are projected after the restart', async () => {
    const path = newDir();
    const ws = userWsid(4);
    const first = await startOnLmdb(path, { partitions: 2, background: false });
    try {
      await createShop(first.engine, ws);
      for (const n of range(1, 4)) {
        await first.engine.command({ wsid: ws, command: 'sys.CUD', cuds: [purchaseCud(1, n)] });
      }
      await first.engine.command({ wsid: ws, command: 'tst.Calc', args: { A: 20, B: 22 } });
      assert.equal(first.probe.asyncPurchaseCalls, 0);
      assert.deepEqual(await viewRows(first.engine, ws, 'tst.AsyncPurchaseLog', { Part: 0 }), []);
    } finally {
      await first.close();
    }
    const second = await startOnLmdb(path, { partitions: 2 });
    try {
      const e = second.engine;
      const rows = await waitFor('4 rows of the async view', async () => {
        const r = await viewRows(e, ws, 'tst.AsyncPurchaseLog', { Part: 0 });
        return r.length === 4 ? r : undefined;
      });
      assert.deepEqual(
        rows.map((r) => [r.WLogOffs, r.PurchaseID, r.Number, r.Calls]),
        range(1, 4).map((n) => [n + 1, FIRST_ID + n - 1, n, 1]),
      );
      const flaky = await waitFor('the Calc row', () =>
        viewRows(e, ws, 'tst.FlakyLog', { Part: 0 }).then((r) => r.length > 0 && r),
      );
      assert.deepEqual(flaky, [{ Part: 0, WLogOffs: 6, Sum: 42 }]);
      assert.equal(second.probe.asyncPurchaseCalls, 4);
    } finally {
      await second.close();
    }
  });
});
