/**
 * API v2 schema routes over HTTP (http-api.md §1.2): the pages that list workspaces and roles, a
 * role's OpenAPI document (valid by a standard validator), its Swagger UI page and assets.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validate } from '@readme/openapi-parser';
import { APP_QNAME, serverForFile } from './support.js';

const s = serverForFile(5400);
const schemas = `/api/v2/apps/${APP_QNAME}/schemas`;

describe('API v2 schemas', () => {
  it('lists the workspaces and their roles as HTML pages', async () => {
    const list = await s.request('GET', schemas);
    assert.equal(list.status, 200);
    assert.match(String(list.headers.get('content-type')), /^text\/html/);
    assert.match(list.text, /tst\.ShopWS/);
    const roles = await s.request('GET', `${schemas}/tst.ShopWS/roles`);
    assert.equal(roles.status, 200);
    assert.match(
      roles.text,
      /href="\/api\/v2\/apps\/test\/app\/schemas\/tst.ShopWS\/roles\/tst.Cashier"/,
    );
  });

  it("serves a role's OpenAPI document that a standard validator accepts", async () => {
    const r = await s.request('GET', `${schemas}/tst.ShopWS/roles/tst.Cashier`);
    assert.equal(r.status, 200, r.text);
    assert.match(String(r.headers.get('content-type')), /^application\/json/);
    const doc = r.json as { openapi: string; paths: Record<string, unknown> };
    assert.match(doc.openapi, /^3\.0\./);
    const result = await validate(structuredClone(doc) as never);
    assert.equal(result.valid, true, JSON.stringify(result));
    assert.ok(
      Object.keys(doc.paths).some((p) => p.endsWith('/docs/tst.Purchase')),
      'the cashier may create purchases',
    );
    assert.ok(
      !Object.keys(doc.paths).some((p) => p.includes('tst.Client')),
      'but has no grant on clients',
    );
  });

  it('serves the Swagger UI page to a browser, with its files from this server', async () => {
    const page = await s.request('GET', `${schemas}/tst.ShopWS/roles/tst.Cashier`, {
      headers: { Accept: 'text/html,application/xhtml+xml' },
    });
    assert.equal(page.status, 200);
    const assets = [...page.text.matchAll(/(?:src|href)="(\/static\/swagger-ui\/[^"]+)"/g)].map(
      (m) => m[1] as string,
    );
    assert.ok(assets.length >= 2, page.text);
    for (const asset of assets) {
      const r = await s.request('GET', asset);
      assert.equal(r.status, 200, asset);
      assert.ok(r.text.length > 100, asset);
    }
    const none = await s.request('GET', '/static/swagger-ui/..%2Fpackage.json');
    assert.equal(none.status, 404);
  });

  it('answers an unknown workspace or role with the v2 error body', async () => {
    const ws = await s.request('GET', `${schemas}/tst.NoSuchWS/roles`);
    assert.equal(ws.status, 404);
    assert.deepEqual(ws.json, { status: 404, message: 'workspace tst.NoSuchWS not found' });
    const role = await s.request('GET', `${schemas}/tst.ShopWS/roles/tst.NoRole`);
    assert.equal(role.status, 404);
    assert.equal((role.json as { status: number }).status, 404);
  });
});
