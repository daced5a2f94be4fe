// The wasm-orders example end to end: `vpm build` compiles its AssemblyScript extensions, the
// application package loads them from extensions.wasm, and a client places orders and reads the
// daily totals over HTTP, as the example's README shows. The example is built in a copy so that
// the repository stays clean.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { deployApp, loadAppPackage } from '../../src/apps/index.js';
import { cli as vpm } from '../../src/cli/vpm/main.js';
import type { Engine } from '../../src/processors/index.js';
import { createHttpServer, HttpApps } from '../../src/routing/index.js';
import { MemStorageProvider } from '../../src/storage/index.js';
import { userWsid } from '../engine/support.js';
import { request } from './support.js';

const example = fileURLToPath(new URL('../../examples/wasm-orders/orders', import.meta.url));

describe('the wasm-orders example over HTTP', () => {
  const temp = mkdtempSync(join(tmpdir(), 'wasm-orders-'));
  const dir = join(temp, 'orders');
  let engine: Engine;
  let server: FastifyInstance;
  let base = '';
  const wsid = userWsid(7100);
  const api = `/api/local/orders/${wsid}`;

  before(async () => {
    cpSync(example, dir, { recursive: true });
    let out = '';
    const code = await vpm(
      ['build', dir],
      { write: (s) => (out += s) },
      { write: (s) => (out += s) },
    );
    assert.equal(code, 0, out);
    const pkg = await loadAppPackage(dir);
    assert.ok(pkg.wasmModule !== undefined);
    engine = await deployApp({
      app: pkg.app,
      appQName: pkg.qname,
      storage: await new MemStorageProvider().open('orders'),
      extensions: pkg.extensions,
      wasm: pkg.wasm,
      partitions: 2,
      appWorkspaces: 1,
    });
    server = await createHttpServer({
      apps: new HttpApps([engine]),
      logger: pino({ level: 'silent' }),
    });
    base = await server.listen({ host: '127.0.0.1', port: 0 });
    const created = await request(base, 'POST', `${api}/c.sys.CreateWorkspace`, {
      body: {
        args: {
          OwnerWSID: 0,
          OwnerID: 0,
          OwnerApp: 'local/orders',
          WSName: 'corner shop',
          WSKind: 'orders.ShopWS',
          WSKindInitializationData: JSON.stringify({ Name: 'Corner shop' }),
        },
      },
    });
    assert.equal(created.status, 200, created.text);
  });
  after(async () => {
    await server?.close();
    await engine?.stop();
    rmSync(temp, { recursive: true, force: true });
  });

  const order = (day: number, items: [article: string, quantity: number, price: number][]) => ({
    args: {
      'sys.ID': 1,
      Year: 2026,
      Month: 11,
      Day: day,
      Customer: 'Ann',
      Items: items.map(([Article, Quantity, Price], i) => ({
        'sys.ID': 2 + i,
        Article,
        Quantity,
        Price,
      })),
    },
  });

  test('PlaceOrder answers the total; the sync projector adds it to the day', async () => {
    const first = await request(base, 'POST', `${api}/c.orders.PlaceOrder`, {
      body: order(21, [
        ['tea', 2, 350],
        ['cake', 1, 425],
      ]),
    });
    assert.equal(first.status, 200, first.text);
    assert.deepEqual((first.json as { Result: unknown }).Result, {
      'sys.QName': 'orders.PlaceOrderResult',
      Total: 1125,
      Items: 2,
    });
    const second = await request(base, 'POST', `${api}/c.orders.PlaceOrder`, {
      body: order(21, [['coffee', 3, 300]]),
    });
    assert.equal(second.status, 200, second.text);
    const third = await request(base, 'POST', `${api}/c.orders.PlaceOrder`, {
      body: order(22, [['tea', 1, 350]]),
    });
    assert.equal(third.status, 200, third.text);

    const totals = await request(base, 'POST', `${api}/q.orders.DailyTotals`, {
      body: {
        args: { Year: 2026, Month: 11 },
        elements: [{ fields: ['Day', 'Amount', 'Orders'] }],
      },
    });
    assert.equal(totals.status, 200, totals.text);
    assert.deepEqual(totals.json, {
      sections: [{ type: '', elements: [[[[21, 2025, 2]]], [[[22, 350, 1]]]] }],
    });
  });

  test("an order whose total is not positive is refused with the guest's panic text, and not counted", async () => {
    const refused = await request(base, 'POST', `${api}/c.orders.PlaceOrder`, {
      body: order(23, [['refund', 1, -100]]),
    });
    assert.equal(refused.status, 500, refused.text);
    assert.match(refused.text, /panic: the order total must be positive, got -100/);
    const totals = await request(base, 'POST', `${api}/q.orders.DailyTotals`, {
      body: { args: { Year: 2026, Month: 11 }, elements: [{ fields: ['Day'] }] },
    });
    assert.deepEqual(totals.json, { sections: [{ type: '', elements: [[[[21]]], [[[22]]]] }] });
  });

  test('the v2 API runs the same command', async () => {
    const res = await request(
      base,
      'POST',
      `/api/v2/apps/local/orders/workspaces/${wsid}/commands/orders.PlaceOrder`,
      { body: order(24, [['tea', 4, 350]]) },
    );
    assert.equal(res.status, 200, res.text);
    assert.equal((res.json as { result: { Total: number } }).result.Total, 1400);
  });
});
