// The command processor through the engine's public API: CUDs, validation of records and
// arguments, IDs and offsets, command results, extension failures and workspace checks.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CommandResult } from '../../src/processors/index.js';
import {
  clientCud,
  collect,
  engineForFile,
  expectError,
  FIRST_ID,
  must,
  newId,
  OTHER_WS,
  purchaseCud,
  record,
  SHOP_WS,
  singletonId,
  ticketCud,
  updateCud,
  userWsid,
  viewRows,
  waitFor,
  wlogOffsets,
} from './support.js';

const t = engineForFile(100);
const shop = t.shop;

function cud(wsid: number, cuds: unknown, extra: Record<string, unknown> = {}) {
  return t.engine.command({ wsid, command: 'sys.CUD', cuds, ...extra });
}

const line = (rawId: number, parent: number, item: string, qty: number) => ({
  fields: {
    'sys.ID': rawId,
    'sys.QName': 'tst.PurchaseLine',
    'sys.ParentID': parent,
    'sys.Container': 'Lines',
    Item: item,
    Qty: qty,
  },
});

describe('CUD: create, update, activate', () => {
  test('a document with nested records: NewIDs from 200001, parents and containers', async () => {
    const ws = await shop();
    const res = await cud(ws, [
      purchaseCud(1, 10, { Code: 'AB', Amount: 1.5, Urgent: true }),
      line(2, 1, 'tea', 2),
      {
        fields: {
          'sys.ID': 3,
          'sys.QName': 'tst.LineNote',
          'sys.ParentID': 2,
          'sys.Container': 'Notes',
          Text: 'hot',
        },
      },
      line(7, 1, 'cake', 1),
    ]);
    assert.deepEqual(res, {
      currentWLogOffset: 2,
      newIds: { '1': 200001, '2': 200002, '3': 200003, '7': 200004 },
      result: undefined,
    });
    assert.deepEqual(await record(t.engine, ws, 200001), {
      qname: 'tst.Purchase',
      id: 200001,
      parentId: 0,
      container: '',
      isActive: true,
      fields: { Number: 10, Code: 'AB', Amount: 1.5, Urgent: true },
    });
    assert.deepEqual(await record(t.engine, ws, 200002), {
      qname: 'tst.PurchaseLine',
      id: 200002,
      parentId: 200001,
      container: 'Lines',
      isActive: true,
      fields: { Item: 'tea', Qty: 2 },
    });
    const note = await record(t.engine, ws, 200003);
    assert.deepEqual(
      [note.qname, note.parentId, note.container],
      ['tst.LineNote', 200002, 'Notes'],
    );
    const second = await record(t.engine, ws, 200004);
    assert.deepEqual(
      [second.parentId, second.container, second.fields.Item],
      [200001, 'Lines', 'cake'],
    );

    const event = await t.engine.structs.getWLogEvent(ws, 2);
    assert.ok(event !== undefined);
    assert.equal(event.qname, 'sys.CUD');
    assert.equal(event.registeredAt, t.clock?.now);
    assert.deepEqual(
      event.creates.map((r) => r.id),
      [200001, 200002, 200003, 200004],
    );
  });

  test('raw IDs in reference fields become the IDs the referenced records got', async () => {
    const ws = await shop();
    const res = await cud(ws, [purchaseCud(1, 1, { Client: 2 }), clientCud(2, 'raw@x.io')]);
    assert.deepEqual(res.newIds, { '1': FIRST_ID, '2': FIRST_ID + 1 });
    assert.equal((await record(t.engine, ws, FIRST_ID)).fields.Client, FIRST_ID + 1);
    // A stored record is referred to by its ID.
    const res2 = await cud(ws, [purchaseCud(1, 2, { Client: FIRST_ID + 1 })]);
    assert.equal((await record(t.engine, ws, newId(res2, 1))).fields.Client, FIRST_ID + 1);
  });

  test('a nested record can be added to a stored document by its ID', async () => {
    const ws = await shop();
    const { newIds } = await cud(ws, [purchaseCud(1, 1)]);
    const doc = must(newIds['1']);
    const res = await cud(ws, [line(1, doc, 'bread', 3)]);
    const added = await record(t.engine, ws, newId(res, 1));
    assert.deepEqual([added.parentId, added.container, added.fields.Qty], [doc, 'Lines', 3]);
  });

  test('nested records need an existing parent with that container', async () => {
    const ws = await shop();
    const { newIds } = await cud(ws, [purchaseCud(1, 1)]);
    await expectError(
      cud(ws, [line(1, 9, 'x', 1)]),
      400,
      'cuds[0]: parent raw ID 9 is not defined in the request',
    );
    await expectError(
      cud(ws, [line(1, 299999, 'x', 1)]),
      400,
      'cuds[0]: parent record 299999 does not exist',
    );
    const wrongContainer = line(2, 1, 'x', 1);
    wrongContainer.fields['sys.Container'] = 'Notes';
    await expectError(
      cud(ws, [purchaseCud(1, 2), wrongContainer]),
      400,
      'cuds[1]: tst.Purchase has no container «Notes» of tst.PurchaseLine',
    );
    await expectError(
      cud(ws, [
        {
          fields: {
            'sys.ID': 1,
            'sys.QName': 'tst.LineNote',
            'sys.ParentID': newIds['1'],
            'sys.Container': 'Notes',
            Text: 'x',
          },
        },
      ]),
      400,
      `cuds[0]: tst.Purchase has no container «Notes» of tst.LineNote`,
    );
    await expectError(
      cud(ws, [{ fields: { ...line(1, 0, 'x', 1).fields, 'sys.ParentID': undefined } }]),
      400,
      'cuds[0]: sys.Container is set but sys.ParentID is not',
    );
  });

  test('an update changes only the fields it names; null empties a field', async () => {
    const ws = await shop();
    const { newIds } = await cud(ws, [purchaseCud(1, 10, { Code: 'AB', Urgent: true })]);
    const id = must(newIds['1']);
    const res = await cud(ws, [updateCud(id, { Code: 'CD', Urgent: null, Amount: 2.25 })]);
    assert.deepEqual(res, { currentWLogOffset: 3, newIds: {}, result: undefined });
    const r = await record(t.engine, ws, id);
    assert.deepEqual(r.fields, { Number: 10, Code: 'CD', Amount: 2.25 });
    assert.equal(r.isActive, true);
    const event = await t.engine.structs.getWLogEvent(ws, 3);
    assert.deepEqual(
      event?.updates.map((u) => [u.qname, u.id, u.isActive]),
      [['tst.Purchase', id, undefined]],
    );
    assert.deepEqual(event?.creates, []);
  });

  test('deactivate and activate a record', async () => {
    const ws = await shop();
    const { newIds } = await cud(ws, [purchaseCud(1, 10)]);
    const id = must(newIds['1']);
    await cud(ws, [updateCud(id, { 'sys.IsActive': false })]);
    assert.deepEqual(await record(t.engine, ws, id), {
      qname: 'tst.Purchase',
      id,
      parentId: 0,
      container: '',
      isActive: false,
      fields: { Number: 10 },
    });
    const res = await cud(ws, [updateCud(id, { 'sys.IsActive': true })]);
    assert.equal(res.currentWLogOffset, 4);
    assert.equal((await record(t.engine, ws, id)).isActive, true);
    const event = await t.engine.structs.getWLogEvent(ws, 3);
    assert.deepEqual(
      event?.updates.map((u) => [u.id, u.isActive]),
      [[id, false]],
    );
  });

  test('an update of an unknown ID is 404', async () => {
    const ws = await shop();
    await cud(ws, [purchaseCud(1, 1)]);
    await expectError(
      cud(ws, [purchaseCud(1, 2), updateCud(299999, { Number: 3 })]),
      404,
      'cuds[1]: record with queried id 299999 does not exist',
    );
    // v2 numbers CUDs from 1.
    await expectError(
      cud(ws, [updateCud(299999, { Number: 3 })], { cudIndexBase: 1 }),
      404,
      'cuds[1]: record with queried id 299999 does not exist',
    );
  });

  test('an update may not change sys.ParentID, sys.Container or the QName', async () => {
    const ws = await shop();
    const { newIds } = await cud(ws, [purchaseCud(1, 1), line(2, 1, 'x', 1)]);
    const lineId = must(newIds['2']);
    await expectError(
      cud(ws, [updateCud(lineId, { 'sys.ParentID': 1 })]),
      400,
      'cuds[0]: system field sys.ParentID cannot be updated',
    );
    await expectError(
      cud(ws, [updateCud(lineId, { 'sys.Container': 'Lines' })]),
      400,
      'cuds[0]: system field sys.Container cannot be updated',
    );
    await expectError(
      cud(ws, [updateCud(lineId, { 'sys.QName': 'tst.Purchase', Item: 'y' })]),
      400,
      `cuds[0]: record id ${lineId} leads to tst.PurchaseLine QName whereas tst.Purchase QName is mentioned in the request`,
    );
    await expectError(
      cud(ws, [updateCud(lineId, { Item: null })]),
      400,
      'cuds[0]: required field «Item» of tst.PurchaseLine cannot be emptied',
    );
    // Naming the record's own QName is allowed.
    await cud(ws, [updateCud(lineId, { 'sys.QName': 'tst.PurchaseLine', Item: 'y' })]);
    assert.equal((await record(t.engine, ws, lineId)).fields.Item, 'y');
  });

  test('CUDs on a command other than sys.CUD are 400', async () => {
    const ws = await shop();
    await expectError(
      t.engine.command({ wsid: ws, command: 'tst.Plain', cuds: [purchaseCud(1, 1)] }),
      400,
      'CUDs allowed for c.sys.CUD command only',
    );
    await expectError(
      t.engine.command({
        wsid: ws,
        command: 'tst.Calc',
        args: { A: 1, B: 2 },
        cuds: [purchaseCud(1, 1)],
      }),
      400,
      'CUDs allowed for c.sys.CUD command only',
    );
    // An empty list is no CUDs at all.
    const res = await t.engine.command({ wsid: ws, command: 'tst.Plain', cuds: [] });
    assert.equal(res.currentWLogOffset, 2);
  });

  test('at most 100 CUDs per request', async () => {
    const ws = await shop();
    const cuds = (n: number) => Array.from({ length: n }, (_, i) => ticketCud(i + 1, `t${i}`));
    await expectError(cud(ws, cuds(101)), 400, 'too many cuds: 101, max is 100');
    const res = await cud(ws, cuds(100));
    assert.equal(Object.keys(res.newIds).length, 100);
    assert.equal(res.newIds['100'], FIRST_ID + 99);
    assert.equal(res.currentWLogOffset, 2);
  });

  test('malformed CUDs are 400, a raw ID used twice is 409', async () => {
    const ws = await shop();
    const cases: [unknown, number, string][] = [
      [{ a: 1 }, 400, 'cuds must be an array'],
      [[1], 400, 'cuds[0]: an object is expected'],
      [[{}], 400, 'cuds[0]: "fields" missing'],
      [
        [{ fields: { 'sys.QName': 'tst.Ticket', Title: 'x' } }],
        400,
        'cuds[0]: "sys.ID" field missing',
      ],
      [[ticketCud(-1, 'x')], 400, 'cuds[0]: "sys.ID" field missing'],
      [[ticketCud(0, 'x')], 400, 'cuds[0]: "sys.ID" field missing'],
      [
        [ticketCud(70000, 'x')],
        400,
        'cuds[0]: sys.ID 70000 of a new record must be a raw ID (1..65535)',
      ],
      [[{ fields: { 'sys.ID': 1, Title: 'x' } }], 400, 'cuds[0]: "sys.QName" field missing'],
      [
        [{ fields: { 'sys.ID': 1, 'sys.QName': 'tst.Nope' } }],
        400,
        'cuds[0]: tst.Nope is not a table whose records a CUD can create',
      ],
      [
        [{ fields: { 'sys.ID': 1, 'sys.QName': 'tst.Receipt', Total: 1 } }],
        400,
        'cuds[0]: tst.Receipt is not a table whose records a CUD can create',
      ],
      [
        [{ fields: { 'sys.ID': 1, 'sys.QName': 'sys.CDoc' } }],
        400,
        'cuds[0]: sys.CDoc is not a table whose records a CUD can create',
      ],
      [[updateCud(0, { Title: 'x' })], 400, 'cuds[0]: "sys.ID" field missing'],
      [[ticketCud(1, 'a'), ticketCud(1, 'b')], 409, 'cuds[1]: raw ID 1 is used more than once'],
    ];
    for (const [cuds, status, message] of cases) {
      await expectError(cud(ws, cuds), status, message);
    }
    // Nothing of the failed requests was written.
    assert.deepEqual(await wlogOffsets(t.engine, ws), [1]);
  });

  test('field values are checked: kinds, ranges, unknown and required fields', async () => {
    const ws = await shop();
    const cases: [Record<string, unknown>, string][] = [
      [{ Number: 'x' }, 'cuds[0]: field «Number» must be an int32 integer, got "x"'],
      [{ Number: 1.5 }, 'cuds[0]: field «Number» must be an int32 integer, got 1.5'],
      [
        { Number: 2 ** 31 },
        'cuds[0]: field «Number» value 2147483648 is out of range -2147483648..2147483647',
      ],
      [{ Small: 128 }, 'cuds[0]: field «Small» value 128 is out of range -128..127'],
      [{ Urgent: 'yes' }, 'cuds[0]: field «Urgent» must be a boolean, got "yes"'],
      [{ Amount: '1.5' }, 'cuds[0]: field «Amount» must be a number, got "1.5"'],
      [{ Code: 12 }, 'cuds[0]: field «Code» must be a string, got 12'],
      [{ Client: 'x' }, 'cuds[0]: field «Client» must be a record ID, got "x"'],
      [{ Nope: 1 }, 'cuds[0]: field «Nope» is not defined in tst.Purchase'],
      [{ 'sys.Nope': 1 }, 'cuds[0]: field «sys.Nope» is not defined in tst.Purchase'],
    ];
    for (const [extra, message] of cases) {
      await expectError(cud(ws, [purchaseCud(1, 1, extra)]), 400, message);
    }
    await expectError(
      cud(ws, [{ fields: { 'sys.ID': 1, 'sys.QName': 'tst.Purchase', Code: 'AB' } }]),
      400,
      'cuds[0]: required field «Number» of tst.Purchase is not set',
    );
    // The position of the failing CUD is in the message.
    await expectError(
      cud(ws, [purchaseCud(1, 1), purchaseCud(2, 2, { Small: -129 })]),
      400,
      'cuds[1]: field «Small» value -129 is out of range -128..127',
    );
    // Updates are checked the same way.
    const { newIds } = await cud(ws, [purchaseCud(1, 1, { Small: -128 })]);
    await expectError(
      cud(ws, [updateCud(must(newIds['1']), { Urgent: 1 })]),
      400,
      'cuds[0]: field «Urgent» must be a boolean, got 1',
    );
    await expectError(
      cud(ws, [updateCud(must(newIds['1']), { Nope: 1 })]),
      400,
      'cuds[0]: field «Nope» is not defined in tst.Purchase',
    );
    assert.deepEqual(await wlogOffsets(t.engine, ws), [1, 2]);
  });

  test('maximum length in UTF-8 bytes and CHECK patterns', async () => {
    const ws = await shop();
    await expectError(
      cud(ws, [purchaseCud(1, 1, { Code: 'ABCDEFGHI' })]),
      400,
      'cuds[0]: field «Code» is longer than 8 bytes',
    );
    await expectError(
      cud(ws, [clientCud(1, 'len@x.io', { Name: 'é'.repeat(26) })]),
      400,
      'cuds[0]: field «Name» is longer than 50 bytes',
    );
    for (const code of ['ab', 'A', 'AB1']) {
      await expectError(
        cud(ws, [purchaseCud(1, 1, { Code: code })]),
        400,
        'cuds[0]: field «Code» does not match pattern ^[A-Z]{2,8}$',
      );
    }
    const res = await cud(ws, [
      purchaseCud(1, 1, { Code: 'ABCDEFGH' }),
      clientCud(2, 'len@x.io', { Name: 'é'.repeat(25) }),
    ]);
    assert.equal((await record(t.engine, ws, newId(res, 1))).fields.Code, 'ABCDEFGH');
    assert.equal((await record(t.engine, ws, newId(res, 2))).fields.Name, 'é'.repeat(25));
    await expectError(
      cud(ws, [updateCud(newId(res, 1), { Code: 'xy' })]),
      400,
      'cuds[0]: field «Code» does not match pattern ^[A-Z]{2,8}$',
    );
  });

  test('sys.IsActive: inserting a deactivated record and mixing it with other fields are 403', async () => {
    const ws = await shop();
    await expectError(
      cud(ws, [ticketCud(1, 'x', { 'sys.IsActive': false })]),
      403,
      'cuds[0]: inserting a deactivated record is not allowed',
    );
    const { newIds } = await cud(ws, [ticketCud(1, 'x', { 'sys.IsActive': true })]);
    const id = must(newIds['1']);
    assert.equal((await record(t.engine, ws, id)).isActive, true);
    await expectError(
      cud(ws, [updateCud(id, { 'sys.IsActive': false, Title: 'y' })]),
      403,
      'cuds[0]: an update of sys.IsActive may not change other fields',
    );
    await expectError(
      cud(ws, [updateCud(id, { 'sys.IsActive': 'no' })]),
      400,
      'cuds[0]: sys.IsActive must be a boolean',
    );
    assert.deepEqual(await record(t.engine, ws, id), {
      qname: 'tst.Ticket',
      id,
      parentId: 0,
      container: '',
      isActive: true,
      fields: { Title: 'x' },
    });
  });
});

