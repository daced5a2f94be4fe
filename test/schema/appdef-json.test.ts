// The AppDef as data: its JSON form round-trips, lookups work on the rebuilt AppDef, the data is sorted,
// consistent, deterministic and frozen; and the built-in sys contents the reference appdef creates.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type AppDefJson, appDefFromJson, appDefToJson } from '../../src/schema/index.js';
import {
  build,
  buildPackages,
  lines,
  pkg,
  structureOf,
  typeOfKind,
  workspaceOf,
} from './support.js';

const rich = lines(
  "IMPORT SCHEMA 'github.com/org/lib';",
  'APPLICATION rich (USE lib;);',
  'DECLARE limitCount int32 DEFAULT 5;',
  'ABSTRACT WORKSPACE Base ( TABLE BaseDoc INHERITS sys.CDoc (b int); TAG BaseTag; );',
  '-- the main workspace',
  'WORKSPACE W INHERITS Base, lib.LibBase (',
  '  DESCRIPTOR WD (Name varchar NOT NULL);',
  "  TAG T FEATURE 'feature x';",
  '  ROLE Reader;',
  '  PUBLISHED ROLE Api;',
  '  TYPE Par (Id int64 NOT NULL, Opt varchar(10), Nested Res);',
  '  TYPE Res (Ok bool);',
  '  TABLE Doc INHERITS sys.CDoc (',
  "    Name varchar(50) NOT NULL VERIFIABLE CHECK '^[A-Z]',",
  '    Photo blob,',
  '    Ref ref(BaseDoc, lib.LibDoc),',
  '    Items TABLE DocItem (Qty int32, Price currency),',
  '    UNIQUE (Name),',
  '    UNIQUEFIELD Name',
  "  ) WITH Tags=(T), Comment='a document';",
  '  TABLE Ev INHERITS sys.ODoc (Amount money, Lines TABLE EvLine (x float64));',
  '  VIEW V (P int32, C int64, S varchar(8), R ref(Doc), PRIMARY KEY((P), C, S)) AS RESULT OF Prj;',
  '  EXTENSION ENGINE WASM (',
  '    COMMAND Cmd(Par, UNLOGGED Ev) STATE(sys.AppSecret) INTENTS(sys.Record(Doc)) RETURNS Res WITH Tags=(T);',
  '    QUERY Q(Par) STATE(sys.View(V)) RETURNS any;',
  '    SYNC PROJECTOR Prj AFTER EXECUTE ON Cmd OR AFTER INSERT OR UPDATE ON (sys.CRecord, Doc) INTENTS(sys.View(V)) INCLUDING ERRORS;',
  '  );',
  '  WORKSPACE Child ();',
  '  RATE R limitCount PER 2 MINUTES PER WORKSPACE PER IP;',
  '  LIMIT L EXECUTE ON COMMAND Cmd WITH RATE R;',
  '  LIMIT L2 ON ALL TABLES WITH TAG T WITH RATE R;',
  '  GRANT SELECT(Name), UPDATE ON TABLE Doc TO Reader;',
  '  GRANT Reader TO Api;',
  '  GRANT EXECUTE ON ALL COMMANDS WITH TAG T TO Api;',
  '  REVOKE SELECT ON VIEW V FROM Api;',
  ');',
  "ALTER WORKSPACE sys.AppWorkspaceWS ( EXTENSION ENGINE BUILTIN ( JOB J '@daily'; ); );",
);
const libPkg = pkg('github.com/org/lib', {
  'lib.vsql': 'ABSTRACT WORKSPACE LibBase ( TABLE LibDoc INHERITS sys.CDoc (); );',
});
const compileRich = () => buildPackages([pkg('github.com/org/app', { 'app.vsql': rich }), libPkg]);

