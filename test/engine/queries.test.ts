// The query processor: a custom streaming query, argument checks, early stop, and the sys
// queries Collection, GetCDoc, State and Echo.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ProcessorError } from '../../src/processors/index.js';
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
  SHOP_WS,
  singletonId,
  ticketCud,
  updateCud,
  userWsid,
} from './support.js';

const t = engineForFile(300);
const shop = t.shop;

async function rowsOf(wsid: number, query: string, args?: unknown) {
  const q = await t.engine.query({ wsid, query, ...(args === undefined ? {} : { args }) });
  return collect(q.rows);
}

describe('a custom query', () => {
  test('streams its rows', async () => {
    const ws = await shop();
    const q = await t.engine.query({
      wsid: ws,
      query: 'tst.Count',
      args: { Count: 3, Prefix: 'r' },
    });
    assert.equal(q.resultType, 'tst.ListRow');
    assert.deepEqual(await collect(q.rows), [
      { N: 1, Label: 'r1' },
      { N: 2, Label: 'r2' },
      { N: 3, Label: 'r3' },
    ]);
    assert.deepEqual(await rowsOf(ws, 'tst.Count', { Count: 0 }), []);
  });

  test('rows are produced as they are read, and stopping early stops the query function', async () => {
    const ws = await shop();
    t.probe.resetQuery();
    const q = await t.engine.query({ wsid: ws, query: 'tst.Count', args: { Count: 1000 } });
    const seen: number[] = [];
    for await (const row of q.rows) {
      seen.push(Number(row.N));
      // The function waits for each row to be taken before it makes the next.
      assert.ok(t.probe.query.emitted <= seen.length, `${t.probe.query.emitted} rows handed over`);
      if (seen.length === 3) break;
    }
    await t.probe.query.done;
    assert.deepEqual(seen, [1, 2, 3]);
    assert.equal(t.probe.query.ended, true);
    assert.ok(
      t.probe.query.emitted <= 4,
      `the function stopped after ${t.probe.query.emitted} rows`,
    );
    assert.equal(t.probe.query.error?.message, 'the query result is no longer read');
  });

  test('arguments are checked before the first row', async () => {
    const ws = await shop();
    await expectError(
      t.engine.query({ wsid: ws, query: 'tst.Count', args: {} }),
      400,
      'args: required field «Count» of tst.ListParams is not set',
    );
    await expectError(
      t.engine.query({ wsid: ws, query: 'tst.Count', args: { Count: 'many' } }),
      400,
      'args: field «Count» must be an int32 integer, got "many"',
    );
    await expectError(
      t.engine.query({ wsid: ws, query: 'tst.Count', args: { Count: 1, Nope: 1 } }),
      400,
      'args: field «Nope» is not defined in tst.ListParams',
    );
    await expectError(
      t.engine.query({ wsid: ws, query: 'tst.Count', args: { Count: 1, Prefix: 'x'.repeat(11) } }),
      400,
      'args: field «Prefix» is longer than 10 bytes',
    );
    await expectError(
      t.engine.query({ wsid: ws, query: 'sys.GRCount', args: { X: 1 } }),
      400,
      'args are not expected',
    );
  });

  test('a failing query function ends the rows with a 500', async () => {
    const ws = await shop();
    const q = await t.engine.query({ wsid: ws, query: 'tst.Count', args: { Count: -1 } });
    await expectError(collect(q.rows), 500, 'negative count');
  });

  test('unknown queries are 400, queries of another workspace kind 404', async () => {
    const ws = await shop();
    await expectError(
      t.engine.query({ wsid: ws, query: 'tst.Nope' }),
      400,
      'query tst.Nope is not defined',
    );
    await expectError(
      t.engine.query({ wsid: ws, query: 'tst.Calc' }),
      400,
      'query tst.Calc is not defined',
    );
    await expectError(
      t.engine.query({ wsid: ws, query: 'tst.OtherQuery' }),
      404,
      `query tst.OtherQuery does not exist in workspace ${SHOP_WS}`,
    );
    const other = userWsid(399);
    await t.engine.createWorkspace({ wsid: other, kind: OTHER_WS, name: 'other' });
    assert.deepEqual(await rowsOf(other, 'tst.OtherQuery'), []);
    await expectError(
      t.engine.query({ wsid: other, query: 'tst.Count', args: { Count: 1 } }),
      404,
      `query tst.Count does not exist in workspace ${OTHER_WS}`,
    );
    await expectError(
      t.engine.query({ wsid: userWsid(398), query: 'tst.Count', args: { Count: 1 } }),
      403,
      'workspace is not initialized',
    );
  });
});

