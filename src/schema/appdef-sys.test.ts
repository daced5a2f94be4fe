// What the AppDef has in sys.Workspace without any VSQL declaring it, as the reference's AppDef.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AppDef, ViewDef } from './appdef.js';
import { formatErrors } from './errors.js';
import { compileApp } from './index.js';

const pkg = (text: string) => [{ path: 'example.com/pkg', files: [{ name: 'f.vsql', text }] }];

function build(text: string, sys?: Parameters<typeof compileApp>[1]): AppDef {
  const r = compileApp(pkg(text), sys);
  assert.equal(formatErrors(r.errors), '');
  assert.ok(r.appDef !== undefined);
  return r.appDef;
}

const key = (v: ViewDef) => ({
  partition: v.partitionKey.map((f) => `${f.name}:${f.data}:${f.required}`),
  clustering: v.clusteringColumns.map((f) => `${f.name}:${f.data}:${f.required}`),
  value: v.value.map((f) => `${f.name}:${f.data}:${f.required}`),
});

describe('implicit sys types', () => {
  const app = build('APPLICATION test(); WORKSPACE W ();');

  test('one system data type per data kind, in sys.Workspace', () => {
    const datas = app.types().filter((t) => t.kind === 'Data');
    assert.deepEqual(datas.map((t) => t.name).sort(), [
      'sys.Event',
      'sys.QName',
      'sys.Record',
      'sys.RecordID',
      'sys.bool',
      'sys.bytes',
      'sys.float32',
      'sys.float64',
      'sys.int16',
      'sys.int32',
      'sys.int64',
      'sys.int8',
      'sys.string',
    ]);
    const int32 = app.type('sys.int32');
    assert.ok(int32?.kind === 'Data');
    assert.deepEqual(
      [int32.dataKind, int32.ancestor, int32.workspace],
      ['int32', null, 'sys.Workspace'],
    );
    assert.ok(app.workspace('sys.Workspace')?.types.includes('sys.string'));
  });

  test('sys.Workspace keeps its ABSTRACT flag from sys.vsql and has the descriptor sys.sysWS', () => {
    const ws = app.workspace('sys.Workspace');
    assert.deepEqual([ws?.abstract, ws?.descriptor, ws?.ancestors], [true, 'sys.sysWS', []]);
    const d = app.structure('sys.sysWS');
    assert.deepEqual(
      [d?.kind, d?.singleton, d?.fields.map((f) => f.name)],
      ['CDoc', false, ['sys.QName', 'sys.ID', 'sys.IsActive']],
    );
  });

  test('the engine views sys.projectionOffsets and sys.NextBaseWSID', () => {
    const po = app.type('sys.projectionOffsets');
    assert.ok(po?.kind === 'ViewRecord' && po.workspace === 'sys.Workspace');
    assert.deepEqual(key(po), {
      partition: ['partition:int32:true'],
      clustering: ['projector:QName:false'],
      value: ['sys.QName:QName:true', 'offset:int64:true'],
    });
    const nb = app.type('sys.NextBaseWSID');
    assert.ok(nb?.kind === 'ViewRecord');
    assert.deepEqual(key(nb), {
      partition: ['dummy1:int32:true'],
      clustering: ['dummy2:int32:false'],
      value: ['sys.QName:QName:true', 'NextBaseWSID:int64:true'],
    });
  });

  test('they are visible from every workspace', () => {
    assert.equal(app.workspaceType('pkg.W', 'sys.projectionOffsets')?.kind, 'ViewRecord');
    assert.equal(app.workspaceType('pkg.W', 'sys.int64')?.kind, 'Data');
  });

  test('the sys package is listed under the reference path', () => {
    assert.deepEqual(app.data.packages, [
      { localName: 'pkg', path: 'example.com/pkg' },
      { localName: 'sys', path: 'voedger.com/packages/sys' },
    ]);
    assert.equal(app.packageLocalName('voedger.com/packages/sys'), 'sys');
  });

  test('with a caller-supplied sys package, or none, sys.Workspace and its types are still there', () => {
    const small = build('APPLICATION a(); WORKSPACE w (TABLE t INHERITS sys.CDoc ());', {
      sys: {
        path: 'sys',
        files: [{ name: 's.vsql', text: 'ABSTRACT WORKSPACE Workspace (ABSTRACT TABLE CDoc ());' }],
      },
    });
    assert.equal(small.type('sys.NextBaseWSID')?.kind, 'ViewRecord');
    assert.equal(small.workspace('sys.Workspace')?.descriptor, 'sys.sysWS');
    const none = build('APPLICATION a();', { sys: null });
    const ws = none.workspace('sys.Workspace');
    assert.deepEqual([ws?.abstract, ws?.descriptor], [false, 'sys.sysWS']);
    assert.equal(none.type('sys.bool')?.kind, 'Data');
  });
});
