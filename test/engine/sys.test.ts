// The sys package's behaviour (core.md §7): workspace descriptors, application workspaces, and the
// RecordsRegistry, CollectionView and WLogDates views.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MemStorageProvider } from '../../src/storage/index.js';
import { FIRST_APP_WSID_BASE, MAIN_CLUSTER_ID, newWsid } from '../../src/structs/index.js';
import {
  APP_QNAME,
  createShop,
  engineForFile,
  expectError,
  FIRST_ID,
  ManualClock,
  must,
  newId,
  OTHER_WS,
  purchaseCud,
  record,
  SHOP_WS,
  singletonId,
  startEngine,
  type TestEngine,
  updateCud,
  viewRow,
  viewRows,
  waitFor,
  wlogOffsets,
} from './support.js';

const clock = new ManualClock(Date.UTC(2024, 2, 15, 10, 0, 0));
const t = engineForFile(400, { clock });
const newWs = t.nextWsid;

describe('workspaces', () => {
  test('createWorkspace writes sys.WorkspaceDescriptor: kind, owner, Status 0, init timestamps', async () => {
    const ws = newWs();
    clock.advance(1000);
    const now = clock.now;
    await t.engine.createWorkspace({
      wsid: ws,
      kind: SHOP_WS,
      name: 'main shop',
      ownerWsid: 12345,
      ownerQName: 'tst.Client',
      ownerId: 77,
      initData: { Name: 'Main', Region: 3 },
    });
    const id = singletonId(t.engine, 'sys.WorkspaceDescriptor');
    assert.ok(id >= 65536 && id <= 66047);
    assert.deepEqual(await record(t.engine, ws, id), {
      qname: 'sys.WorkspaceDescriptor',
      id,
      parentId: 0,
      container: '',
      isActive: true,
      fields: {
        OwnerWSID: 12345,
        OwnerQName: 'tst.Client',
        OwnerID: 77,
        OwnerApp: APP_QNAME,
        WSName: 'main shop',
        WSKind: SHOP_WS,
        WSID: ws,
        WSKindInitializationData: '{"Name":"Main","Region":3}',
        CreatedAtMs: now,
        InitStartedAtMs: now,
        InitCompletedAtMs: now,
        Status: 0,
      },
    });
    const event = await t.engine.structs.getWLogEvent(ws, 1);
    assert.deepEqual(
      [event?.qname, event?.registeredAt, event?.creates.map((r) => r.qname)],
      ['sys.CreateWorkspace', now, ['sys.WorkspaceDescriptor', 'tst.ShopDescriptor']],
    );
  });

  test("the kind's descriptor singleton is created from the initialisation data", async () => {
    const ws = newWs();
    await t.engine.createWorkspace({
      wsid: ws,
      kind: SHOP_WS,
      name: 'x',
      initData: { Name: 'Shop X', Region: 9 },
    });
    const id = singletonId(t.engine, 'tst.ShopDescriptor');
    assert.ok(id >= 65536 && id <= 66047);
    assert.deepEqual(await record(t.engine, ws, id), {
      qname: 'tst.ShopDescriptor',
      id,
      parentId: 0,
      container: '',
      isActive: true,
      fields: { Name: 'Shop X', Region: 9 },
    });
    const other = newWs();
    await t.engine.createWorkspace({ wsid: other, kind: OTHER_WS, name: 'o' });
    const otherId = singletonId(t.engine, 'tst.OtherDescriptor');
    assert.deepEqual((await record(t.engine, other, otherId)).fields, {});
    assert.equal(await t.engine.structs.getRecord(other, id), undefined);
  });

  test('bad initialisation data fails the creation and leaves the workspace uninitialised', async () => {
    const ws = newWs();
    const create = (initData: Record<string, unknown>) =>
      t.engine.createWorkspace({ wsid: ws, kind: SHOP_WS, name: 'bad', initData });
    await expectError(
      create({ Region: 1 }),
      400,
      'intents: required field «Name» of tst.ShopDescriptor is not set',
    );
    await expectError(
      create({ Name: 'n', Nope: 1 }),
      400,
      'intents: field «Nope» is not defined in tst.ShopDescriptor',
    );
    await expectError(
      create({ Name: 'n', Region: 'north' }),
      400,
      'intents: field «Region» must be an int32 integer, got "north"',
    );
    await expectError(
      t.engine.command({
        wsid: ws,
        command: 'sys.CreateWorkspace',
        system: true,
        args: {
          OwnerWSID: 0,
          OwnerID: 0,
          OwnerApp: APP_QNAME,
          WSName: 'bad',
          WSKind: SHOP_WS,
          WSKindInitializationData: '{not json',
        },
      }),
      400,
      'WSKindInitializationData is not valid JSON',
    );
    assert.deepEqual(await wlogOffsets(t.engine, ws), []);
    await expectError(
      t.engine.command({ wsid: ws, command: 'tst.Plain' }),
      403,
      'workspace is not initialized',
    );
    await create({ Name: 'good' });
    await t.engine.command({ wsid: ws, command: 'tst.Plain' });
  });

  test('a workspace is created once; only concrete workspace kinds can be created', async () => {
    const ws = newWs();
    await createShop(t.engine, ws);
    await expectError(
      createShop(t.engine, ws),
      409,
      'intents: singleton sys.WorkspaceDescriptor already exists',
    );
    for (const kind of ['sys.Workspace', 'tst.NoSuchWS', 'sys.ProfileWS']) {
      await expectError(
        t.engine.createWorkspace({ wsid: newWs(), kind, name: 'k' }),
        400,
        `${kind} is not a workspace kind that can be created`,
      );
    }
    assert.deepEqual(await wlogOffsets(t.engine, ws), [1]);
  });

  test('a workspace with a template is not initialised; InitializeWorkspace records why', async () => {
    const ws = newWs();
    await t.engine.command({
      wsid: ws,
      command: 'sys.CreateWorkspace',
      system: true,
      args: {
        OwnerWSID: 0,
        OwnerID: 0,
        OwnerApp: APP_QNAME,
        WSName: 'templated',
        WSKind: SHOP_WS,
        WSKindInitializationData: '{"Name":"T"}',
        TemplateName: 'tpl',
      },
    });
    await expectError(
      t.engine.command({ wsid: ws, command: 'tst.Plain' }),
      403,
      'workspace is not initialized',
    );
    const id = singletonId(t.engine, 'sys.WorkspaceDescriptor');
    const descriptor = await waitFor('the InitError', async () => {
      const d = await t.engine.structs.getRecord(ws, id);
      return d?.fields.InitError !== undefined && d;
    });
    assert.equal(
      descriptor.fields.InitError,
      'workspace template tpl cannot be applied: templates are not supported yet',
    );
    assert.equal(descriptor.fields.InitCompletedAtMs, undefined);
    await expectError(
      t.engine.command({ wsid: ws, command: 'tst.Plain' }),
      403,
      'workspace is not initialized',
    );
  });
});