describe('sys queries', () => {
  const note = (rawId: number, parent: number, text: string) => ({
    fields: {
      'sys.ID': rawId,
      'sys.QName': 'tst.LineNote',
      'sys.ParentID': parent,
      'sys.Container': 'Notes',
      Text: text,
    },
  });
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

  /** Two purchases: the first with two lines, one of which has a note. */
  async function purchases(ws: number) {
    const res = await t.engine.command({
      wsid: ws,
      command: 'sys.CUD',
      cuds: [
        purchaseCud(1, 1, { Code: 'AA' }),
        line(2, 1, 'tea'),
        note(3, 2, 'hot'),
        line(4, 1, 'cake'),
        purchaseCud(5, 2),
      ],
    });
    return res;
  }

  test('sys.Collection: documents with nested records under their container names', async () => {
    const ws = await shop();
    const res = await purchases(ws);
    const [p1, l1, n1, l2, p2] = [1, 2, 3, 4, 5].map((raw) => newId(res, raw)) as [
      number,
      number,
      number,
      number,
      number,
    ];
    const docs = await rowsOf(ws, 'sys.Collection', { Schema: 'tst.Purchase' });
    assert.deepEqual(docs, [
      {
        'sys.ID': p1,
        'sys.QName': 'tst.Purchase',
        'sys.IsActive': true,
        Number: 1,
        Code: 'AA',
        Lines: [
          {
            'sys.ID': l1,
            'sys.QName': 'tst.PurchaseLine',
            'sys.ParentID': p1,
            'sys.Container': 'Lines',
            'sys.IsActive': true,
            Item: 'tea',
            Qty: 1,
            Notes: [
              {
                'sys.ID': n1,
                'sys.QName': 'tst.LineNote',
                'sys.ParentID': l1,
                'sys.Container': 'Notes',
                'sys.IsActive': true,
                Text: 'hot',
              },
            ],
          },
          {
            'sys.ID': l2,
            'sys.QName': 'tst.PurchaseLine',
            'sys.ParentID': p1,
            'sys.Container': 'Lines',
            'sys.IsActive': true,
            Item: 'cake',
            Qty: 1,
          },
        ],
      },
      { 'sys.ID': p2, 'sys.QName': 'tst.Purchase', 'sys.IsActive': true, Number: 2 },
    ]);
    // One document by ID; changes and later nested records show.
    await t.engine.command({
      wsid: ws,
      command: 'sys.CUD',
      cuds: [updateCud(p2, { 'sys.IsActive': false }), line(1, p2, 'bread')],
    });
    const one = await rowsOf(ws, 'sys.Collection', { Schema: 'tst.Purchase', ID: p2 });
    assert.equal(one.length, 1);
    assert.equal(one[0]?.['sys.IsActive'], false);
    assert.deepEqual(
      (must(one[0]).Lines as { Item: string }[]).map((l) => l.Item),
      ['bread'],
    );
    assert.deepEqual(await rowsOf(ws, 'sys.Collection', { Schema: 'tst.Client' }), []);
    await expectError(
      rowsOf(ws, 'sys.Collection', { Schema: 'tst.Ticket' }),
      400,
      'Schema: tst.Ticket is not a CDoc',
    );
    await expectError(
      t.engine.query({ wsid: ws, query: 'sys.Collection', args: {} }),
      400,
      'args: required field «Schema» of sys.CollectionParams is not set',
    );
  });

  test('sys.GetCDoc: one document as JSON', async () => {
    const ws = await shop();
    const res = await purchases(ws);
    const p1 = newId(res, 1);
    const rows = await rowsOf(ws, 'sys.GetCDoc', { ID: p1 });
    assert.equal(rows.length, 1);
    const doc = JSON.parse(String(rows[0]?.Result)) as Record<string, unknown>;
    assert.deepEqual(
      [doc['sys.ID'], doc['sys.QName'], doc.Number, (doc.Lines as unknown[]).length],
      [p1, 'tst.Purchase', 1, 2],
    );
    assert.deepEqual(
      (doc.Lines as { Notes?: { Text: string }[] }[])[0]?.Notes?.map((n) => n.Text),
      ['hot'],
    );
    // A nested record is not a document; a missing ID neither.
    await expectError(
      rowsOf(ws, 'sys.GetCDoc', { ID: res.newIds['2'] }),
      404,
      `document with ID ${res.newIds['2']} not found`,
    );
    await expectError(
      rowsOf(ws, 'sys.GetCDoc', { ID: 299999 }),
      404,
      'document with ID 299999 not found',
    );
    const ticket = await t.engine.command({
      wsid: ws,
      command: 'sys.CUD',
      cuds: [ticketCud(1, 'w')],
    });
    await expectError(
      rowsOf(ws, 'sys.GetCDoc', { ID: ticket.newIds['1'] }),
      400,
      `record ${ticket.newIds['1']} is not a C document`,
    );
  });

  test('sys.State: C records changed after an offset, and the highest offset', async () => {
    const ws = await shop();
    const first = await purchases(ws);
    const second = await t.engine.command({
      wsid: ws,
      command: 'sys.CUD',
      cuds: [clientCud(1, 's@x.io'), updateCud(newId(first, 5), { Number: 22 })],
    });
    // WDocs are not C records.
    await t.engine.command({ wsid: ws, command: 'sys.CUD', cuds: [ticketCud(1, 'w')] });
    const all = await rowsOf(ws, 'sys.State', { After: 0 });
    assert.equal(all.length, 1);
    assert.equal(all[0]?.MaxRelevantOffset, second.currentWLogOffset);
    const state = JSON.parse(String(all[0]?.State)) as Record<string, Record<string, unknown>>;
    assert.deepEqual(Object.keys(state).sort(), [
      'sys.WorkspaceDescriptor',
      'tst.Client',
      'tst.LineNote',
      'tst.Purchase',
      'tst.PurchaseLine',
      'tst.ShopDescriptor',
    ]);
    assert.deepEqual(Object.keys(must(state['tst.Purchase'])).sort(), [
      String(first.newIds['1']),
      String(first.newIds['5']),
    ]);
    const descriptorId = String(singletonId(t.engine, 'tst.ShopDescriptor'));
    assert.equal(
      (must(state['tst.ShopDescriptor'])[descriptorId] as { Name: string }).Name,
      `shop-${ws}`,
    );

    const after = await rowsOf(ws, 'sys.State', { After: first.currentWLogOffset });
    const changed = JSON.parse(String(after[0]?.State)) as Record<string, Record<string, unknown>>;
    assert.deepEqual(changed, {
      'tst.Client': {
        [String(FIRST_ID + 5)]: {
          'sys.ID': FIRST_ID + 5,
          'sys.QName': 'tst.Client',
          'sys.IsActive': true,
          Email: 's@x.io',
        },
      },
      'tst.Purchase': {
        [String(first.newIds['5'])]: {
          'sys.ID': first.newIds['5'],
          'sys.QName': 'tst.Purchase',
          'sys.IsActive': true,
          Number: 22,
        },
      },
    });
    assert.equal(after[0]?.MaxRelevantOffset, second.currentWLogOffset);
    const none = await rowsOf(ws, 'sys.State', { After: second.currentWLogOffset });
    assert.deepEqual(none, [{ State: '{}', MaxRelevantOffset: 0 }]);
  });

  test('sys.Echo answers with its argument', async () => {
    const ws = await shop();
    assert.deepEqual(await rowsOf(ws, 'sys.Echo', { Text: 'hello' }), [{ Res: 'hello' }]);
    const q = await t.engine.query({ wsid: ws, query: 'sys.Echo', args: { Text: 'typed' } });
    assert.equal(q.resultType, 'sys.EchoResult');
    const error = await expectError(
      t.engine.query({ wsid: ws, query: 'sys.Echo', args: {} }),
      400,
      'args: required field «Text» of sys.EchoParams is not set',
    );
    assert.ok(error instanceof ProcessorError);
  });
});
