import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileErrors, validate } from '@readme/openapi-parser';
import { openApiDocument } from './openapi-document.js';
import type {
  OpenApiDocument,
  ParameterObject,
  ReferenceObject,
  SchemaObject,
  SchemaOrRef,
} from './openapi-types.js';
import { SchemaRouteError } from './schema-target.js';
import { SHOP_APP, SHOP_WS, shopApp, trackerApp } from './test-apps.fixture.js';

const shop = shopApp();
const tracker = trackerApp();

const shopDoc = (role: string): OpenApiDocument =>
  openApiDocument(shop, { appQName: SHOP_APP, workspace: SHOP_WS, role });

async function assertValid(doc: OpenApiDocument): Promise<void> {
  // the validator resolves references in place: give it a copy
  const result = await validate(structuredClone(doc) as never);
  assert.ok(result.valid, result.valid ? '' : compileErrors(result));
}

/** `VERB path` of every operation, the workspace prefix cut off, sorted. */
function operations(doc: OpenApiDocument): string[] {
  const prefix = '/apps/test1/shop/workspaces/{wsid}';
  const out: string[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!path.startsWith(prefix)) continue;
    for (const verb of Object.keys(item)) {
      out.push(`${verb.toUpperCase()} ${path.slice(prefix.length)}`);
    }
  }
  return out.sort();
}

function schema(doc: OpenApiDocument, name: string): SchemaObject {
  const s = doc.components.schemas[name];
  assert.ok(s !== undefined, `component ${name}`);
  assert.ok(!('$ref' in s));
  return s;
}

function property(s: SchemaObject, name: string): SchemaObject {
  const p = s.properties?.[name];
  assert.ok(p !== undefined, `property ${name}`);
  assert.ok(!('$ref' in p), `property ${name} is inline`);
  return p;
}

const ref = (name: string): ReferenceObject => ({ $ref: `#/components/schemas/${name}` });

function param(doc: OpenApiDocument, path: string, name: string): ParameterObject {
  const op = doc.paths[path]?.get;
  const p = op?.parameters?.find((x) => x.name === name);
  assert.ok(p !== undefined, `parameter ${name} of ${path}`);
  return p;
}

function jsonSchemaOf(p: ParameterObject): SchemaOrRef | undefined {
  return p.content?.['application/json']?.schema;
}