describe('CUD: referential integrity', () => {
  test('a raw ID not defined in the request is 400', async () => {
    const ws = await shop();
    await expectError(
      cud(ws, [purchaseCud(1, 1, { Client: 9 })]),
      400,
      'cuds[0]: referential integrity violation: raw ID 9 in «Client» is not defined in the request',
    );
  });

  test('a reference to a missing record is 400', async () => {
    const ws = await shop();
    await expectError(
      cud(ws, [purchaseCud(1, 1, { Client: 299999 })]),
      400,
      'cuds[0]: referential integrity violation: record 299999 in «Client» does not exist',
    );
    await expectError(
      cud(ws, [ticketCud(1, 'x', { Receipt: 299999 })]),
      400,
      'cuds[0]: referential integrity violation: record 299999 in «Receipt» does not exist',
    );
  });

  test('a reference to a record of a type the field does not allow is 400', async () => {
    const ws = await shop();
    const { newIds } = await cud(ws, [purchaseCud(1, 1), clientCud(2, 'ri@x.io')]);
    await expectError(
      cud(ws, [purchaseCud(1, 2, { Client: newIds['1'] })]),
      400,
      'cuds[0]: referential integrity violation: «Client» may refer to tst.Client, not tst.Purchase',
    );
    await expectError(
      cud(ws, [updateCud(must(newIds['1']), { Client: newIds['1'] })]),
      400,
      'cuds[0]: referential integrity violation: «Client» may refer to tst.Client, not tst.Purchase',
    );
    // The allowed type passes; 0 unlinks.
    await cud(ws, [updateCud(must(newIds['1']), { Client: newIds['2'] })]);
    assert.equal((await record(t.engine, ws, must(newIds['1']))).fields.Client, newIds['2']);
    await cud(ws, [updateCud(must(newIds['1']), { Client: 0 })]);
    assert.equal((await record(t.engine, ws, must(newIds['1']))).fields.Client ?? 0, 0);
  });

  test('a raw ID referring to a record of a disallowed type created in the same request is 400', async () => {
    const ws = await shop();
    // Raw 2 is a ticket, but Purchase.Client may refer to tst.Client only (core.md §4.3).
    await expectError(
      cud(ws, [purchaseCud(1, 1, { Client: 2 }), ticketCud(2, 'not a client')]),
      400,
      /referential integrity violation/,
    );
  });

  test('an untyped reference may point at an ODoc, found through RecordsRegistry', async () => {
    const ws = await shop();
    const receipt = await t.engine.command({
      wsid: ws,
      command: 'tst.MakeReceipt',
      args: { 'sys.ID': 1, Total: 5 },
    });
    const receiptId = newId(receipt, 1);
    const res = await cud(ws, [ticketCud(1, 'about the receipt', { Receipt: receiptId })]);
    assert.equal((await record(t.engine, ws, newId(res, 1))).fields.Receipt, receiptId);
  });

  test('references in ODoc arguments are checked too', async () => {
    const ws = await shop();
    const { newIds } = await cud(ws, [purchaseCud(1, 1), clientCud(2, 'odoc@x.io')]);
    await expectError(
      t.engine.command({
        wsid: ws,
        command: 'tst.MakeReceipt',
        args: { 'sys.ID': 1, Total: 5, Client: 299999 },
      }),
      400,
      'args: referential integrity violation: record 299999 in «Client» does not exist',
    );
    await expectError(
      t.engine.command({
        wsid: ws,
        command: 'tst.MakeReceipt',
        args: { 'sys.ID': 1, Total: 5, Client: newIds['1'] },
      }),
      400,
      'args: referential integrity violation: «Client» may refer to tst.Client, not tst.Purchase',
    );
    const ok = await t.engine.command({
      wsid: ws,
      command: 'tst.MakeReceipt',
      args: { 'sys.ID': 1, Total: 5, Client: newIds['2'] },
    });
    const event = await t.engine.structs.getWLogEvent(ws, ok.currentWLogOffset);
    assert.equal(event?.argument?.fields.Client, newIds['2']);
  });
});

