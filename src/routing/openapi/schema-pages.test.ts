import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { describe, test } from 'node:test';
import { schemasPage, swaggerUiPage, workspaceRolesPage } from './schema-pages.js';
import { roleSchemaAnswer, schemasAnswer, workspaceRolesAnswer } from './schema-routes.js';
import { SchemaRouteError } from './schema-target.js';
import {
  SWAGGER_UI_ASSET_FILES,
  SWAGGER_UI_ASSETS_PREFIX,
  swaggerUiAsset,
  swaggerUiAssetsDir,
} from './swagger-ui-assets.js';
import { SHOP_APP, SHOP_WS, shopApp, trackerApp } from './test-apps.fixture.js';

const shop = shopApp();

function routeError(run: () => unknown): { status: number; message: string } {
  try {
    run();
  } catch (e) {
    assert.ok(e instanceof SchemaRouteError);
    return { status: e.status, message: e.message };
  }
  assert.fail('no error');
}

describe('the workspaces page', () => {
  test('lists the workspaces that see a published role, as the reference writes it', () => {
    assert.equal(
      schemasPage(shop, { appQName: SHOP_APP }),
      '<html><head><title>App test1/shop schema</title></head><body><h1>App test1/shop schema</h1>' +
        '<h2>Package shop</h2><ul><li><a href="/api/v2/apps/test1/shop/schemas/shop.ShopWS/roles">shop.ShopWS</a></li></ul>' +
        '</body></html>',
    );
  });

  test('a developer sees every workspace', () => {
    const page = schemasPage(shop, { appQName: SHOP_APP, developer: true });
    assert.ok(page.includes('<h2>Package sys</h2>'));
    assert.ok(page.includes('href="/api/v2/apps/test1/shop/schemas/sys.Workspace/roles"'));
    // packages in order
    assert.ok(page.indexOf('Package shop') < page.indexOf('Package sys'));
  });

  test('no published roles at all', () => {
    const page = schemasPage(trackerApp(false), { appQName: 'test1/tracker' });
    assert.ok(page.includes('<p>No workspaces with published roles found</p>'));
    assert.ok(!page.includes('<ul>'));
  });

  test('names are escaped', () => {
    const page = schemasPage(shop, { appQName: 'a<b>&c/"x\'' });
    assert.ok(page.includes('<title>App a&lt;b&gt;&amp;c/&#34;x&#39; schema</title>'));
    assert.ok(!page.includes('<b>'));
    // the link's parts are URL-encoded, then escaped
    assert.ok(
      page.includes(
        'href="/api/v2/apps/a%3Cb%3E%26c/%22x\'/schemas/shop.ShopWS/roles"'.replace("'", '&#39;'),
      ),
    );
  });

  test('the answer is HTML', () => {
    assert.equal(
      schemasAnswer(shop, { appQName: SHOP_APP }).contentType,
      'text/html; charset=utf-8',
    );
  });
});

describe('the roles page', () => {
  test('lists the published roles with links to their documents', () => {
    assert.equal(
      workspaceRolesPage(shop, { appQName: SHOP_APP, workspace: SHOP_WS }),
      '<html><head><title>App test1/shop: workspace shop.ShopWS published roles</title></head><body>' +
        '<h1>App test1/shop</h1><h2>Workspace shop.ShopWS published roles</h2><h2>Package shop</h2><ul>' +
        '<li><a href="/api/v2/apps/test1/shop/schemas/shop.ShopWS/roles/shop.Cashier">shop.Cashier</a></li>' +
        '<li><a href="/api/v2/apps/test1/shop/schemas/shop.ShopWS/roles/shop.Manager">shop.Manager</a></li>' +
        '</ul></body></html>',
    );
  });

  test("a developer sees every role, the ancestors' included", () => {
    const page = workspaceRolesPage(shop, {
      appQName: SHOP_APP,
      workspace: SHOP_WS,
      developer: true,
    });
    assert.ok(page.includes('<h2>Workspace shop.ShopWS roles</h2>'));
    assert.ok(page.includes('>shop.Auditor</a>'));
    assert.ok(page.includes('<h2>Package sys</h2>'));
    assert.ok(page.includes('>sys.WorkspaceOwner</a>'));
  });

  test('a workspace without published roles', () => {
    const page = workspaceRolesPage(shop, { appQName: SHOP_APP, workspace: 'sys.Workspace' });
    assert.ok(page.includes('<p>No published roles</p>'));
  });

  test('unknown workspace', () => {
    assert.deepEqual(
      routeError(() =>
        workspaceRolesAnswer(shop, { appQName: SHOP_APP, workspace: 'pkg.unknown' }),
      ),
      { status: 404, message: 'workspace pkg.unknown not found' },
    );
  });
});