describe('openApiDocument', () => {
  test('the documents are valid OpenAPI 3.0', async () => {
    await assertValid(shopDoc('shop.Cashier'));
    await assertValid(shopDoc('shop.Manager'));
    await assertValid(
      openApiDocument(tracker, {
        appQName: 'test1/tracker',
        workspace: 'tracker.TeamWS',
        role: 'tracker.Member',
      }),
    );
    // the largest there is: sys.Workspace's owner, with the developer-only routes
    await assertValid(
      openApiDocument(tracker, {
        appQName: 'test1/tracker',
        workspace: 'sys.Workspace',
        role: 'sys.WorkspaceOwner',
        developer: true,
      }),
    );
  });

  test('a role gets exactly the operations its grants open', () => {
    assert.deepEqual(operations(shopDoc('shop.Cashier')), [
      'GET /cdocs/shop.Client',
      'GET /docs/shop.Client/{id}',
      'GET /docs/shop.Client/{id}/blobs/Photo',
      'POST /commands/shop.Sell',
      'POST /docs/shop.Purchase',
      'POST /docs/shop.PurchaseLine',
    ]);
    assert.deepEqual(operations(shopDoc('shop.Manager')), [
      'DELETE /docs/shop.Client/{id}',
      'GET /cdocs/shop.Client',
      'GET /cdocs/shop.Purchase',
      'GET /docs/shop.Client/{id}',
      'GET /docs/shop.Client/{id}/blobs/Photo',
      'GET /docs/shop.Purchase/{id}',
      // a nested record is read by ID, but only CDocs are listed
      'GET /docs/shop.PurchaseLine/{id}',
      'GET /queries/shop.Echo',
      'GET /queries/shop.Report',
      'GET /views/shop.DailySales',
      'PATCH /docs/shop.Client/{id}',
      'PATCH /docs/shop.Purchase/{id}',
      'POST /docs/shop.Client',
      'POST /docs/shop.Client/blobs/Photo',
    ]);
  });

  test('the tracker roles: Member reads and writes tasks, Lead inherits it and writes projects', () => {
    const doc = (role: string) =>
      openApiDocument(tracker, {
        appQName: 'test1/tracker',
        workspace: 'tracker.TeamWS',
        role,
        developer: true,
      });
    const paths = (role: string) => Object.keys(doc(role).paths);
    const project = '/apps/test1/tracker/workspaces/{wsid}/docs/tracker.Project';
    assert.ok(
      paths('tracker.Member').includes('/apps/test1/tracker/workspaces/{wsid}/docs/tracker.Task'),
    );
    assert.ok(!paths('tracker.Member').includes(project));
    assert.ok(paths('tracker.Lead').includes(project));
    assert.ok(
      paths('tracker.Lead').includes(
        '/apps/test1/tracker/workspaces/{wsid}/commands/tracker.CloseTask',
      ),
    );
  });

  test("roles of the system workspace: the authenticated user's commands, none of the app's", () => {
    const doc = openApiDocument(tracker, {
      appQName: 'test1/tracker',
      workspace: 'sys.Workspace',
      role: 'sys.AuthenticatedUser',
      developer: true,
    });
    const paths = Object.keys(doc.paths);
    assert.ok(
      paths.includes('/apps/test1/tracker/workspaces/{wsid}/commands/sys.InitiateJoinWorkspace'),
    );
    assert.ok(!paths.some((p) => p.includes('tracker.')));
  });

  test('paths are relative to the API v2 server; the application names are written in', () => {
    const doc = shopDoc('shop.Cashier');
    assert.equal(doc.openapi, '3.0.3');
    assert.deepEqual(doc.servers, [{ url: '/api/v2' }]);
    assert.deepEqual(
      openApiDocument(shop, {
        appQName: SHOP_APP,
        workspace: SHOP_WS,
        role: 'shop.Cashier',
        serverUrl: 'https://example.com:8822/',
      }).servers,
      [{ url: 'https://example.com:8822/api/v2' }],
    );
    assert.ok('/apps/test1/shop/auth/login' in doc.paths);
    assert.deepEqual(doc.paths['/apps/test1/shop/auth/login']?.post?.security, []);
    assert.equal(doc.info.description, 'Sells at the counter.');
  });

  test('bearer token security', () => {
    const doc = shopDoc('shop.Cashier');
    assert.deepEqual(doc.security, [{ BearerAuth: [] }, { CookieAuth: [] }]);
    assert.deepEqual(doc.components.securitySchemes.BearerAuth, {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description: 'The principal token from auth/login',
    });
  });

  test('field schemas follow the data kinds', () => {
    const purchase = schema(shopDoc('shop.Manager'), 'shop.Purchase');
    assert.deepEqual(property(purchase, 'Number'), { type: 'integer', format: 'int32' });
    assert.deepEqual(property(purchase, 'Big'), { type: 'integer', format: 'int64' });
    assert.deepEqual(property(purchase, 'Small'), {
      type: 'integer',
      format: 'int8',
      minimum: -128,
      maximum: 127,
    });
    assert.deepEqual(property(purchase, 'Mid'), {
      type: 'integer',
      format: 'int16',
      minimum: -32768,
      maximum: 32767,
    });
    assert.deepEqual(property(purchase, 'Amount'), { type: 'number', format: 'double' });
    assert.deepEqual(property(purchase, 'Rate'), { type: 'number', format: 'float' });
    assert.deepEqual(property(purchase, 'Paid'), { type: 'boolean' });
    // 30 bytes are 40 characters of base64
    assert.deepEqual(property(purchase, 'Data'), { type: 'string', format: 'byte', maxLength: 40 });
    assert.deepEqual(property(purchase, 'Code'), {
      type: 'string',
      maxLength: 8,
      pattern: '^[A-Z]+$',
    });
    assert.equal(property(purchase, 'Kind').type, 'string');
    assert.equal(property(purchase, 'Kind').pattern, '^[a-zA-Z0-9_]+\\.[a-zA-Z0-9_]+$');
    assert.deepEqual(property(purchase, 'sys.ID'), {
      type: 'integer',
      format: 'int64',
      description: 'ID of the record',
    });
    // a reference the role may read: the ID, or the record with include
    assert.deepEqual(property(purchase, 'Client').oneOf, [
      { type: 'integer', format: 'int64' },
      ref('shop.Client'),
    ]);
    assert.deepEqual(purchase.required, ['sys.QName', 'sys.ID', 'Number']);
    assert.equal(purchase.description, 'A sale.');
    // the nested records the role may read
    assert.deepEqual(property(purchase, 'Lines').items, ref('shop.PurchaseLine'));
  });

  test('read shapes hold only the fields the role may read', () => {
    const cashier = schema(shopDoc('shop.Cashier'), 'shop.Client');
    assert.deepEqual(Object.keys(cashier.properties ?? {}).sort(), [
      'Name',
      'Photo',
      'sys.ID',
      'sys.IsActive',
      'sys.QName',
    ]);
    const manager = schema(shopDoc('shop.Manager'), 'shop.Client');
    assert.ok('Secret' in (manager.properties ?? {}));
  });

  test('create and update bodies: own fields, raw IDs, nested records the role may create', () => {
    const cashier = shopDoc('shop.Cashier');
    const insert = schema(cashier, 'shop.Purchase_Insert');
    assert.ok(!('sys.QName' in (insert.properties ?? {})));
    assert.equal(property(insert, 'sys.ID').maximum, 65535);
    assert.deepEqual(property(insert, 'Lines'), {
      type: 'array',
      items: ref('shop.PurchaseLine_Insert'),
      maxItems: 100,
    });
    // the Cashier cannot read clients' records through include here: a reference is an ID
    assert.deepEqual(property(insert, 'Client'), {
      type: 'integer',
      format: 'int64',
      description: 'ID of a record of shop.Client',
    });
    assert.deepEqual(insert.required, ['Number']);
    assert.deepEqual(
      cashier.paths['/apps/test1/shop/workspaces/{wsid}/docs/shop.Purchase']?.post?.requestBody,
      { required: true, content: { 'application/json': { schema: ref('shop.Purchase_Insert') } } },
    );
    assert.deepEqual(
      Object.keys(
        cashier.paths['/apps/test1/shop/workspaces/{wsid}/docs/shop.Purchase']?.post?.responses ??
          {},
      ),
      ['201', '400', '401', '403', '409', '410', '429', '500', '503'],
    );
    assert.deepEqual(
      cashier.paths['/apps/test1/shop/workspaces/{wsid}/docs/shop.Purchase']?.post?.tags,
      ['Billing'],
    );

    const update = schema(shopDoc('shop.Manager'), 'shop.Purchase_Update');
    assert.equal(update.required, undefined);
    assert.ok(!('Lines' in (update.properties ?? {})));
    assert.ok(!('sys.ID' in (update.properties ?? {})));
    assert.ok('Number' in (update.properties ?? {}));
  });

  test('commands: args, unlogged args, result', () => {
    const doc = shopDoc('shop.Cashier');
    const op = doc.paths['/apps/test1/shop/workspaces/{wsid}/commands/shop.Sell']?.post;
    const body = op?.requestBody?.content['application/json']?.schema as SchemaObject;
    assert.deepEqual(body.properties?.args, ref('shop.Receipt'));
    assert.deepEqual(property(body, 'unloggedArgs').allOf, [ref('shop.Pin')]);
    const receipt = schema(doc, 'shop.Receipt');
    assert.deepEqual(Object.keys(receipt.properties ?? {}), ['sys.ID', 'Total', 'Items']);
    assert.deepEqual(property(receipt, 'Items').items, ref('shop.ReceiptItem'));
    assert.ok('sys.ParentID' in (schema(doc, 'shop.ReceiptItem').properties ?? {}));
    const answer = op?.responses['200']?.content?.['application/json']?.schema as SchemaObject;
    assert.deepEqual(answer.required, ['currentWLogOffset']);
    assert.deepEqual(property(answer, 'result').allOf?.[0], ref('shop.ReportRow'));
  });

  test('queries: JSON args in the query string, result rows', () => {
    const doc = shopDoc('shop.Manager');
    const report = '/apps/test1/shop/workspaces/{wsid}/queries/shop.Report';
    const args = param(doc, report, 'args');
    assert.equal(args.in, 'query');
    assert.equal(args.required, true);
    assert.deepEqual(jsonSchemaOf(args), ref('shop.Period'));
    const ok = doc.paths[report]?.get?.responses['200']?.content?.['application/json']
      ?.schema as SchemaObject;
    assert.deepEqual(ok.properties?.results, { type: 'array', items: ref('shop.ReportRow') });
    for (const name of ['where', 'order', 'limit', 'skip', 'keys', 'include']) {
      param(doc, report, name);
    }
    // errors of a list come as an empty list with the error, or as the router's plain error
    assert.deepEqual(
      doc.paths[report]?.get?.responses['400']?.content?.['application/json']?.schema,
      { oneOf: [ref('ResultsError'), ref('Error')] },
    );

    const echo = '/apps/test1/shop/workspaces/{wsid}/queries/shop.Echo';
    assert.deepEqual(param(doc, echo, 'args').schema, { type: 'string' });
    const rows = doc.paths[echo]?.get?.responses['200']?.content?.['application/json']
      ?.schema as SchemaObject;
    assert.deepEqual(property(rows, 'results').items, ref('sys.ANY'));
  });

  test('views: where on the key (partition key required), row schema', () => {
    const doc = shopDoc('shop.Manager');
    const path = '/apps/test1/shop/workspaces/{wsid}/views/shop.DailySales';
    const where = param(doc, path, 'where');
    assert.equal(where.required, true);
    const whereSchema = jsonSchemaOf(where) as SchemaObject;
    assert.deepEqual(whereSchema.required, ['Day']);
    assert.deepEqual(Object.keys(whereSchema.properties ?? {}), ['Day', 'Client']);
    const row = schema(doc, 'shop.DailySales');
    assert.deepEqual([...(row.required ?? [])].sort(), ['Client', 'Day', 'Total', 'sys.QName']);
    assert.deepEqual(property(row, 'Total'), { type: 'number', format: 'double' });
  });

  test('error schemas', () => {
    const doc = shopDoc('shop.Cashier');
    const error = schema(doc, 'Error');
    assert.deepEqual(Object.keys(error.properties ?? {}), ['status', 'message', 'qname', 'data']);
    assert.deepEqual(error.required, ['status', 'message']);
    assert.deepEqual(schema(doc, 'ResultsError').required, ['results', 'error']);
    const read = doc.paths['/apps/test1/shop/workspaces/{wsid}/docs/shop.Client/{id}']?.get;
    assert.deepEqual(read?.responses['404']?.content?.['application/json']?.schema, ref('Error'));
  });

  test('the document is plain JSON', () => {
    const doc = shopDoc('shop.Manager');
    assert.deepEqual(JSON.parse(JSON.stringify(doc)), doc);
  });

  describe('bad requests: the reference statuses and messages', () => {
    const fails = (options: { workspace?: string; role?: string; appQName?: string }) => {
      try {
        openApiDocument(shop, {
          appQName: options.appQName ?? SHOP_APP,
          workspace: options.workspace ?? SHOP_WS,
          role: options.role ?? 'shop.Cashier',
        });
      } catch (e) {
        assert.ok(e instanceof SchemaRouteError);
        return { status: e.status, message: e.message };
      }
      assert.fail('no error');
    };

    test('unknown role', () => {
      assert.deepEqual(fails({ role: 'shop.Nobody' }), {
        status: 404,
        message: 'role shop.Nobody not found in workspace shop.ShopWS',
      });
      // a type that is not a role
      assert.equal(fails({ role: 'shop.Client' }).status, 404);
    });

    test('unpublished role, unless the caller is a developer', () => {
      assert.deepEqual(fails({ role: 'shop.Auditor' }), {
        status: 403,
        message: 'role shop.Auditor is not published',
      });
      const doc = openApiDocument(shop, {
        appQName: SHOP_APP,
        workspace: SHOP_WS,
        role: 'shop.Auditor',
        developer: true,
      });
      assert.deepEqual(operations(doc), ['GET /docs/shop.Note/{id}']);
      assert.ok('/apps/test1/shop/users' in doc.paths);
    });

    test('unknown or missing workspace, malformed application', () => {
      assert.deepEqual(fails({ workspace: 'pkg.unknown' }), {
        status: 404,
        message: 'workspace pkg.unknown not found',
      });
      assert.deepEqual(fails({ workspace: '' }), {
        status: 400,
        message: 'workspace is not specified',
      });
      assert.equal(fails({ appQName: 'shop' }).status, 400);
    });
  });
});
