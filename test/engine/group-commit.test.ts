// Partitions and group commit: concurrent commands, batches, failures inside a batch, reads of
// pending writes, and failed storage writes.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CommandResult } from '../../src/processors/index.js';
import {
  clientCud,
  collect,
  createShop,
  expectError,
  FIRST_ID,
  must,
  newId,
  type ProbeStorage,
  purchaseCud,
  range,
  record,
  singletonId,
  startEngine,
  ticketCud,
  updateCud,
  userWsid,
  viewRows,
  waitFor,
  wlogOffsets,
} from './support.js';

describe('group commit', () => {
  test('hundreds of concurrent commands over several workspaces and partitions', async () => {
    const t = await startEngine({ partitions: 4, probeStorage: true, background: false });
    try {
      const { engine } = t;
      const workspaces = range(1, 8).map(userWsid);
      await Promise.all(workspaces.map((ws) => createShop(engine, ws)));
      assert.deepEqual(
        new Set(workspaces.map((ws) => engine.partitionOf(ws).id)),
        new Set([0, 1, 2, 3]),
        'the workspaces are spread over every partition',
      );
      const perWs = 30;
      const batchesBefore = must(t.probeStorage).batches;
      const submitted = workspaces.flatMap((ws) =>
        range(1, perWs).map((n) => ({
          ws,
          n,
          answer: engine.command({
            wsid: ws,
            command: 'sys.CUD',
            cuds: [
              purchaseCud(1, n),
              {
                fields: {
                  'sys.ID': 2,
                  'sys.QName': 'tst.PurchaseLine',
                  'sys.ParentID': 1,
                  'sys.Container': 'Lines',
                  Item: `item ${n}`,
                  Qty: n,
                },
              },
            ],
          }),
        })),
      );
      assert.equal(submitted.length, 240);
      const answers = await Promise.all(submitted.map((s) => s.answer));
      const batches = must(t.probeStorage).batches - batchesBefore;
      assert.ok(batches <= 24, `240 commands were written in ${batches} storage batches`);

      for (const ws of workspaces) {
        const mine = submitted
          .map((s, i) => ({ ...s, res: answers[i] as CommandResult }))
          .filter((s) => s.ws === ws);
        // Commands of a workspace run in the order they were submitted.
        assert.deepEqual(
          mine.map((s) => s.res.currentWLogOffset),
          range(2, perWs + 1),
        );
        const ids = mine.flatMap((s) => [s.res.newIds['1'], s.res.newIds['2']]);
        assert.deepEqual(ids, range(FIRST_ID, FIRST_ID + 2 * perWs - 1));
        assert.deepEqual(await wlogOffsets(engine, ws), range(1, perWs + 1));
        // Each record is the one its command created.
        const last = must(mine.at(-1));
        const doc = await record(engine, ws, newId(last.res, 1));
        assert.equal(doc.fields.Number, perWs);
        const lineRec = await record(engine, ws, newId(last.res, 2));
        assert.deepEqual([lineRec.parentId, lineRec.fields.Qty], [doc.id, perWs]);
        // The sync view has a row per command.
        assert.equal((await viewRows(engine, ws, 'tst.PurchaseLog', { Part: 0 })).length, perWs);
      }
      // Every partition's log is contiguous from 1.
      let events = 0;
      for (const p of engine.partitions) {
        const offsets = (await collect(engine.structs.readPLog(p.id, 1))).map((e) => e.plogOffset);
        assert.deepEqual(offsets, range(1, offsets.length), `PLog of partition ${p.id}`);
        events += offsets.length;
      }
      // 240 commands, 8 workspace creations, 2 application workspaces.
      assert.equal(events, 240 + 8 + engine.appWorkspaces.length);
    } finally {
      await t.close();
    }
  });

  test('a batch limit splits the queue into several batches in order', async () => {
    const t = await startEngine({
      partitions: 1,
      maxBatchCommands: 5,
      probeStorage: true,
      background: false,
    });
    try {
      const ws = userWsid(1);
      await createShop(t.engine, ws);
      const before = must(t.probeStorage).batches;
      const answers = await Promise.all(
        range(1, 40).map((n) =>
          t.engine.command({ wsid: ws, command: 'tst.Calc', args: { A: n, B: 0 } }),
        ),
      );
      assert.deepEqual(
        answers.map((a) => a.result?.Sum),
        range(1, 40),
      );
      assert.deepEqual(
        answers.map((a) => a.currentWLogOffset),
        range(2, 41),
      );
      const batches = must(t.probeStorage).batches - before;
      assert.ok(
        batches >= 8 && batches <= 40,
        `40 commands, at most 5 a batch: ${batches} batches`,
      );
    } finally {
      await t.close();
    }
  });

  test('a failing command in a batch is answered with its error and leaves no trace', async () => {
    const t = await startEngine({ partitions: 1, probeStorage: true, background: false });
    try {
      const { engine } = t;
      const ws = userWsid(1);
      await createShop(engine, ws);
      const before = must(t.probeStorage).batches;
      const cud = (cuds: unknown[]) => engine.command({ wsid: ws, command: 'sys.CUD', cuds });
      // All submitted in the same tick, so they run in one batch, each on the ones before it.
      const results = await Promise.allSettled([
        cud([clientCud(1, 'g@x.io')]),
        cud([purchaseCud(1, 1, { Nope: 1 })]),
        cud([purchaseCud(1, 2)]),
        cud([clientCud(1, 'g@x.io')]),
        engine.command({ wsid: ws, command: 'tst.Boom', args: { Message: 'boom in batch' } }),
        engine.command({ wsid: ws, command: 'tst.Calc', args: { A: 1, B: 2 } }),
        // The purchase above gets the second ID; a later command of the batch updates it.
        cud([updateCud(FIRST_ID + 1, { Code: 'ZZ' })]),
        cud([purchaseCud(1, 3)]),
      ]);
      assert.equal(must(t.probeStorage).batches - before, 1, 'one storage batch');
      const outcome = results.map((r) =>
        r.status === 'fulfilled'
          ? { offset: r.value.currentWLogOffset, ids: r.value.newIds }
          : {
              status: (r.reason as { status: number }).status,
              message: (r.reason as Error).message,
            },
      );
      assert.deepEqual(outcome, [
        { offset: 2, ids: { '1': FIRST_ID } },
        { status: 400, message: 'cuds[0]: field «Nope» is not defined in tst.Purchase' },
        { offset: 3, ids: { '1': FIRST_ID + 1 } },
        { status: 409, message: '"tst.Client" unique constraint violation' },
        { status: 500, message: 'boom in batch' },
        { offset: 4, ids: {} },
        { offset: 5, ids: {} },
        { offset: 6, ids: { '1': FIRST_ID + 2 } },
      ]);
      assert.deepEqual(await wlogOffsets(engine, ws), range(1, 6));
      assert.deepEqual((await record(engine, ws, FIRST_ID + 1)).fields, { Number: 2, Code: 'ZZ' });
      assert.equal((await record(engine, ws, FIRST_ID + 2)).fields.Number, 3);
      assert.equal(await engine.structs.getRecord(ws, FIRST_ID + 3), undefined);
      assert.deepEqual(
        (await viewRows(engine, ws, 'tst.PurchaseLog', { Part: 0 })).map((r) => [
          r.WLogOffs,
          r.Number,
        ]),
        [
          [3, 2],
          [6, 3],
        ],
      );
    } finally {
      await t.close();
    }
  });

  test('the same unique value created concurrently: the first wins, the others are 409', async () => {
    const t = await startEngine({ partitions: 2, background: false });
    try {
      const { engine } = t;
      const a = userWsid(1);
      const b = userWsid(2);
      await Promise.all([createShop(engine, a), createShop(engine, b)]);
      const submit = (ws: number) =>
        engine.command({ wsid: ws, command: 'sys.CUD', cuds: [clientCud(1, 'same@x.io')] });
      const results = await Promise.allSettled([...range(1, 10).map(() => submit(a)), submit(b)]);
      const statuses = results.map((r) =>
        r.status === 'fulfilled' ? 200 : (r.reason as { status: number }).status,
      );
      assert.deepEqual(statuses, [200, ...Array(9).fill(409), 200]);
      // Uniques are per workspace.
      const [first, , , , , , , , , , other] = results;
      assert.equal(first?.status === 'fulfilled' && first.value.newIds['1'], FIRST_ID);
      assert.equal(other?.status === 'fulfilled' && other.value.newIds['1'], FIRST_ID);
      assert.deepEqual(await wlogOffsets(engine, a), [1, 2]);
    } finally {
      await t.close();
    }
  });

  /** Holds the probe storage's batch writes until `release`; `started` resolves at the first. */
  function holdWrites(ps: ProbeStorage) {
    let release!: () => void;
    ps.gate = new Promise((resolve) => {
      release = resolve;
    });
    let started!: () => void;
    const writeStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    ps.onBatch = () => started();
    return {
      writeStarted,
      release: () => {
        ps.onBatch = undefined;
        ps.gate = undefined;
        release();
      },
    };
  }

  test('a batch executes on the writes of the batch still being written; answers wait for durability', async () => {
    // One command a batch, so that the second command is the next batch.
    const t = await startEngine({
      partitions: 1,
      maxBatchCommands: 1,
      probeStorage: true,
      background: false,
    });
    const { engine, probe } = t;
    const ws = userWsid(1);
    await createShop(engine, ws);
    const held = holdWrites(must(t.probeStorage));
    try {
      const settled: string[] = [];
      const track = <T>(name: string, p: Promise<T>) =>
        p.then(
          (v) => {
            settled.push(name);
            return v;
          },
          (e: unknown) => {
            settled.push(name);
            throw e;
          },
        );
      const settingsId = singletonId(engine, 'tst.Settings');
      const p1 = track(
        'p1',
        engine.command({
          wsid: ws,
          command: 'sys.CUD',
          cuds: [
            { fields: { 'sys.ID': 1, 'sys.QName': 'tst.Settings', Theme: 'dark' } },
            ticketCud(2, 'first'),
          ],
        }),
      );
      // The ticket of p1 gets the first ID; p2 updates it by that ID.
      const p2 = track(
        'p2',
        engine.command({
          wsid: ws,
          command: 'sys.CUD',
          cuds: [
            updateCud(settingsId, { Theme: 'light' }),
            updateCud(FIRST_ID, { Title: 'second' }),
          ],
        }),
      );
      const p3 = expectError(
        track(
          'p3',
          engine.command({
            wsid: ws,
            command: 'sys.CUD',
            cuds: [{ fields: { 'sys.ID': 1, 'sys.QName': 'tst.Settings' } }],
          }),
        ),
        409,
        'cuds[0]: singleton tst.Settings already exists',
      );
      await held.writeStarted;
      // p2 ran (its sync projector saw the update) while p1's batch was still being written.
      await waitFor('p2 to execute', () => probe.triggered(ws, 3).includes('tst.OnTicketUpdate'));
      assert.equal(await engine.structs.getRecord(ws, FIRST_ID), undefined, 'p1 is not stored yet');
      assert.equal(settled.length, 0, 'nothing is answered before it is durable');
      held.release();
      const [r1, r2] = await Promise.all([p1, p2, p3]);
      assert.deepEqual([...settled].sort(), ['p1', 'p2', 'p3']);
      assert.ok(settled.indexOf('p1') < settled.indexOf('p2'), 'batches are answered in order');
      assert.deepEqual([r1.currentWLogOffset, r1.newIds], [2, { '2': FIRST_ID }]);
      assert.deepEqual([r2.currentWLogOffset, r2.newIds], [3, {}]);
      assert.equal((await record(engine, ws, settingsId)).fields.Theme, 'light');
      assert.deepEqual((await record(engine, ws, FIRST_ID)).fields, { Title: 'second' });
    } finally {
      held.release();
      await t.close();
    }
  });

  test('a command submitted while its partition writes a batch executes before that write is durable', async () => {
    const t = await startEngine({ partitions: 1, probeStorage: true, background: false });
    const { engine, probe } = t;
    const ws = userWsid(1);
    await createShop(engine, ws);
    const held = holdWrites(must(t.probeStorage));
    try {
      const p1 = engine.command({ wsid: ws, command: 'sys.CUD', cuds: [ticketCud(1, 'a')] });
      await held.writeStarted;
      const p2 = engine.command({
        wsid: ws,
        command: 'sys.CUD',
        cuds: [updateCud(FIRST_ID, { Title: 'b' })],
      });
      try {
        await waitFor(
          'p2 to execute while p1 is written',
          () => probe.triggered(ws, 3).includes('tst.OnTicketUpdate'),
          300,
        );
      } finally {
        held.release();
        await Promise.allSettled([p1, p2]);
      }
    } finally {
      held.release();
      await t.close();
    }
  });

  test('a failed storage write fails its batch; the partition recovers from its log', async () => {
    const t = await startEngine({ partitions: 1, probeStorage: true, background: false });
    try {
      const { engine } = t;
      const ps = must(t.probeStorage);
      const a = userWsid(1);
      const b = userWsid(2);
      await createShop(engine, a);
      await createShop(engine, b);
      for (const n of range(1, 3)) {
        await engine.command({ wsid: b, command: 'sys.CUD', cuds: [purchaseCud(1, n)] });
      }
      ps.failBatches = 1;
      const failed = await Promise.allSettled([
        engine.command({ wsid: a, command: 'sys.CUD', cuds: [purchaseCud(1, 10)] }),
        engine.command({ wsid: a, command: 'tst.Calc', args: { A: 1, B: 1 } }),
        engine.command({ wsid: b, command: 'sys.CUD', cuds: [purchaseCud(1, 11)] }),
      ]);
      for (const r of failed) {
        assert.equal(r.status, 'rejected');
        const e = (r as PromiseRejectedResult).reason as { status: number; message: string };
        assert.equal(e.status, 500);
        assert.match(e.message, /^storage write failed: injected write failure/);
      }
      assert.ok(
        t.probe.logs.some((l) => l.level === 'error' && /batch write failed/.test(l.message)),
        'the failure is logged',
      );
      // Nothing of the failed batch exists, and the counters continue from the log.
      const ra = await engine.command({ wsid: a, command: 'sys.CUD', cuds: [purchaseCud(1, 12)] });
      assert.deepEqual([ra.currentWLogOffset, ra.newIds], [2, { '1': FIRST_ID }]);
      const rb = await engine.command({ wsid: b, command: 'sys.CUD', cuds: [purchaseCud(1, 13)] });
      assert.deepEqual([rb.currentWLogOffset, rb.newIds], [5, { '1': FIRST_ID + 3 }]);
      assert.deepEqual(await wlogOffsets(engine, a), [1, 2]);
      assert.deepEqual(await wlogOffsets(engine, b), range(1, 5));
      assert.equal((await record(engine, a, FIRST_ID)).fields.Number, 12);
    } finally {
      await t.close();
    }
  });

  test('a batch built on a failed write is answered 503 and nothing of either is kept', async () => {
    const t = await startEngine({
      partitions: 1,
      maxBatchCommands: 1,
      probeStorage: true,
      background: false,
    });
    const ps = must(t.probeStorage);
    const { engine } = t;
    const ws = userWsid(1);
    await createShop(engine, ws);
    const held = holdWrites(ps);
    try {
      ps.failBatches = 1;
      const p1 = engine.command({ wsid: ws, command: 'sys.CUD', cuds: [purchaseCud(1, 1)] });
      const p2 = engine.command({ wsid: ws, command: 'sys.CUD', cuds: [ticketCud(1, 'b')] });
      await held.writeStarted;
      // p2 runs on top of p1's pending batch; then p1's write fails.
      await waitFor('p2 to execute', () => t.probe.triggered(ws, 3).includes('tst.OnTicketInsert'));
      held.release();
      await expectError(p1, 500, /^storage write failed: injected write failure/);
      await expectError(p2, 503, 'partition 0 is recovering after a failed write, retry');
      const p3 = await engine.command({ wsid: ws, command: 'sys.CUD', cuds: [purchaseCud(1, 3)] });
      assert.deepEqual([p3.currentWLogOffset, p3.newIds], [2, { '1': FIRST_ID }]);
      assert.deepEqual(await wlogOffsets(engine, ws), [1, 2]);
      assert.equal((await record(engine, ws, FIRST_ID)).fields.Number, 3);
    } finally {
      held.release();
      await t.close();
    }
  });
});