describe('CUD: uniques and singletons', () => {
  test('a second record with the same unique value is 409', async () => {
    const ws = await shop();
    await cud(ws, [clientCud(1, 'a@x.io')]);
    await expectError(
      cud(ws, [clientCud(1, 'a@x.io', { Name: 'again' })]),
      409,
      '"tst.Client" unique constraint violation',
    );
    await expectError(
      cud(ws, [clientCud(1, 'b@x.io'), clientCud(2, 'b@x.io')]),
      409,
      '"tst.Client" unique constraint violation',
    );
    // The failed requests took no ID and no offset.
    const res = await cud(ws, [clientCud(1, 'c@x.io')]);
    assert.deepEqual(res, {
      currentWLogOffset: 3,
      newIds: { '1': FIRST_ID + 1 },
      result: undefined,
    });
  });

  test('a unique field cannot be changed', async () => {
    const ws = await shop();
    const { newIds } = await cud(ws, [clientCud(1, 'fixed@x.io')]);
    await expectError(
      cud(ws, [updateCud(must(newIds['1']), { Email: 'other@x.io' })]),
      403,
      'cuds[0]: unique field of tst.Client cannot be changed',
    );
    // Other fields can.
    await cud(ws, [updateCud(must(newIds['1']), { Name: 'Fixed' })]);
    assert.deepEqual((await record(t.engine, ws, must(newIds['1']))).fields, {
      Email: 'fixed@x.io',
      Name: 'Fixed',
    });
  });

  test('deactivation frees a unique value; re-activation claims it again', async () => {
    const ws = await shop();
    const first = newId(await cud(ws, [clientCud(1, 'u@x.io')]), 1);
    await cud(ws, [updateCud(first, { 'sys.IsActive': false })]);
    const second = newId(await cud(ws, [clientCud(1, 'u@x.io', { Name: 'second' })]), 1);
    assert.equal(second, first + 1);
    await expectError(
      cud(ws, [updateCud(first, { 'sys.IsActive': true })]),
      409,
      '"tst.Client" unique constraint violation',
    );
    assert.equal((await record(t.engine, ws, first)).isActive, false);
    await cud(ws, [updateCud(second, { 'sys.IsActive': false })]);
    await cud(ws, [updateCud(first, { 'sys.IsActive': true })]);
    assert.equal((await record(t.engine, ws, first)).isActive, true);
    await expectError(
      cud(ws, [clientCud(1, 'u@x.io')]),
      409,
      '"tst.Client" unique constraint violation',
    );
  });

  test('a singleton gets its fixed ID, is not in NewIDs, and is created once', async () => {
    const ws = await shop();
    const res = await cud(ws, [
      { fields: { 'sys.ID': 1, 'sys.QName': 'tst.Settings', Theme: 'dark' } },
      purchaseCud(2, 1),
    ]);
    assert.deepEqual(res, { currentWLogOffset: 2, newIds: { '2': FIRST_ID }, result: undefined });
    const id = singletonId(t.engine, 'tst.Settings');
    assert.ok(id >= 65536 && id <= 66047, `singleton ID ${id} is in 65536..66047`);
    assert.deepEqual(await record(t.engine, ws, id), {
      qname: 'tst.Settings',
      id,
      parentId: 0,
      container: '',
      isActive: true,
      fields: { Theme: 'dark' },
    });
    await expectError(
      cud(ws, [{ fields: { 'sys.ID': 1, 'sys.QName': 'tst.Settings', Theme: 'light' } }]),
      409,
      'cuds[0]: singleton tst.Settings already exists',
    );
    // Updated by its ID like any record.
    await cud(ws, [updateCud(id, { Theme: 'light' })]);
    assert.equal((await record(t.engine, ws, id)).fields.Theme, 'light');

    // The same singleton ID in another workspace, created independently.
    const other = await shop();
    await expectError(
      cud(other, [
        { fields: { 'sys.ID': 1, 'sys.QName': 'tst.Settings' } },
        { fields: { 'sys.ID': 2, 'sys.QName': 'tst.Settings' } },
      ]),
      409,
      'cuds[1]: singleton tst.Settings is created twice',
    );
    await cud(other, [{ fields: { 'sys.ID': 5, 'sys.QName': 'tst.Settings', Theme: 'x' } }]);
    assert.equal((await record(t.engine, other, id)).fields.Theme, 'x');
  });
});

