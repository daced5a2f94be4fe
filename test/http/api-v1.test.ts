/**
 * API v1 over real HTTP (http-api.md §1.1, §2.1-2.2, §2.5): commands and queries of the test
 * application, their answers, and each error with the reference's status and body.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FIRST_ID, serverForFile, v1 } from './support.js';

const s = serverForFile(5100);

const sysError = (status: number, message: string) => ({
  'sys.Error': { HTTPStatus: status, Message: message },
});

describe('API v1 commands', () => {
  it('runs a command with arguments and answers its result and WLog offset', async () => {
    const ws = await s.shop();
    const r = await s.request('POST', `${v1(ws)}/c.tst.Calc`, { body: { args: { A: 2, B: 3 } } });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'application/json; charset=utf-8');
    // Offset 1 is the workspace's creation; NewIDs is absent when no raw ID was given.
    assert.equal(
      r.text,
      '{"CurrentWLogOffset":2,"Result":{"sys.QName":"tst.CalcResult","Sum":5,"Note":"at 2"}}',
    );
  });

  it('inserts records by sys.CUD and reports their new IDs; PATCH works as POST', async () => {
    const ws = await s.shop();
    const r = await s.request('PATCH', `${v1(ws)}/c.sys.CUD`, {
      body: {
        cuds: [
          { fields: { 'sys.ID': 1, 'sys.QName': 'tst.Purchase', Number: 7 } },
          {
            fields: {
              'sys.ID': 2,
              'sys.QName': 'tst.PurchaseLine',
              'sys.ParentID': 1,
              'sys.Container': 'Lines',
              Item: 'tea',
              Qty: 2,
            },
          },
        ],
      },
    });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, {
      CurrentWLogOffset: 2,
      NewIDs: { '1': FIRST_ID, '2': FIRST_ID + 1 },
    });
    const upd = await s.request('POST', `${v1(ws)}/c.sys.CUD`, {
      body: { cuds: [{ 'sys.ID': FIRST_ID, fields: { Number: 8 } }] },
    });
    assert.deepEqual(upd.json, { CurrentWLogOffset: 3 });
  });

  it('answers the processor errors in the sys.Error body with their status', async () => {
    const ws = await s.shop();
    const cases: [string, unknown, number, string][] = [
      ['c.tst.Calc', '{"args":', 400, 'failed to unmarshal request body'],
      ['c.tst.Plain', { args: { A: 1 } }, 400, 'args are not expected'],
      ['c.tst.Plain', { cuds: [{ fields: {} }] }, 400, 'CUDs allowed for c.sys.CUD command only'],
      ['c.tst.Nope', {}, 400, 'command tst.Nope is not defined'],
      [
        'c.sys.CUD',
        { cuds: [{ 'sys.ID': 999_999, fields: { Number: 1 } }] },
        404,
        'cuds[0]: record with queried id 999999 does not exist',
      ],
      ['c.tst.Boom', { args: { Message: 'it broke' } }, 500, 'it broke'],
      ['x.tst.Calc', {}, 400, 'wrong function mark "x" for function tst.Calc'],
      ['c.tst', {}, 400, 'wrong function name: c.tst'],
    ];
    for (const [fn, body, status, message] of cases) {
      const r = await s.request('POST', `${v1(ws)}/${fn}`, { body });
      assert.equal(r.status, status, `${fn}: ${r.text}`);
      assert.deepEqual(r.json, sysError(status, message), fn);
    }
  });

  it('refuses a command in a workspace that was never created', async () => {
    const r = await s.request('POST', `${v1(s.nextWsid())}/c.tst.Plain`, { body: {} });
    assert.equal(r.status, 403);
    assert.deepEqual(r.json, sysError(403, 'workspace is not initialized'));
  });

  it('checks the URL first, answering in the v2 body (as the reference router does)', async () => {
    const bad = await s.request('POST', '/api/test/app/12ab/c.tst.Plain', { body: {} });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.json, { status: 400, message: 'invalid wsid: 12ab' });
    const unknown = await s.request('POST', '/api/no/such/1/c.tst.Plain', { body: {} });
    assert.deepEqual(unknown.json, { status: 400, message: 'unknown app no/such' });
  });

  it('runs a pseudo WSID in its application workspace', async () => {
    // WSID 5 is a pseudo WSID: it addresses app workspace 5 % 2 (the fixture has two).
    const r = await s.request('POST', '/api/test/app/5/q.sys.Echo', {
      body: { args: { Text: 'hi' }, elements: [{ fields: ['Res'] }] },
    });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, { sections: [{ type: '', elements: [[[['hi']]]] }] });
  });

  it('refuses a malformed Authorization header with 401', async () => {
    const ws = await s.shop();
    const r = await s.request('POST', `${v1(ws)}/c.tst.Plain`, {
      body: {},
      headers: { Authorization: 'Token abc' },
    });
    assert.equal(r.status, 401);
    assert.deepEqual(
      r.json,
      sysError(401, 'access denied: unsupported Authorization header: Token abc'),
    );
  });
});

describe('API v1 queries', () => {
  it('streams rows in sections, with elements, filters, order and paging', async () => {
    const ws = await s.shop();
    const r = await s.request('POST', `${v1(ws)}/q.tst.Count`, {
      body: {
        args: { Count: 6, Prefix: 'n' },
        elements: [{ fields: ['N', 'Label'] }],
        filters: [{ expr: 'gt', args: { field: 'N', value: 1 } }],
        orderBy: [{ field: 'N', desc: true }],
        count: 2,
        startFrom: 1,
      },
    });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, {
      sections: [{ type: '', elements: [[[[5, 'n5']]], [[[4, 'n4']]]] }],
    });
  });

  it('answers {} when there are no rows', async () => {
    const ws = await s.shop();
    const r = await s.request('POST', `${v1(ws)}/q.tst.Count`, { body: { args: { Count: 0 } } });
    assert.equal(r.status, 200);
    assert.equal(r.text, '{}');
  });

  it('answers an error before the first row with its status, after it under 200', async () => {
    const ws = await s.shop();
    const before = await s.request('POST', `${v1(ws)}/q.tst.Count`, {
      body: { args: { Count: -1 } },
    });
    assert.equal(before.status, 500);
    assert.deepEqual(before.json, sysError(500, 'negative count'));
    const after = await s.request('POST', `${v1(ws)}/q.tst.Count`, {
      body: { args: { Count: 5, Prefix: 'fail' }, elements: [{ fields: ['N'] }] },
    });
    assert.equal(after.status, 200);
    assert.deepEqual(after.json, {
      sections: [{ type: '', elements: [[[[1]]], [[[2]]]] }],
      'sys.Error': { HTTPStatus: 500, Message: 'failed after 2 rows' },
    });
  });

  it('refuses bad bodies with the reference messages', async () => {
    const ws = await s.shop();
    const cases: [unknown, string][] = [
      ['', 'failed to unmarshal request body'],
      [{ args: { Count: 1 }, page: 2, extra: 1 }, 'unexpected field(s): extra, page'],
    ];
    for (const [body, message] of cases) {
      const r = await s.request('POST', `${v1(ws)}/q.tst.Count`, { body });
      assert.equal(r.status, 400, r.text);
      assert.deepEqual(r.json, sysError(400, message));
    }
  });
});
