// Sync and async projectors: views, triggers (core.md §4.8), failures and retries, and the
// notifications that commits and actualizers publish.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Actualizer } from '../../src/processors/projectors/actualizer.js';
import {
  APP_QNAME,
  createShop,
  engineForFile,
  expectError,
  FIRST_ID,
  type Probe,
  purchaseCud,
  sleep,
  startEngine,
  type TestEngine,
  ticketCud,
  updateCud,
  userWsid,
  viewRow,
  viewRows,
  waitFor,
  wlogOffsets,
} from './support.js';

const t = engineForFile(200);
const shop = t.shop;

function cud(wsid: number, cuds: unknown[]) {
  return t.engine.command({ wsid, command: 'sys.CUD', cuds });
}

/** The sync trigger projectors called for an event (async ones may or may not have run yet). */
function syncTriggered(probe: Probe, wsid: number, offset: number): string[] {
  return probe.triggered(wsid, offset).filter((n) => !n.startsWith('tst.Async'));
}

function actualizerOf(engine: TestEngine['engine'], name: string, wsid: number): Actualizer {
  const a = engine.actualizers.find(
    (x) => x.name === name && x.partition === engine.partitionOf(wsid).id,
  );
  assert.ok(a !== undefined, `actualizer ${name} of the workspace's partition`);
  return a;
}

describe('sync projectors', () => {
  test('the view is updated by the command itself and readable at once', async () => {
    const ws = await shop();
    const res = await cud(ws, [purchaseCud(1, 10), purchaseCud(2, 20)]);
    assert.deepEqual(await viewRows(t.engine, ws, 'tst.PurchaseLog', { Part: 0 }), [
      { Part: 0, WLogOffs: res.currentWLogOffset, PurchaseID: FIRST_ID, Number: 10 },
      { Part: 0, WLogOffs: res.currentWLogOffset, PurchaseID: FIRST_ID + 1, Number: 20 },
    ]);
    // AFTER INSERT only: an update adds nothing.
    await cud(ws, [updateCud(FIRST_ID, { Number: 11 })]);
    assert.equal((await viewRows(t.engine, ws, 'tst.PurchaseLog', { Part: 0 })).length, 2);
    const row = await viewRow(t.engine, ws, 'tst.PurchaseLog', {
      Part: 0,
      WLogOffs: res.currentWLogOffset,
      PurchaseID: FIRST_ID + 1,
    });
    assert.equal(row?.Number, 20);
  });

  test('a failing sync projector fails the command, which writes nothing', async () => {
    const ws = await shop();
    await cud(ws, [purchaseCud(1, 1)]);
    await expectError(
      cud(ws, [purchaseCud(1, 2), ticketCud(2, 'explode')]),
      500,
      'projector tst.OnTicketInsert: ticket exploded',
    );
    assert.deepEqual(await wlogOffsets(t.engine, ws), [1, 2]);
    assert.equal(await t.engine.structs.getRecord(ws, FIRST_ID + 1), undefined);
    assert.equal((await viewRows(t.engine, ws, 'tst.PurchaseLog', { Part: 0 })).length, 1);
  });
});

