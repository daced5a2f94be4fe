/**
 * What every route shares (http-api.md §0, §7): the health check, CORS, unknown routes and
 * methods, body limits, request ids in the logs, streaming of large results with backpressure,
 * and the per-workspace query cap.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { describe, it } from 'node:test';
import { serverForFile, v1, v2 } from './support.js';

const s = serverForFile(5300, { http: { bodyLimit: 4096, maxQueriesPerWorkspace: 1 } });

describe('HTTP server', () => {
  it('answers the health check', async () => {
    for (const method of ['GET', 'POST']) {
      const r = await s.request(method, '/api/check');
      assert.equal(r.status, 200);
      assert.equal(r.text, 'ok');
    }
  });

  it('sets the CORS headers and answers preflights with an empty 200', async () => {
    const ws = await s.shop();
    const pre = await s.request('OPTIONS', `${v2(ws)}/commands/tst.Plain`);
    assert.equal(pre.status, 200);
    assert.equal(pre.text, '');
    assert.equal(pre.headers.get('access-control-allow-origin'), '*');
    assert.equal(
      pre.headers.get('access-control-allow-headers'),
      'Accept, Content-Type, Content-Length, Accept-Encoding, Authorization, Blob-Name',
    );
    const cmd = await s.request('POST', `${v1(ws)}/c.tst.Plain`, { body: {} });
    assert.equal(cmd.headers.get('access-control-allow-origin'), '*');
    assert.equal(cmd.headers.get('x-content-type-options'), null);
  });

  it('answers unknown routes with 404 and wrong methods with 405, in JSON', async () => {
    const none = await s.request('GET', '/api/v2/nothing/here');
    assert.equal(none.status, 404);
    assert.deepEqual(none.json, { status: 404, message: 'no route for GET /api/v2/nothing/here' });
    const ws = await s.shop();
    const wrong = await s.request('GET', `${v2(ws)}/commands/tst.Plain`);
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get('allow'), 'POST, OPTIONS');
    assert.deepEqual(wrong.json, { status: 405, message: 'method not allowed; allowed: POST' });
  });

  it('refuses a body over the limit with 413 in the route format, and runs nothing', async () => {
    const ws = await s.shop();
    const big = { args: { Message: 'x'.repeat(5000) } };
    const r = await s.request('POST', `${v1(ws)}/c.tst.OpenTicket`, { body: big });
    assert.equal(r.status, 413);
    assert.deepEqual(r.json, {
      'sys.Error': { HTTPStatus: 413, Message: 'request body is too large' },
    });
    const v2r = await s.request('POST', `${v2(ws)}/commands/tst.OpenTicket`, { body: big });
    assert.deepEqual(v2r.json, { status: 413, message: 'request body is too large' });
    const next = await s.request('POST', `${v1(ws)}/c.tst.Plain`, { body: {} });
    assert.deepEqual(next.json, { CurrentWLogOffset: 2 }, 'no event was written for them');
  });

  it('logs each request as JSON with its request id, the client one when given', async () => {
    const ws = await s.shop();
    await s.request('POST', `${v1(ws)}/c.tst.Plain`, {
      body: {},
      headers: { 'X-Request-Id': 'client-id-1' },
    });
    const line = s.logs.find((l) => l.reqId === 'client-id-1');
    assert.ok(line !== undefined, 'a log line carries the client request id');
    assert.equal(line.msg, 'request completed');
    assert.equal(line.status, 200);
    await s.request('POST', `${v1(ws)}/c.tst.Plain`, { body: {} });
    const own = s.logs.filter((l) => l.msg === 'request completed').at(-1);
    assert.match(String(own?.reqId), /^[0-9a-f-]{36}$/);
  });

  it('never sends a stack trace: a failing extension is a 500 with its message only', async () => {
    const ws = await s.shop();
    const r = await s.request('POST', `${v2(ws)}/commands/tst.Boom`, {
      body: { args: { Message: 'bad' } },
    });
    assert.equal(r.status, 500);
    assert.deepEqual(r.json, { status: 500, message: 'bad' });
  });
});

describe('large results and the query cap', () => {
  it('streams a large result whole, and holds a slow reader by backpressure', async () => {
    const ws = await s.shop();
    // About 6 MB of rows: more than loopback socket buffers hold.
    const count = 200_000;
    const url = new URL(`${s.base}${v1(ws)}/q.tst.Count`);
    const body = JSON.stringify({
      args: { Count: count, Prefix: 'abcdefghij' },
      elements: [{ fields: ['N', 'Label'] }],
    });
    // A client that reads nothing at first: the query must stop producing, not buffer.
    const res = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
      const req = httpRequest(url, { method: 'POST' }, resolve);
      req.on('error', reject);
      req.end(body);
    });
    res.pause();
    await new Promise((r) => setTimeout(r, 300));
    const produced = s.t.probe.query.emitted;
    assert.ok(produced < count, `only what the socket holds is produced (${produced})`);
    // Meanwhile the workspace's one query slot is taken: another query gets 503, empty body.
    const busy = await s.request('POST', `${v1(ws)}/q.tst.Count`, { body: { args: { Count: 1 } } });
    assert.equal(busy.status, 503);
    assert.equal(busy.headers.get('retry-after'), '1');
    assert.equal(busy.text, '');
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.resume();
    await new Promise((r) => res.on('end', r));
    const json = JSON.parse(Buffer.concat(chunks).toString()) as {
      sections: { elements: (number | string)[][][][] }[];
    };
    const rows = json.sections[0]?.elements.map((e) => e[0]?.[0]);
    assert.equal(rows?.length, count);
    assert.ok(rows?.every((r, i) => r?.[0] === i + 1 && r[1] === `abcdefghij${i + 1}`));
    // The slot is back once the stream has ended.
    const again = await s.request('POST', `${v1(ws)}/q.tst.Count`, {
      body: { args: { Count: 1 } },
    });
    assert.equal(again.status, 200);
  });

  it('gives the slot back when the client goes away mid-stream', async () => {
    const ws = await s.shop();
    const url = new URL(`${s.base}${v1(ws)}/q.tst.Count`);
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest(url, { method: 'POST' }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => {});
      req.end(
        JSON.stringify({
          args: { Count: 200_000, Prefix: 'abcdefghij' },
          elements: [{ fields: ['N', 'Label'] }],
        }),
      );
      // Only a guard against a hang: on a loaded machine the first rows can take seconds.
      setTimeout(() => reject(new Error('no data')), 60_000).unref();
    });
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 20));
      status = (await s.request('POST', `${v1(ws)}/q.tst.Count`, { body: { args: { Count: 1 } } }))
        .status;
    }
    assert.equal(status, 200);
  });
});

describe('rate limits from VSQL', () => {
  it('answers 429 with Retry-After once a RATE is used up, per workspace', async () => {
    // RATE PingRate 2 PER MINUTE PER WORKSPACE: the third call in a minute is refused.
    const ws = await s.shop();
    for (let i = 0; i < 2; i++) {
      const ok = await s.request('POST', `${v1(ws)}/c.tst.Ping`, { body: {} });
      assert.equal(ok.status, 200, ok.text);
    }
    const v1Refused = await s.request('POST', `${v1(ws)}/c.tst.Ping`, { body: {} });
    assert.equal(v1Refused.status, 429);
    assert.equal(v1Refused.headers.get('retry-after'), '30');
    assert.deepEqual(v1Refused.json, { 'sys.Error': { HTTPStatus: 429, Message: '' } });
    const v2Refused = await s.request('POST', `${v2(ws)}/commands/tst.Ping`, { body: {} });
    assert.equal(v2Refused.status, 429);
    assert.deepEqual(v2Refused.json, { status: 429, message: '' });
    const other = await s.shop();
    const elsewhere = await s.request('POST', `${v1(other)}/c.tst.Ping`, { body: {} });
    assert.equal(elsewhere.status, 200, 'another workspace has its own bucket');
  });
});