describe('AppDef JSON', () => {
  const app = compileRich();
  const json: AppDefJson = appDefToJson(app);

  test('the JSON form is version 1 with the application name', () => {
    assert.equal(json.version, 1);
    assert.equal(json.name, 'rich');
  });

  test('a JSON text round trip rebuilds an equal AppDef', () => {
    const back = appDefFromJson(JSON.parse(JSON.stringify(json)));
    assert.deepStrictEqual(back, app);
    assert.equal(JSON.stringify(appDefToJson(back)), JSON.stringify(json));
  });

  test('lookups work on the rebuilt AppDef', () => {
    const back = appDefFromJson(JSON.parse(JSON.stringify(json)));
    assert.equal(back.name, 'rich');
    assert.equal(structureOf(back, 'app.Doc').kind, 'CDoc');
    assert.equal(typeOfKind(back, 'app.Prj', 'Projector').sync, true);
    assert.equal(workspaceOf(back, 'app.W').descriptor, 'app.WD');
    assert.equal(back.workspaceType('app.W', 'app.BaseDoc')?.kind, 'CDoc');
    assert.equal(back.workspaceType('app.W', 'lib.LibDoc')?.kind, 'CDoc');
    assert.equal(back.workspaceType('app.Child', 'app.BaseDoc'), undefined);
    assert.equal(back.packageLocalName('github.com/org/lib'), 'lib');
    assert.equal(back.structure('app.Cmd'), undefined);
    assert.equal(back.type('app.Nope'), undefined);
    assert.equal(back.types().length, app.types().length);
    assert.equal(back.workspaces().length, app.workspaces().length);
  });

  test('the JSON is plain data: JSON.stringify loses nothing', () => {
    assert.deepStrictEqual(JSON.parse(JSON.stringify(json)), structuredClone(json));
  });

  test('compiling the same sources twice gives the same JSON text', () => {
    assert.equal(JSON.stringify(appDefToJson(compileRich())), JSON.stringify(json));
  });

  test('types and workspaces are sorted by name; names are unique', () => {
    const tn = json.types.map((t) => t.name);
    assert.deepEqual(tn, [...tn].sort());
    assert.equal(new Set(tn).size, tn.length);
    const wn = json.workspaces.map((w) => w.name);
    assert.deepEqual(wn, [...wn].sort());
    assert.equal(new Set(wn).size, wn.length);
  });

  test('every type is listed by exactly the workspace it names, and every listed name is a type', () => {
    const owners = new Map<string, string[]>();
    for (const w of json.workspaces) {
      assert.deepEqual(w.types, [...w.types].sort(), `${w.name} types are sorted`);
      for (const t of w.types) owners.set(t, [...(owners.get(t) ?? []), w.name]);
    }
    for (const t of json.types) {
      assert.deepEqual(owners.get(t.name), [t.workspace], t.name);
    }
    for (const name of owners.keys()) assert.ok(app.type(name) !== undefined, name);
  });

  test('every reference in the AppDef names an existing type or workspace', () => {
    const ws = (n: string | null) => n === null || app.workspace(n) !== undefined;
    const ty = (n: string | null) => n === null || n === 'sys.ANY' || app.type(n) !== undefined;
    for (const w of json.workspaces) {
      assert.ok(ty(w.descriptor), `${w.name} descriptor`);
      for (const a of [...w.ancestors, ...w.usedWorkspaces]) assert.ok(ws(a), `${w.name} → ${a}`);
      for (const r of w.acl) assert.ok(ty(r.principal), `${w.name} principal ${r.principal}`);
    }
    for (const t of json.types) {
      if ('fields' in t)
        for (const f of t.fields)
          for (const r of f.refs) assert.ok(ty(r), `${t.name}.${f.name} → ${r}`);
      if ('containers' in t)
        for (const c of t.containers) assert.ok(ty(c.type), `${t.name}/${c.name}`);
      if ('param' in t)
        for (const p of [t.param, t.unloggedParam, t.result]) assert.ok(ty(p), `${t.name} ${p}`);
      if (t.kind === 'Limit') assert.ok(ty(t.rate), t.name);
      for (const tag of t.tags) assert.ok(typeOfKind(app, tag, 'Tag'), tag);
    }
  });

  test('the AppDef and its data are deeply frozen', () => {
    assert.ok(Object.isFrozen(app.data));
    assert.ok(Object.isFrozen(app.data.types));
    const doc = structureOf(app, 'app.Doc');
    assert.ok(Object.isFrozen(doc.fields[0]));
    assert.throws(() => {
      (doc as { name: string }).name = 'x';
    }, TypeError);
  });

  test('appDefFromJson copies its input', () => {
    const copy = JSON.parse(JSON.stringify(json)) as { name: string };
    const back = appDefFromJson(copy);
    copy.name = 'changed';
    assert.equal(back.name, 'rich');
  });

  test('appDefFromJson rejects what is not an AppDef JSON of version 1', () => {
    for (const bad of [
      null,
      undefined,
      42,
      'x',
      [],
      {},
      { version: 2, name: 'a', types: [], workspaces: [] },
      { version: 1, name: 'a', types: {}, workspaces: [] },
      { version: 1, types: [], workspaces: [] },
    ]) {
      assert.throws(() => appDefFromJson(bad), TypeError, JSON.stringify(bad) ?? String(bad));
    }
  });

  test('the smallest AppDef (an empty application) round-trips too', () => {
    const small = build('APPLICATION a();');
    assert.deepStrictEqual(appDefFromJson(JSON.parse(JSON.stringify(appDefToJson(small)))), small);
  });
});