describe('commands with arguments and results', () => {
  test('an ODoc argument with nested ORecords: IDs assigned, arguments visible to the extension', async () => {
    const ws = await shop();
    const before = t.probe.receiptArgs.length;
    const res = await t.engine.command({
      wsid: ws,
      command: 'tst.MakeReceipt',
      args: {
        'sys.ID': 1,
        Total: 100,
        Items: [
          { 'sys.ID': 2, 'sys.ParentID': 1, Name: 'tea', Price: 60 },
          { 'sys.ID': 3, Name: 'cake', Price: 40 },
          { Name: 'free', Price: 0 },
        ],
      },
    });
    assert.deepEqual(res, {
      currentWLogOffset: 2,
      newIds: { '1': FIRST_ID, '2': FIRST_ID + 1, '3': FIRST_ID + 2 },
      result: undefined,
    });
    assert.deepEqual(t.probe.receiptArgs.slice(before), [
      {
        'sys.QName': 'tst.Receipt',
        'sys.ID': 1,
        Total: 100,
        Items: [
          { 'sys.QName': 'tst.ReceiptItem', 'sys.ID': 2, Name: 'tea', Price: 60 },
          { 'sys.QName': 'tst.ReceiptItem', 'sys.ID': 3, Name: 'cake', Price: 40 },
          { 'sys.QName': 'tst.ReceiptItem', Name: 'free', Price: 0 },
        ],
      },
    ]);
    // The ODoc lives in its event, with storage IDs, not in the records.
    const event = await t.engine.structs.getWLogEvent(ws, 2);
    const arg = event?.argument;
    assert.ok(arg !== undefined && arg !== null);
    assert.deepEqual([arg.qname, arg.id, arg.fields], ['tst.Receipt', FIRST_ID, { Total: 100 }]);
    assert.deepEqual(
      arg.children.map((c) => [c.qname, c.id, c.parentId, c.container, c.fields.Name]),
      [
        ['tst.ReceiptItem', FIRST_ID + 1, FIRST_ID, 'Items', 'tea'],
        ['tst.ReceiptItem', FIRST_ID + 2, FIRST_ID, 'Items', 'cake'],
        ['tst.ReceiptItem', FIRST_ID + 3, FIRST_ID, 'Items', 'free'],
      ],
    );
    assert.equal(await t.engine.structs.getRecord(ws, FIRST_ID), undefined);
    // O and C records share the workspace's ID sequence.
    const next = await cud(ws, [purchaseCud(1, 1)]);
    assert.deepEqual(next.newIds, { '1': FIRST_ID + 4 });
  });

  test('argument objects are checked', async () => {
    const ws = await shop();
    const receipt = (args: unknown) =>
      t.engine.command({ wsid: ws, command: 'tst.MakeReceipt', args });
    await expectError(
      receipt({ 'sys.ID': 1 }),
      400,
      'args: required field «Total» of tst.Receipt is not set',
    );
    await expectError(
      receipt({ 'sys.ID': 1, Total: 1, Items: [{ 'sys.ID': 2, Price: 1 }] }),
      400,
      'args.Items[0]: required field «Name» of tst.ReceiptItem is not set',
    );
    await expectError(
      receipt({ 'sys.ID': 1, Total: 1, Nope: 1 }),
      400,
      'args: field «Nope» is not defined in tst.Receipt',
    );
    await expectError(
      receipt({ 'sys.ID': 1, Total: 1, Items: { Name: 'x', Price: 1 } }),
      400,
      'args: container «Items» must be an array',
    );
    await expectError(
      receipt({ 'sys.ID': 70000, Total: 1 }),
      400,
      'args: sys.ID must be a raw ID (1..65535), got 70000',
    );
    await expectError(
      receipt({ 'sys.ID': 1, Total: 'x' }),
      400,
      'args: field «Total» must be an int64 integer, got "x"',
    );
    await expectError(receipt([1]), 400, 'args: an object is expected');
    await expectError(
      receipt({ 'sys.ID': 1, Total: 1, Items: [{ 'sys.ID': 1, Name: 'x', Price: 1 }] }),
      409,
      'args: raw ID 1 is used more than once',
    );
    await expectError(
      t.engine.command({ wsid: ws, command: 'tst.Calc', args: { A: 1 } }),
      400,
      'args: required field «B» of tst.CalcParams is not set',
    );
    await expectError(
      t.engine.command({ wsid: ws, command: 'tst.Calc' }),
      400,
      'args: required field «A» of tst.CalcParams is not set',
    );
    assert.deepEqual(await wlogOffsets(t.engine, ws), [1]);
  });

  test('arguments for a command without a parameter are 400', async () => {
    const ws = await shop();
    await expectError(
      t.engine.command({ wsid: ws, command: 'tst.Plain', args: { A: 1 } }),
      400,
      'args are not expected',
    );
    await expectError(
      t.engine.command({
        wsid: ws,
        command: 'tst.Calc',
        args: { A: 1, B: 1 },
        unloggedArgs: { X: 1 },
      }),
      400,
      'unloggedArgs are not expected',
    );
    // Empty arguments are no arguments.
    const res = await t.engine.command({ wsid: ws, command: 'tst.Plain', args: {} });
    assert.deepEqual(res, { currentWLogOffset: 2, newIds: {}, result: undefined });
  });

  test('a command result has the RETURNS type; a missing required field is 500', async () => {
    const ws = await shop();
    const res = await t.engine.command({ wsid: ws, command: 'tst.Calc', args: { A: 2, B: 3 } });
    assert.deepEqual(res, {
      currentWLogOffset: 2,
      newIds: {},
      result: { 'sys.QName': 'tst.CalcResult', Sum: 5, Note: 'at 2' },
    });
    await expectError(
      t.engine.command({ wsid: ws, command: 'tst.Calc', args: { A: 2, B: 3, Mode: 'omit' } }),
      500,
      'command result: required field «Sum» is not set',
    );
    await expectError(
      t.engine.command({ wsid: ws, command: 'tst.Calc', args: { A: 2, B: 3, Mode: 'extra' } }),
      500,
      'command result: field «Bogus» is not defined in tst.CalcResult',
    );
    assert.deepEqual(await wlogOffsets(t.engine, ws), [1, 2]);
    const next = await t.engine.command({ wsid: ws, command: 'tst.Calc', args: { A: -1, B: 1 } });
    assert.deepEqual(next.result, { 'sys.QName': 'tst.CalcResult', Sum: 0, Note: 'at 3' });
    assert.equal(next.currentWLogOffset, 3);
  });

  test('a command result field of the wrong kind is 500', async () => {
    const ws = await shop();
    // Sum is int32; the extension sets a string (TestCmdResult: wrong types in result → 500).
    await expectError(
      t.engine.command({ wsid: ws, command: 'tst.Calc', args: { A: 2, B: 3, Mode: 'kind' } }),
      500,
      /Sum/,
    );
    assert.deepEqual(await wlogOffsets(t.engine, ws), [1]);
  });

  test('records inserted by the extension get IDs reported in NewIDs', async () => {
    const ws = await shop();
    const res = await t.engine.command({
      wsid: ws,
      command: 'tst.OpenTicket',
      args: { Message: 'printer on fire' },
    });
    assert.deepEqual(res, { currentWLogOffset: 2, newIds: { '1': FIRST_ID }, result: undefined });
    assert.deepEqual((await record(t.engine, ws, FIRST_ID)).fields, { Title: 'printer on fire' });
  });

  test('unlogged arguments reach the extension and are masked in the event', async () => {
    const ws = await shop();
    const before = t.probe.unloggedArgs.length;
    const res = await t.engine.command({
      wsid: ws,
      command: 'tst.WithSecret',
      unloggedArgs: { Message: 'p@ssw0rd' },
    });
    assert.deepEqual(t.probe.unloggedArgs.slice(before), [
      { 'sys.QName': 'tst.TextParams', Message: 'p@ssw0rd' },
    ]);
    const event = await t.engine.structs.getWLogEvent(ws, res.currentWLogOffset);
    assert.deepEqual(
      [event?.argument, event?.unlogged?.qname, event?.unlogged?.fields],
      [null, 'tst.TextParams', { Message: '*' }],
    );
    await expectError(
      t.engine.command({ wsid: ws, command: 'tst.WithSecret', unloggedArgs: {} }),
      400,
      'unloggedArgs: required field «Message» of tst.TextParams is not set',
    );
    await expectError(
      t.engine.command({
        wsid: ws,
        command: 'tst.WithSecret',
        args: { Message: 'x' },
        unloggedArgs: { Message: 'x' },
      }),
      400,
      'args are not expected',
    );
  });

  test('an extension reads records and finds them by unique values', async () => {
    const ws = await shop();
    const { newIds } = await cud(ws, [clientCud(1, 'alice@x.io', { Name: 'Alice' })]);
    const find = (email: string) =>
      t.engine.command({ wsid: ws, command: 'tst.FindClient', args: { Message: email } });
    assert.deepEqual((await find('alice@x.io')).result, {
      'sys.QName': 'tst.CalcResult',
      Sum: newIds['1'],
      Note: 'Alice',
    });
    assert.equal((await find('bob@x.io')).result?.Sum, 0);
    // A deactivated record no longer holds its unique value.
    await cud(ws, [updateCud(must(newIds['1']), { 'sys.IsActive': false })]);
    assert.equal((await find('alice@x.io')).result?.Sum, 0);
  });

  test('an extension that throws is 500 with its message and writes nothing', async () => {
    const ws = await shop();
    await cud(ws, [purchaseCud(1, 1)]);
    const before = await wlogOffsets(t.engine, ws);
    await expectError(
      t.engine.command({ wsid: ws, command: 'tst.Boom', args: { Message: 'kaboom' } }),
      500,
      'kaboom',
    );
    assert.deepEqual(await wlogOffsets(t.engine, ws), before);
    assert.equal(await t.engine.structs.getRecord(ws, FIRST_ID + 1), undefined);
    // The next command takes the offset and the ID the failed one did not use.
    const res = await t.engine.command({
      wsid: ws,
      command: 'tst.OpenTicket',
      args: { Message: 'm' },
    });
    assert.deepEqual(res, {
      currentWLogOffset: 3,
      newIds: { '1': FIRST_ID + 1 },
      result: undefined,
    });
  });
});