describe('application workspaces', () => {
  test('are created at start, once', async () => {
    const provider = new MemStorageProvider();
    const appWs = (i: number) => newWsid(MAIN_CLUSTER_ID, FIRST_APP_WSID_BASE + i);
    const descriptorOf = async (e: TestEngine['engine'], ws: number) =>
      record(e, ws, singletonId(e, 'sys.WorkspaceDescriptor'));
    const first = await startEngine({ provider, appWorkspaces: 2, background: false });
    try {
      assert.deepEqual(first.engine.appWorkspaces, [appWs(0), appWs(1)]);
      for (const [i, ws] of first.engine.appWorkspaces.entries()) {
        const d = await descriptorOf(first.engine, ws);
        assert.deepEqual(
          [d.fields.WSKind, d.fields.WSName, d.fields.Status, d.fields.WSID],
          ['sys.AppWorkspaceWS', `appws-${i}`, 0, ws],
        );
        assert.ok(Number(d.fields.InitCompletedAtMs) > 0);
        const kindDescriptor = await first.engine.structs.getRecord(
          ws,
          singletonId(first.engine, 'sys.AppWorkspace'),
        );
        assert.equal(kindDescriptor?.qname, 'sys.AppWorkspace');
      }
    } finally {
      await first.close();
    }
    // A restart on the same storage, with one application workspace more.
    const second = await startEngine({ provider, appWorkspaces: 3, background: false });
    try {
      const e = second.engine;
      assert.deepEqual(e.appWorkspaces, [appWs(0), appWs(1), appWs(2)]);
      for (const ws of e.appWorkspaces) assert.deepEqual(await wlogOffsets(e, ws), [1]);
      assert.equal((await descriptorOf(e, appWs(2))).fields.WSName, 'appws-2');
      // Application workspaces accept commands.
      const res = await e.command({
        wsid: appWs(0),
        command: 'sys.CUD',
        cuds: [
          {
            fields: {
              'sys.ID': 1,
              'sys.QName': 'sys.Subject',
              Login: 'robot',
              SubjectKind: 1,
              Roles: 'sys.WorkspaceOwner',
              ProfileWSID: 1,
            },
          },
        ],
      });
      assert.deepEqual([res.currentWLogOffset, res.newIds], [2, { '1': FIRST_ID }]);
    } finally {
      await second.close();
      await provider.close();
    }
  });
});

