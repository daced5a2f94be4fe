import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { appDefFromJson, appDefToJson, type StructureDef } from './appdef.js';
import { formatErrors } from './errors.js';
import { compileApp } from './index.js';

const pkg = (text: string) => [{ path: 'example.com/pkg', files: [{ name: 'f.vsql', text }] }];

function build(text: string) {
  const r = compileApp(pkg(text));
  assert.equal(formatErrors(r.errors), '');
  assert.ok(r.appDef !== undefined);
  return r.appDef;
}

describe('AppDef model', () => {
  const app = build(`APPLICATION test();
    ABSTRACT WORKSPACE Base ( TABLE BaseDoc INHERITS sys.CDoc (f int32); TAG Tag1; );
    WORKSPACE W INHERITS Base (
      DESCRIPTOR WD (Name varchar);
      TAG Tag2;
      ROLE Reader;
      PUBLISHED ROLE Api;
      TYPE Params (Id int64 NOT NULL, Opt varchar(10));
      TABLE Doc INHERITS sys.CDoc (
        Name varchar(50) NOT NULL CHECK '^[A-Z]',
        Photo blob,
        Items TABLE DocItem (Qty int32),
        UNIQUE(Name)
      ) WITH Tags=(Tag2);
      TABLE Ev INHERITS sys.ODoc (Amount currency);
      VIEW V (P int32, C int64, S varchar, PRIMARY KEY((P), C)) AS RESULT OF Prj;
      EXTENSION ENGINE WASM (
        COMMAND Cmd(Params, UNLOGGED Params) RETURNS Params WITH Tags=(Tag2);
        QUERY Q(Params) RETURNS any;
        PROJECTOR Prj AFTER EXECUTE ON Cmd OR AFTER INSERT OR UPDATE ON (sys.CRecord, Doc) INTENTS(sys.View(V));
      );
      RATE R 10 PER 2 MINUTES PER WORKSPACE;
      LIMIT L EXECUTE ON COMMAND Cmd WITH RATE R;
      GRANT SELECT ON TABLE Doc TO Reader;
      GRANT Reader TO Api;
      GRANT EXECUTE ON ALL COMMANDS WITH TAG Tag2 TO Api;
    );`);

  test('tables get system fields, constraints, containers and uniques', () => {
    const doc = app.structure('pkg.Doc') as StructureDef;
    assert.equal(doc.kind, 'CDoc');
    assert.deepEqual(
      doc.fields.map((f) => f.name),
      ['sys.QName', 'sys.ID', 'sys.IsActive', 'Name', 'Photo'],
    );
    const name = doc.fields.find((f) => f.name === 'Name');
    assert.equal(name?.maxLen, 50);
    assert.equal(name?.pattern, '^[A-Z]');
    assert.deepEqual(doc.fields.find((f) => f.name === 'Photo')?.refs, ['sys.BLOB']);
    assert.deepEqual(doc.containers, [
      { name: 'Items', type: 'pkg.DocItem', minOccurs: 0, maxOccurs: 100 },
    ]);
    assert.deepEqual(doc.uniques, [{ name: 'pkg.Doc$uniques$01', fields: ['Name'] }]);
    assert.deepEqual(doc.tags, ['pkg.Tag2']);
    assert.equal(app.structure('pkg.DocItem')?.kind, 'CRecord');
    assert.equal(
      app.structure('pkg.Ev')?.fields.some((f) => f.name === 'sys.IsActive'),
      false,
    );
  });

  test('workspaces: ancestors, descriptor, local types', () => {
    const w = app.workspace('pkg.W');
    assert.deepEqual(w?.ancestors, ['pkg.Base']);
    assert.equal(w?.descriptor, 'pkg.WD');
    assert.equal(app.structure('pkg.WD')?.singleton, true);
    assert.equal(app.workspaceType('pkg.W', 'pkg.BaseDoc')?.kind, 'CDoc');
    assert.deepEqual(app.workspace('pkg.Base')?.ancestors, ['sys.Workspace']);
  });

  test('views, functions, projectors, rates, limits and ACL', () => {
    const v = app.type('pkg.V');
    assert.ok(v?.kind === 'ViewRecord');
    assert.deepEqual(
      v.partitionKey.map((f) => f.name),
      ['P'],
    );
    assert.deepEqual(
      v.clusteringColumns.map((f) => f.name),
      ['C'],
    );
    const cmd = app.type('pkg.Cmd');
    assert.ok(cmd?.kind === 'Command');
    assert.deepEqual(
      [cmd.param, cmd.unloggedParam, cmd.result, cmd.engine],
      ['pkg.Params', 'pkg.Params', 'pkg.Params', 'WASM'],
    );
    const q = app.type('pkg.Q');
    assert.ok(q?.kind === 'Query' && q.result === 'sys.ANY');
    const prj = app.type('pkg.Prj');
    assert.ok(prj?.kind === 'Projector');
    assert.deepEqual(prj.events[1], {
      ops: ['Insert', 'Update'],
      filter: {
        kind: 'Or',
        filters: [
          { kind: 'QNames', names: ['pkg.Doc'] },
          { kind: 'Types', types: ['CDoc', 'CRecord'], workspace: null },
        ],
      },
    });
    assert.deepEqual(prj.intents, [{ storage: 'sys.View', entities: ['pkg.V'] }]);
    const rate = app.type('pkg.R');
    assert.ok(rate?.kind === 'Rate' && rate.count === 10 && rate.periodMs === 120_000);
    assert.deepEqual(rate.scopes, ['Workspace']);
    const limit = app.type('pkg.L');
    assert.ok(limit?.kind === 'Limit' && limit.rate === 'pkg.R' && limit.option === 'EACH');
    const acl = app.workspace('pkg.W')?.acl ?? [];
    assert.equal(acl.length, 3);
    assert.deepEqual(acl[1]?.ops, ['Inherits']);
    assert.equal(
      app.type('pkg.Api')?.kind === 'Role' &&
        (app.type('pkg.Api') as { published: boolean }).published,
      true,
    );
  });

  test('JSON round trip gives the same AppDef', () => {
    const json = JSON.parse(JSON.stringify(appDefToJson(app)));
    assert.deepStrictEqual(appDefFromJson(json), app);
    assert.throws(() => appDefFromJson({ version: 2 }), TypeError);
  });

  test('build-stage errors: duplicate fields across field sets and inherited tables', () => {
    const r = compileApp(
      pkg('APPLICATION a(); WORKSPACE w (TYPE T (x int); TABLE t INHERITS sys.CDoc (T, x int));'),
    );
    assert.equal(formatErrors(r.errors), 'f.vsql:1:77: redefinition of x');
  });

  test('a caller can supply its own sys package', () => {
    const sys = {
      path: 'sys',
      files: [{ name: 's.vsql', text: 'ABSTRACT WORKSPACE Workspace (ABSTRACT TABLE CDoc ());' }],
    };
    const r = compileApp(pkg('APPLICATION a(); WORKSPACE w (TABLE t INHERITS sys.CDoc ());'), {
      sys,
    });
    assert.equal(formatErrors(r.errors), '');
    assert.equal(r.appDef?.type('sys.BLOB'), undefined);
  });
});