describe('command and workspace checks', () => {
  test('an unknown command is 400', async () => {
    const ws = await shop();
    await expectError(
      t.engine.command({ wsid: ws, command: 'tst.Nope' }),
      400,
      'command tst.Nope is not defined',
    );
    await expectError(
      t.engine.command({ wsid: ws, command: 'tst.Count' }),
      400,
      'command tst.Count is not defined',
    );
  });

  test('a command not in the workspace kind is 404', async () => {
    const ws = await shop();
    await expectError(
      t.engine.command({ wsid: ws, command: 'tst.OtherCmd' }),
      404,
      `command tst.OtherCmd does not exist in workspace ${SHOP_WS}`,
    );
    const other = userWsid(900);
    await t.engine.createWorkspace({ wsid: other, kind: OTHER_WS, name: 'other' });
    await expectError(
      t.engine.command({ wsid: other, command: 'tst.Plain' }),
      404,
      `command tst.Plain does not exist in workspace ${OTHER_WS}`,
    );
    const res = await t.engine.command({ wsid: other, command: 'tst.OtherCmd' });
    assert.equal(res.currentWLogOffset, 2);
    // sys commands exist in every workspace.
    const descriptor = singletonId(t.engine, 'tst.OtherDescriptor');
    await cud(other, [updateCud(descriptor, { Title: 'renamed' })]);
    assert.equal((await record(t.engine, other, descriptor)).fields.Title, 'renamed');
  });

  test('a CUD of a QName that is not in the workspace is 400', async () => {
    const ws = await shop();
    await expectError(
      cud(ws, [{ fields: { 'sys.ID': 1, 'sys.QName': 'tst.OtherDescriptor', Title: 'x' } }]),
      400,
      /table tst.OtherDescriptor is not defined in workspace tst.ShopWS/,
    );
  });

  test('sys.CUD without CUDs is 400', async () => {
    const ws = await shop();
    await expectError(cud(ws, []), 400, /CUD/);
  });

  test('the deprecated sys.Init applies CUDs, even before the workspace is initialised', async () => {
    const ws = userWsid(902);
    const res = await t.engine.command({
      wsid: ws,
      command: 'sys.Init',
      cuds: [ticketCud(1, 'by init')],
    });
    assert.deepEqual([res.currentWLogOffset, res.newIds], [1, { '1': FIRST_ID }]);
    assert.equal((await record(t.engine, ws, FIRST_ID)).fields.Title, 'by init');
  });

  test('a workspace that was not created is 403 "workspace is not initialized"', async () => {
    const ws = userWsid(901);
    await expectError(
      t.engine.command({ wsid: ws, command: 'tst.Calc', args: { A: 1, B: 1 } }),
      403,
      'workspace is not initialized',
    );
    await expectError(cud(ws, [ticketCud(1, 'x')]), 403, 'workspace is not initialized');
    await expectError(
      t.engine.query({ wsid: ws, query: 'sys.Echo', args: { Text: 'x' } }),
      403,
      'workspace is not initialized',
    );
    assert.deepEqual(await wlogOffsets(t.engine, ws), []);
    // The platform's own CUD is exempt.
    const res = await cud(ws, [ticketCud(1, 'system')], { system: true });
    assert.deepEqual(res.newIds, { '1': FIRST_ID });
  });

  test('a deactivated workspace is 410, except for the System principal', async () => {
    const ws = await shop();
    const { newIds } = await cud(ws, [ticketCud(1, 'before')]);
    await t.engine.command({ wsid: ws, command: 'sys.InitiateDeactivateWorkspace' });
    const descriptorId = singletonId(t.engine, 'sys.WorkspaceDescriptor');
    // The async projector ApplyDeactivateWorkspace finishes the deactivation.
    await waitFor('the workspace to become inactive', async () => {
      const d = await t.engine.structs.getRecord(ws, descriptorId);
      return d?.fields.Status === 2;
    });
    await expectError(cud(ws, [ticketCud(1, 'after')]), 410, 'workspace status is not active');
    await expectError(
      t.engine.command({ wsid: ws, command: 'tst.Calc', args: { A: 1, B: 1 } }),
      410,
      'workspace status is not active',
    );
    await expectError(
      t.engine.query({ wsid: ws, query: 'sys.Echo', args: { Text: 'x' } }),
      410,
      'workspace status is not active',
    );
    await expectError(
      t.engine.command({ wsid: ws, command: 'sys.InitiateDeactivateWorkspace', system: true }),
      409,
      'workspace is already deactivated',
    );
    const sys = await cud(ws, [updateCud(must(newIds['1']), { Title: 'by system' })], {
      system: true,
    });
    assert.equal((await record(t.engine, ws, must(newIds['1']))).fields.Title, 'by system');
    // Create (1), CUD (2), Initiate (3), the projector's CUD (4), the system CUD (5).
    assert.equal(sys.currentWLogOffset, 5);
    const echo = await t.engine.query({
      wsid: ws,
      query: 'sys.Echo',
      args: { Text: 'x' },
      system: true,
    });
    assert.deepEqual(await collect(echo.rows), [{ Res: 'x' }]);
  });

  test('CurrentWLogOffset grows by one per command in each workspace', async () => {
    const a = await shop();
    const b = await shop();
    const offsets: [string, number][] = [];
    const run = async (name: string, ws: number) => {
      const r: CommandResult = await t.engine.command({ wsid: ws, command: 'tst.Plain' });
      offsets.push([name, r.currentWLogOffset]);
    };
    await run('a', a);
    await run('b', b);
    await run('a', a);
    await run('a', a);
    await run('b', b);
    assert.deepEqual(offsets, [
      ['a', 2],
      ['b', 2],
      ['a', 3],
      ['a', 4],
      ['b', 3],
    ]);
    assert.deepEqual(await wlogOffsets(t.engine, a), [1, 2, 3, 4]);
    assert.deepEqual(await wlogOffsets(t.engine, b), [1, 2, 3]);
    // Calc saw the offset its event got.
    const calc = await t.engine.command({ wsid: a, command: 'tst.Calc', args: { A: 0, B: 0 } });
    assert.equal(calc.currentWLogOffset, 5);
    assert.equal(t.probe.calcOffsets.at(-1), 5);
  });

  test('sync view rows of a failed command are not written', async () => {
    const ws = await shop();
    await expectError(
      cud(ws, [purchaseCud(1, 1), purchaseCud(2, 2, { Small: 1000 })]),
      400,
      'cuds[1]: field «Small» value 1000 is out of range -128..127',
    );
    assert.deepEqual(await viewRows(t.engine, ws, 'tst.PurchaseLog', { Part: 0 }), []);
  });
});