describe('sys views', () => {
  test('RecordsRegistry indexes the IDs of ODocs and ORecords', async () => {
    const ws = newWs();
    await createShop(t.engine, ws);
    const res = await t.engine.command({
      wsid: ws,
      command: 'tst.MakeReceipt',
      args: {
        'sys.ID': 1,
        Total: 3,
        Items: [
          { 'sys.ID': 2, Name: 'a', Price: 1 },
          { 'sys.ID': 3, Name: 'b', Price: 2 },
        ],
      },
    });
    const registry = async (id: number) =>
      viewRow(t.engine, ws, 'sys.RecordsRegistry', { IDHi: Math.floor(id / 2 ** 18), ID: id });
    assert.deepEqual(await registry(FIRST_ID), {
      IDHi: 0,
      ID: FIRST_ID,
      WLogOffset: res.currentWLogOffset,
      QName: 'tst.Receipt',
    });
    for (const id of [FIRST_ID + 1, FIRST_ID + 2]) {
      assert.deepEqual(await registry(id), {
        IDHi: 0,
        ID: id,
        WLogOffset: res.currentWLogOffset,
        QName: 'tst.ReceiptItem',
      });
    }
    assert.equal(await registry(FIRST_ID + 3), undefined);
  });

  test('CollectionView keeps every C record under its document with the offset of its last change', async () => {
    const ws = newWs();
    await createShop(t.engine, ws);
    const res = await t.engine.command({
      wsid: ws,
      command: 'sys.CUD',
      cuds: [
        purchaseCud(1, 1),
        {
          fields: {
            'sys.ID': 2,
            'sys.QName': 'tst.PurchaseLine',
            'sys.ParentID': 1,
            'sys.Container': 'Lines',
            Item: 'x',
            Qty: 1,
          },
        },
        {
          fields: {
            'sys.ID': 3,
            'sys.QName': 'tst.LineNote',
            'sys.ParentID': 2,
            'sys.Container': 'Notes',
            Text: 'n',
          },
        },
      ],
    });
    const [doc, lineId, noteId] = [newId(res, 1), newId(res, 2), newId(res, 3)];
    const rows = async () =>
      (
        await viewRows(t.engine, ws, 'sys.CollectionView', { PartKey: 1, DocQName: 'tst.Purchase' })
      ).map((r) => [r.DocID, r.ElementID, r.offs]);
    assert.deepEqual(await rows(), [
      [doc, doc, res.currentWLogOffset],
      [doc, lineId, res.currentWLogOffset],
      [doc, noteId, res.currentWLogOffset],
    ]);
    const upd = await t.engine.command({
      wsid: ws,
      command: 'sys.CUD',
      cuds: [updateCud(noteId, { Text: 'changed' })],
    });
    assert.deepEqual(await rows(), [
      [doc, doc, res.currentWLogOffset],
      [doc, lineId, res.currentWLogOffset],
      [doc, noteId, upd.currentWLogOffset],
    ]);
    const noteRow = await viewRow(t.engine, ws, 'sys.CollectionView', {
      PartKey: 1,
      DocQName: 'tst.Purchase',
      DocID: doc,
      ElementID: noteId,
    });
    assert.deepEqual((must(noteRow).Record as { fields: unknown }).fields, { Text: 'changed' });
    // The descriptors are C documents too.
    const descriptors = await viewRows(t.engine, ws, 'sys.CollectionView', {
      PartKey: 1,
      DocQName: 'tst.ShopDescriptor',
    });
    assert.deepEqual(
      descriptors.map((r) => [r.DocID, r.offs]),
      [[singletonId(t.engine, 'tst.ShopDescriptor'), 1]],
    );
  });

  test('WLogDates holds the first and last offsets of each day', async () => {
    const ws = newWs();
    clock.now = Date.UTC(2024, 2, 15, 12, 0, 0); // day 75 of 2024
    await createShop(t.engine, ws);
    const a = await t.engine.command({ wsid: ws, command: 'sys.CUD', cuds: [purchaseCud(1, 1)] });
    const b = await t.engine.command({ wsid: ws, command: 'sys.CUD', cuds: [purchaseCud(1, 2)] });
    assert.deepEqual([a.currentWLogOffset, b.currentWLogOffset], [2, 3]);
    const day = async (dayOfYear: number, last: number) =>
      waitFor(`WLogDates of day ${dayOfYear}`, async () => {
        const r = await viewRow(t.engine, ws, 'sys.WLogDates', {
          Year: 2024,
          DayOfYear: dayOfYear,
        });
        return r !== undefined && Number(r.LastOffset) === last && r;
      });
    assert.deepEqual(await day(75, 3), {
      Year: 2024,
      DayOfYear: 75,
      FirstOffset: 1,
      LastOffset: 3,
    });
    clock.advance(24 * 3600 * 1000);
    const c = await t.engine.command({ wsid: ws, command: 'sys.CUD', cuds: [purchaseCud(1, 3)] });
    assert.deepEqual(await day(76, c.currentWLogOffset), {
      Year: 2024,
      DayOfYear: 76,
      FirstOffset: 4,
      LastOffset: 4,
    });
    assert.deepEqual(
      (await viewRows(t.engine, ws, 'sys.WLogDates', { Year: 2024 })).map((r) => r.DayOfYear),
      [75, 76],
    );
  });
});