describe('triggers', () => {
  test('AFTER EXECUTE ON a command and AFTER EXECUTE WITH PARAM ON its parameter type', async () => {
    const ws = await shop();
    const res = await t.engine.command({ wsid: ws, command: 'tst.Calc', args: { A: 1, B: 2 } });
    assert.deepEqual(syncTriggered(t.probe, ws, res.currentWLogOffset), [
      'tst.OnCalc',
      'tst.OnCalcParams',
    ]);
    const call = t.probe.triggers.find((c) => c.wsid === ws && c.name === 'tst.OnCalcParams');
    assert.deepEqual(call?.args, { 'sys.QName': 'tst.CalcParams', A: 1, B: 2 });
    assert.equal(call?.qname, 'tst.Calc');
    const plain = await t.engine.command({ wsid: ws, command: 'tst.Plain' });
    assert.deepEqual(t.probe.triggered(ws, plain.currentWLogOffset), []);
  });

  test('AFTER EXECUTE WITH PARAM ON an ODoc, sync and async, with storage IDs', async () => {
    const ws = await shop();
    const res = await t.engine.command({
      wsid: ws,
      command: 'tst.MakeReceipt',
      args: { 'sys.ID': 1, Total: 7, Items: [{ 'sys.ID': 2, Name: 'pen', Price: 7 }] },
    });
    const offset = res.currentWLogOffset;
    assert.deepEqual(syncTriggered(t.probe, ws, offset), ['tst.OnReceipt']);
    const expectedArgs = {
      'sys.QName': 'tst.Receipt',
      'sys.ID': FIRST_ID,
      Total: 7,
      Items: [
        {
          'sys.QName': 'tst.ReceiptItem',
          'sys.ID': FIRST_ID + 1,
          'sys.ParentID': FIRST_ID,
          Name: 'pen',
          Price: 7,
        },
      ],
    };
    const sync = t.probe.triggers.find((c) => c.wsid === ws && c.name === 'tst.OnReceipt');
    assert.deepEqual(sync?.args, expectedArgs);
    const async = await waitFor('the async projector', () =>
      t.probe.triggers.find((c) => c.wsid === ws && c.name === 'tst.AsyncOnReceipt'),
    );
    assert.deepEqual(
      [async.wlogOffset, async.qname, async.args],
      [offset, 'tst.MakeReceipt', expectedArgs],
    );
  });

  test('AFTER INSERT, UPDATE, ACTIVATE and DEACTIVATE ON a table', async () => {
    const ws = await shop();
    const step = async (cuds: unknown[]) => {
      const r = await cud(ws, cuds);
      return syncTriggered(t.probe, ws, r.currentWLogOffset);
    };
    assert.deepEqual(await step([ticketCud(1, 'new')]), ['tst.OnTicketInsert']);
    const id = FIRST_ID;
    assert.deepEqual(await step([updateCud(id, { Title: 'changed' })]), ['tst.OnTicketUpdate']);
    assert.deepEqual(await step([updateCud(id, { 'sys.IsActive': false })]), [
      'tst.OnTicketDeactivate',
      'tst.OnTicketUpdate',
    ]);
    // Already inactive: an update, not a deactivation.
    assert.deepEqual(await step([updateCud(id, { 'sys.IsActive': false })]), [
      'tst.OnTicketUpdate',
    ]);
    assert.deepEqual(await step([updateCud(id, { 'sys.IsActive': true })]), [
      'tst.OnTicketActivate',
      'tst.OnTicketUpdate',
    ]);
    // Other tables do not trigger them.
    assert.deepEqual(await step([purchaseCud(1, 1)]), []);
    // A record inserted by a command's intents is an insert too.
    const opened = await t.engine.command({
      wsid: ws,
      command: 'tst.OpenTicket',
      args: { Message: 'by intent' },
    });
    assert.deepEqual(syncTriggered(t.probe, ws, opened.currentWLogOffset), ['tst.OnTicketInsert']);
    // One event with an insert and an update triggers both, once each.
    assert.deepEqual(await step([ticketCud(1, 'another'), updateCud(id, { Title: 'again' })]), [
      'tst.OnTicketInsert',
      'tst.OnTicketUpdate',
    ]);
  });
});

describe('async projectors', () => {
  test('the view is eventually updated and the saved offset advances', async () => {
    const ws = await shop();
    const res = await cud(ws, [purchaseCud(1, 5)]);
    const row = await waitFor('the async view row', () =>
      viewRow(t.engine, ws, 'tst.AsyncPurchaseLog', {
        Part: 0,
        WLogOffs: res.currentWLogOffset,
        PurchaseID: FIRST_ID,
      }),
    );
    assert.deepEqual(row, {
      Part: 0,
      WLogOffs: res.currentWLogOffset,
      PurchaseID: FIRST_ID,
      Number: 5,
      Calls: 1,
    });
    const a = actualizerOf(t.engine, 'tst.AsyncPurchases', ws);
    const event = await t.engine.structs.getWLogEvent(ws, res.currentWLogOffset);
    await waitFor('the saved offset', () => a.savedOffset >= (event?.plogOffset ?? Infinity));
    assert.equal(a.failures, 0);
  });

  test('a failing projector is retried with back-off and does not block another', async () => {
    const own = await startEngine({ partitions: 1 });
    try {
      const { engine, probe } = own;
      const ws = userWsid(1);
      await createShop(engine, ws);
      probe.flaky.broken = true;
      const calc = await engine.command({ wsid: ws, command: 'tst.Calc', args: { A: 1, B: 2 } });
      const purchase = await engine.command({
        wsid: ws,
        command: 'sys.CUD',
        cuds: [purchaseCud(1, 9)],
      });
      // The other projector of the same partition goes on.
      await waitFor('the purchase in the async view', () =>
        viewRow(engine, ws, 'tst.AsyncPurchaseLog', {
          Part: 0,
          WLogOffs: purchase.currentWLogOffset,
          PurchaseID: FIRST_ID,
        }),
      );
      const flaky = actualizerOf(engine, 'tst.Flaky', ws);
      await waitFor('two failures', () => flaky.failures >= 2);
      assert.match(flaky.lastError?.message ?? '', /^flaky failure \d+$/);
      const retries = probe.logs
        .filter((l) => l.level === 'error' && l.message.startsWith('projector tst.Flaky'))
        .map((l) => l.message);
      assert.deepEqual(retries.slice(0, 2), [
        'projector tst.Flaky (partition 0) failed, retrying in 100 ms: flaky failure 1',
        'projector tst.Flaky (partition 0) failed, retrying in 200 ms: flaky failure 2',
      ]);
      assert.deepEqual(await viewRows(engine, ws, 'tst.FlakyLog', { Part: 0 }), []);
      probe.flaky.broken = false;
      const rows = await waitFor('the Flaky view row', async () => {
        const r = await viewRows(engine, ws, 'tst.FlakyLog', { Part: 0 });
        return r.length > 0 && r;
      });
      assert.deepEqual(rows, [{ Part: 0, WLogOffs: calc.currentWLogOffset, Sum: 3 }]);
      await waitFor('the failures to reset', () => flaky.failures === 0);
      assert.equal(flaky.lastError, undefined);
      // The purchase projector saw its event once.
      assert.equal(probe.asyncPurchaseCalls, 1);
    } finally {
      await own.close();
    }
  });

  test('a projector that fails its first two calls succeeds on the third', async () => {
    const own = await startEngine({ partitions: 1 });
    try {
      const { engine, probe } = own;
      const ws = userWsid(1);
      await createShop(engine, ws);
      probe.flaky.failFirst = 2;
      const calc = await engine.command({ wsid: ws, command: 'tst.Calc', args: { A: 4, B: 5 } });
      const rows = await waitFor('the Flaky view row', async () => {
        const r = await viewRows(engine, ws, 'tst.FlakyLog', { Part: 0 });
        return r.length > 0 && r;
      });
      assert.deepEqual(rows, [{ Part: 0, WLogOffs: calc.currentWLogOffset, Sum: 9 }]);
      assert.equal(probe.flaky.calls, 3);
      assert.equal(probe.logs.filter((l) => l.message.startsWith('projector tst.Flaky')).length, 2);
      await waitFor(
        'the failures to reset',
        () => actualizerOf(engine, 'tst.Flaky', ws).failures === 0,
      );
    } finally {
      await own.close();
    }
  });
});

