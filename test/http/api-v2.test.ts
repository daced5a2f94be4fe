/**
 * API v2 over real HTTP (http-api.md §1.2, §2.3-2.5): documents, CDoc lists, commands, queries
 * and views of the test application, with the reference's statuses and bodies.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FIRST_ID, serverForFile, v2 } from './support.js';

const s = serverForFile(5200);
const q = (o: Record<string, string>) => `?${new URLSearchParams(o).toString()}`;

describe('API v2 documents', () => {
  it('creates a document with nested records, numbering raw IDs depth-first', async () => {
    const ws = await s.shop();
    const r = await s.request('POST', `${v2(ws)}/docs/tst.Purchase`, {
      body: {
        Number: 1,
        Lines: [
          { Item: 'a', Qty: 1, Notes: [{ Text: 'x' }, { Text: 'y' }] },
          { Item: 'b', Qty: 2 },
        ],
      },
    });
    assert.equal(r.status, 201, r.text);
    const ids = Object.fromEntries([1, 2, 3, 4, 5].map((n) => [String(n), FIRST_ID + n - 1]));
    assert.deepEqual(r.json, { currentWLogOffset: 2, newIDs: ids });
    const line = await s.request('GET', `${v2(ws)}/docs/tst.PurchaseLine/${FIRST_ID + 4}`);
    assert.deepEqual(line.json, {
      'sys.ID': FIRST_ID + 4,
      'sys.QName': 'tst.PurchaseLine',
      'sys.IsActive': true,
      'sys.ParentID': FIRST_ID,
      'sys.Container': 'Lines',
      Item: 'b',
      Qty: 2,
    });
  });

  it('reads, projects, updates and deactivates a document', async () => {
    const ws = await s.shop();
    const created = await s.request('POST', `${v2(ws)}/docs/tst.Client`, {
      body: { Email: 'ann@example.com', Name: 'Ann' },
    });
    const id = (created.json as { newIDs: Record<string, number> }).newIDs['1'];
    const doc = `${v2(ws)}/docs/tst.Client/${id}`;
    const read = await s.request('GET', `${doc}${q({ keys: 'Name,"sys.ID"' })}`);
    assert.equal(read.status, 200, read.text);
    assert.deepEqual(read.json, { Name: 'Ann', 'sys.ID': id });
    const patched = await s.request('PATCH', doc, { body: { Name: 'Anna' } });
    assert.deepEqual(patched.json, { currentWLogOffset: 3 });
    const deleted = await s.request('DELETE', doc);
    assert.deepEqual(deleted.json, { currentWLogOffset: 4 });
    const after = await s.request('GET', doc);
    assert.deepEqual(after.json, {
      'sys.ID': id,
      'sys.QName': 'tst.Client',
      'sys.IsActive': false,
      Email: 'ann@example.com',
      Name: 'Anna',
    });
  });

  it('reads a singleton by ID 0 only', async () => {
    const ws = await s.shop();
    await s.request('POST', `${v2(ws)}/docs/tst.Settings`, { body: { Theme: 'dark' } });
    const r = await s.request('GET', `${v2(ws)}/docs/tst.Settings/0${q({ keys: 'Theme' })}`);
    assert.deepEqual(r.json, { Theme: 'dark' });
    const bad = await s.request('GET', `${v2(ws)}/docs/tst.Settings/5`);
    assert.deepEqual(bad.json, {
      status: 400,
      message: 'document tst.Settings is singleton. DocID must be 0',
    });
  });

  it('answers document errors with the reference statuses and messages', async () => {
    const ws = await s.shop();
    const created = await s.request('POST', `${v2(ws)}/docs/tst.Client`, {
      body: { Email: 'bob@example.com' },
    });
    const id = (created.json as { newIDs: Record<string, number> }).newIDs['1'];
    const cases: [string, string, unknown, number, string][] = [
      ['GET', `docs/tst.Client/123`, undefined, 404, 'document tst.Client with ID 123 not found'],
      [
        'PATCH',
        `docs/tst.Client/${id}`,
        { 'sys.ID': 5 },
        400,
        'sys.ID field is not allowed among fields to update',
      ],
      [
        'PATCH',
        `docs/tst.Purchase/${id}`,
        { Number: 1 },
        400,
        `record id ${id} leads to tst.Client QName whereas tst.Purchase QName is mentioned in the request`,
      ],
      ['DELETE', `docs/tst.Client/${id}`, { a: 1 }, 400, 'unexpected body is provided on delete'],
      [
        'POST',
        'docs/tst.Receipt',
        { Total: 1 },
        405,
        'cannot operate on the ODoc\\ORecord in any way other than through command arguments',
      ],
      [
        'POST',
        'docs/tst.Purchase',
        '[1]',
        400,
        'failed to unmarshal request body: a JSON object is expected',
      ],
      ['GET', 'docs/tst-Client/1', undefined, 400, 'invalid QName: tst-Client'],
    ];
    for (const [method, path, body, status, message] of cases) {
      const r = await s.request(method, `${v2(ws)}/${path}`, body === undefined ? {} : { body });
      assert.deepEqual(r.json, { status, message }, `${method} ${path}`);
      assert.equal(r.status, status);
    }
  });

  it('lists the documents of a CDoc with order, limit and keys', async () => {
    const ws = await s.shop();
    for (const n of [3, 1, 2]) {
      await s.request('POST', `${v2(ws)}/docs/tst.Purchase`, { body: { Number: n } });
    }
    const r = await s.request(
      'GET',
      `${v2(ws)}/cdocs/tst.Purchase${q({ order: '-Number', limit: '2', keys: 'Number' })}`,
    );
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, { results: [{ Number: 3 }, { Number: 2 }] });
    const notCDoc = await s.request('GET', `${v2(ws)}/cdocs/tst.Ticket`);
    assert.equal(notCDoc.status, 400);
    assert.deepEqual(notCDoc.json, {
      results: [],
      error: { status: 400, message: 'tst.Ticket is not a CDoc in Workspace «tst.ShopWS»' },
    });
  });
});

describe('API v2 functions and views', () => {
  it('runs a command and answers in camelCase', async () => {
    const ws = await s.shop();
    const r = await s.request('POST', `${v2(ws)}/commands/tst.Calc`, {
      body: { args: { A: 4, B: 5 } },
    });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, {
      currentWLogOffset: 2,
      result: { 'sys.QName': 'tst.CalcResult', Sum: 9, Note: 'at 2' },
    });
  });

  it('runs a query with args from the query string', async () => {
    const ws = await s.shop();
    const r = await s.request(
      'GET',
      `${v2(ws)}/queries/tst.Count${q({ args: '{"Count":3,"Prefix":"p"}', order: '-N', skip: '1' })}`,
    );
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, {
      results: [
        { N: 2, Label: 'p2' },
        { N: 1, Label: 'p1' },
      ],
    });
  });

  it('answers query errors inside the result list, before and after rows', async () => {
    const ws = await s.shop();
    const before = await s.request(
      'GET',
      `${v2(ws)}/queries/tst.Count${q({ args: '{"Count":-1}' })}`,
    );
    assert.equal(before.status, 500);
    assert.deepEqual(before.json, {
      results: [],
      error: { status: 500, message: 'negative count' },
    });
    const after = await s.request(
      'GET',
      `${v2(ws)}/queries/tst.Count${q({ args: '{"Count":4,"Prefix":"fail"}' })}`,
    );
    assert.equal(after.status, 200);
    assert.deepEqual(after.json, {
      results: [
        { N: 1, Label: 'fail1' },
        { N: 2, Label: 'fail2' },
      ],
      error: { status: 500, message: 'failed after 2 rows' },
    });
    const badArgs = await s.request('GET', `${v2(ws)}/queries/tst.Count${q({ args: '{' })}`);
    assert.equal(badArgs.status, 400);
    assert.deepEqual(badArgs.json, {
      results: [],
      error: { status: 400, message: "invalid 'args' parameter" },
    });
  });

  it('reads view rows selected by where, and refuses a read without it', async () => {
    const ws = await s.shop();
    const created = await s.request('POST', `${v2(ws)}/docs/tst.Purchase`, {
      body: { Number: 42 },
    });
    const id = (created.json as { newIDs: Record<string, number> }).newIDs['1'];
    const r = await s.request(
      'GET',
      `${v2(ws)}/views/tst.PurchaseLog${q({ where: '{"Part":0}' })}`,
    );
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, {
      results: [
        { Part: 0, WLogOffs: 2, PurchaseID: id, Number: 42, 'sys.QName': 'tst.PurchaseLog' },
      ],
    });
    const noWhere = await s.request('GET', `${v2(ws)}/views/tst.PurchaseLog`);
    assert.equal(noWhere.status, 400);
    assert.deepEqual(noWhere.json, {
      results: [],
      error: { status: 400, message: 'where constraint is empty' },
    });
  });
});