describe('the role route', () => {
  const options = { appQName: SHOP_APP, workspace: SHOP_WS, role: 'shop.Cashier' };

  test('JSON unless the client accepts HTML', () => {
    for (const accept of [undefined, 'application/json', 'application/json,*/*']) {
      const answer = roleSchemaAnswer(shop, { ...options, accept });
      assert.equal(answer.contentType, 'application/json');
      const doc = JSON.parse(answer.body) as { openapi: string; paths: object };
      assert.equal(doc.openapi, '3.0.3');
      assert.ok('/apps/test1/shop/workspaces/{wsid}/commands/shop.Sell' in doc.paths);
    }
    const page = roleSchemaAnswer(shop, {
      ...options,
      accept: 'text/html,application/xhtml+xml,*/*;q=0.8',
    });
    assert.equal(page.contentType, 'text/html; charset=utf-8');
    assert.ok(page.body.startsWith('<!DOCTYPE html>'));
  });

  test('the role is checked for browsers too', () => {
    assert.deepEqual(
      routeError(() =>
        roleSchemaAnswer(shop, { ...options, role: 'shop.Nobody', accept: 'text/html' }),
      ),
      { status: 404, message: 'role shop.Nobody not found in workspace shop.ShopWS' },
    );
    assert.equal(
      routeError(() =>
        roleSchemaAnswer(shop, { ...options, role: 'shop.Auditor', accept: 'text/html' }),
      ).status,
      403,
    );
  });

  test('the Swagger UI page loads the UI from this server and the document from the role URL', () => {
    const page = swaggerUiPage(options);
    assert.ok(
      page.includes(`<link rel="stylesheet" href="${SWAGGER_UI_ASSETS_PREFIX}swagger-ui.css">`),
    );
    assert.ok(
      page.includes(`<script src="${SWAGGER_UI_ASSETS_PREFIX}swagger-ui-bundle.js"></script>`),
    );
    assert.ok(
      page.includes('"url":"/api/v2/apps/test1/shop/schemas/shop.ShopWS/roles/shop.Cashier"'),
    );
    assert.ok(!page.includes('https://'), 'nothing from the internet');
    const custom = swaggerUiPage({ ...options, assetsPrefix: '/assets/ui' });
    assert.ok(custom.includes('<script src="/assets/ui/swagger-ui-bundle.js"></script>'));
  });

  test('names cannot break out of the page', () => {
    const page = swaggerUiPage({
      appQName: 'o/a',
      workspace: 'p.W',
      role: 'x</script><script>alert(1)</script>',
    });
    assert.equal(page.split('</script>').length - 1, 2, 'only the two script elements close');
    assert.ok(!page.includes('<script>alert'));
    assert.ok(
      page.includes(
        '<title>o/a: x&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; in p.W</title>',
      ),
    );
  });
});

describe('Swagger UI assets', () => {
  test('every listed file is in the installed package', () => {
    const dir = swaggerUiAssetsDir();
    assert.ok(isAbsolute(dir));
    assert.ok(existsSync(join(dir, 'package.json')));
    for (const name of Object.keys(SWAGGER_UI_ASSET_FILES)) {
      const asset = swaggerUiAsset(name);
      assert.ok(asset !== undefined);
      assert.ok(existsSync(asset.path), asset.path);
    }
    assert.equal(
      swaggerUiAsset('swagger-ui-bundle.js')?.contentType,
      'text/javascript; charset=utf-8',
    );
  });

  test('no other file can be asked for', () => {
    for (const name of [
      '../package.json',
      'index.html',
      'package.json',
      '__proto__',
      'toString',
      '',
    ]) {
      assert.equal(swaggerUiAsset(name), undefined, name);
    }
  });
});