describe('notifications', () => {
  test('a sync view notifies the offset of the command that changed it', async () => {
    const ws = await shop();
    const other = await shop();
    const got: number[] = [];
    const otherGot: number[] = [];
    const foreign: number[] = [];
    const unsubscribe = t.engine.broker.subscribe(
      { app: APP_QNAME, projection: 'tst.PurchaseLog', wsid: ws },
      (offset) => got.push(offset),
    );
    const unsubscribeOther = t.engine.broker.subscribe(
      { app: APP_QNAME, projection: 'tst.PurchaseLog', wsid: other },
      (offset) => otherGot.push(offset),
    );
    const unsubscribeForeign = t.engine.broker.subscribe(
      { app: 'other/app', projection: 'tst.PurchaseLog', wsid: ws },
      (offset) => foreign.push(offset),
    );
    try {
      const r1 = await cud(ws, [purchaseCud(1, 1)]);
      await cud(ws, [ticketCud(1, 'no purchase')]);
      const r3 = await cud(ws, [purchaseCud(1, 2)]);
      await waitFor('two notifications', () => got.length >= 2);
      assert.deepEqual(got, [r1.currentWLogOffset, r3.currentWLogOffset]);
      assert.deepEqual(otherGot, []);
      assert.deepEqual(foreign, []);
      // A late subscriber gets the latest offset at once.
      const late: number[] = [];
      const unsubscribeLate = t.engine.broker.subscribe(
        { app: APP_QNAME, projection: 'tst.PurchaseLog', wsid: ws },
        (offset) => late.push(offset),
      );
      await waitFor('the latest offset', () => late.length > 0);
      assert.deepEqual(late, [r3.currentWLogOffset]);
      unsubscribeLate();
    } finally {
      unsubscribe();
      unsubscribeOther();
      unsubscribeForeign();
    }
    // After unsubscribing nothing more arrives.
    await cud(ws, [purchaseCud(1, 3)]);
    await sleep(20);
    assert.equal(got.length, 2);
  });

  test('an async view notifies once the actualizer has written it', async () => {
    const ws = await shop();
    const got: number[] = [];
    const unsubscribe = t.engine.broker.subscribe(
      { app: APP_QNAME, projection: 'tst.AsyncPurchaseLog', wsid: ws },
      (offset) => got.push(offset),
    );
    try {
      const res = await cud(ws, [purchaseCud(1, 1)]);
      await waitFor('the notification', () => got.includes(res.currentWLogOffset));
      // By then the row is readable.
      const row = await viewRow(t.engine, ws, 'tst.AsyncPurchaseLog', {
        Part: 0,
        WLogOffs: res.currentWLogOffset,
        PurchaseID: FIRST_ID,
      });
      assert.equal(row?.Calls, 1);
    } finally {
      unsubscribe();
    }
  });

  test('subscriptions are counted and removed', () => {
    const before = t.engine.broker.subscriptions;
    const off1 = t.engine.broker.subscribe(
      { app: APP_QNAME, projection: 'tst.PurchaseLog', wsid: 1 },
      () => {},
    );
    const off2 = t.engine.broker.subscribe(
      { app: APP_QNAME, projection: 'tst.PurchaseLog', wsid: 1 },
      () => {},
    );
    assert.equal(t.engine.broker.subscriptions, before + 2);
    off1();
    off2();
    assert.equal(t.engine.broker.subscriptions, before);
  });
});
