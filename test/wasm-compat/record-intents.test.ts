// Record intents of a WASM command, with a guest written in WAT: a create (the guest's raw
// sys.ID), and an update of a record read by the ID the argument names. The reference's modules
// create records only in tests that also need the request subject, which comes with
// authentication, so this small guest covers the path.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import wabtInit from 'wabt';
import { deployApp } from '../../src/apps/index.js';
import { PackageNames, WasmModule, wasmExtensions } from '../../src/extensions/wasm/index.js';
import { compileApp, formatErrors } from '../../src/schema/index.js';
import { MemStorageProvider } from '../../src/storage/index.js';
import { userWsid } from '../engine/support.js';

const VSQL = `APPLICATION items();
WORKSPACE ItemWS (
  DESCRIPTOR ItemDescriptor ();
  TABLE Item INHERITS sys.CDoc (Name varchar NOT NULL);
  TYPE RenameParams (ID ref(Item) NOT NULL);
  TYPE Nothing (X int32);
  VIEW Counts (K int32, C int32, N int32, PRIMARY KEY ((K), C)) AS RESULT OF CountItems;
  EXTENSION ENGINE WASM (
    COMMAND AddItem();
    COMMAND RenameItem(RenameParams);
    QUERY WriteView() RETURNS Nothing;
    PROJECTOR CountItems AFTER EXECUTE ON AddItem INTENTS(sys.View(Counts));
  );
);`;

// Strings at fixed places; $str pushes (ptr, len).
const WAT = `(module
  (import "env" "hostGetKey" (func $key (param i32 i32 i32 i32) (result i64)))
  (import "env" "hostGetValue" (func $get (param i64) (result i64)))
  (import "env" "hostNewValue" (func $new (param i64) (result i64)))
  (import "env" "hostUpdateValue" (func $update (param i64 i64) (result i64)))
  (import "env" "hostValueAsValue" (func $asValue (param i64 i32 i32) (result i64)))
  (import "env" "hostValueAsInt64" (func $asInt64 (param i64 i32 i32) (result i64)))
  (import "env" "hostRowWriterPutInt64" (func $putInt64 (param i64 i32 i32 i32 i64)))
  (import "env" "hostRowWriterPutString" (func $putString (param i64 i32 i32 i32 i32 i32)))
  (memory (export "memory") 2)
  (data (i32.const 0) "sys.Record")
  (data (i32.const 16) "items.Item")
  (data (i32.const 32) "sys.ID")
  (data (i32.const 48) "Name")
  (data (i32.const 64) "apple")
  (data (i32.const 80) "sys.CommandContext")
  (data (i32.const 112) "ArgumentObject")
  (data (i32.const 128) "ID")
  (data (i32.const 144) "pear")
  (data (i32.const 160) "sys.View")
  (data (i32.const 176) "items.Counts")
  (global $heap (mut i32) (i32.const 1024))
  (func (export "malloc") (param $n i32) (result i32)
    (local $at i32)
    (local.set $at (global.get $heap))
    (global.set $heap (i32.add (global.get $heap) (local.get $n)))
    (local.get $at))
  (func (export "WasmAbiVersion_0_0_1"))
  (func (export "AddItem")
    (local $intent i64)
    (local.set $intent (call $new (call $key (i32.const 0) (i32.const 10) (i32.const 16) (i32.const 10))))
    (call $putInt64 (local.get $intent) (i32.const 1) (i32.const 32) (i32.const 6) (i64.const 1))
    (call $putString (local.get $intent) (i32.const 1) (i32.const 48) (i32.const 4) (i32.const 64) (i32.const 5)))
  (func (export "RenameItem")
    (local $kb i64) (local $id i64)
    (local.set $id (call $asInt64
      (call $asValue (call $get (call $key (i32.const 80) (i32.const 18) (i32.const 0) (i32.const 0))) (i32.const 112) (i32.const 14))
      (i32.const 128) (i32.const 2)))
    (local.set $kb (call $key (i32.const 0) (i32.const 10) (i32.const 0) (i32.const 0)))
    (call $putInt64 (local.get $kb) (i32.const 0) (i32.const 128) (i32.const 2) (local.get $id))
    (call $putString
      (call $update (local.get $kb) (call $get (local.get $kb)))
      (i32.const 1) (i32.const 48) (i32.const 4) (i32.const 144) (i32.const 4)))
  (func (export "WriteView")
    (drop (call $new (call $key (i32.const 160) (i32.const 8) (i32.const 176) (i32.const 12)))))
  (func (export "CountItems")))`;

test('a WASM command creates a record and renames it; a query may not write', async () => {
  const compiled = compileApp([
    { path: 'example.com/items', files: [{ name: 'a.vsql', text: VSQL }] },
  ]);
  assert.ok(compiled.appDef !== undefined, formatErrors(compiled.errors));
  const app = compiled.appDef;
  const wabt = await wabtInit();
  const bytes = wabt.parseWat('items.wat', WAT).toBinary({}).buffer;
  const module = await WasmModule.load(bytes, new PackageNames(app.data.packages));
  const engine = await deployApp({
    app,
    appQName: 'test/items',
    storage: await new MemStorageProvider().open('items'),
    partitions: 1,
    appWorkspaces: 1,
    wasm: wasmExtensions(module, app, 'items'),
  });
  try {
    const wsid = userWsid(9004);
    await engine.createWorkspace({ wsid, kind: 'items.ItemWS', name: 'i' });
    const added = await engine.command({ wsid, command: 'items.AddItem' });
    const id = added.newIds['1'];
    assert.ok(id !== undefined, JSON.stringify(added));
    assert.equal((await engine.structs.getRecord(wsid, id))?.fields.Name, 'apple');

    await engine.command({ wsid, command: 'items.RenameItem', args: { ID: id } });
    assert.equal((await engine.structs.getRecord(wsid, id))?.fields.Name, 'pear');

    await assert.rejects(
      engine.command({ wsid, command: 'items.RenameItem', args: { ID: id + 1000 } }),
      {
        status: 500,
        message: /not exists: sys\.Record/,
      },
    );
    const { rows } = await engine.query({ wsid, query: 'items.WriteView' });
    let failure: Error | undefined;
    try {
      for await (const _ of rows) assert.fail('the query emitted a row');
    } catch (error) {
      failure = error as Error;
    }
    assert.match(String(failure?.message), /sys\.View: insert is not available to a query/);
  } finally {
    await engine.stop();
  }
});