describe('built-in sys contents of the reference appdef', () => {
  const app = build('APPLICATION a();');

  test('sys data types exist in sys.Workspace, one per data kind', () => {
    // reference: appdef/sys makeSysWorkspace adds datas.NewSysData for every DataKind (sys.int32, …)
    const kinds = [
      'int8',
      'int16',
      'int32',
      'int64',
      'float32',
      'float64',
      'bytes',
      'string',
      'QName',
      'bool',
      'RecordID',
    ];
    for (const k of kinds) {
      const t = typeOfKind(app, `sys.${k}`, 'Data');
      assert.deepEqual([t.dataKind, t.ancestor, t.workspace], [k, null, 'sys.Workspace']);
      assert.ok(workspaceOf(app, 'sys.Workspace').types.includes(`sys.${k}`));
    }
  });

  test('sys.Workspace has the descriptor sys.sysWS and the views projectionOffsets and NextBaseWSID', () => {
    // reference: appdef/sys makeSysWorkspace
    assert.equal(workspaceOf(app, 'sys.Workspace').descriptor, 'sys.sysWS');
    assert.equal(structureOf(app, 'sys.sysWS').kind, 'CDoc');
    const po = typeOfKind(app, 'sys.projectionOffsets', 'ViewRecord');
    assert.deepEqual(
      [
        po.partitionKey.map((f) => [f.name, f.data]),
        po.clusteringColumns.map((f) => [f.name, f.data]),
      ],
      [[['partition', 'int32']], [['projector', 'QName']]],
    );
    assert.ok(po.value.some((f) => f.name === 'offset' && f.data === 'int64' && f.required));
    const nb = typeOfKind(app, 'sys.NextBaseWSID', 'ViewRecord');
    assert.deepEqual(
      [nb.partitionKey.map((f) => f.name), nb.clusteringColumns.map((f) => f.name)],
      [['dummy1'], ['dummy2']],
    );
  });

  test('the sys tables of sys.vsql are there with their kinds', () => {
    assert.equal(structureOf(app, 'sys.BLOB').kind, 'WDoc');
    assert.equal(structureOf(app, 'sys.WorkspaceDescriptor').singleton, true);
    assert.equal(structureOf(app, 'sys.CDoc').abstract, true);
    assert.equal(typeOfKind(app, 'sys.Everyone', 'Role').workspace, 'sys.Workspace');
  });
});
