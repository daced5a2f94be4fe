// The reference's TinyGo modules as real extensions of an application (reference-tests.md §3.3):
// the basicusage module's command and projectors on the engine, and the sidecar test app's query,
// command and job over HTTP, each with a schema of our own that declares them EXTENSION ENGINE
// WASM under the names the modules use.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { deployApp } from '../../src/apps/index.js';
import { PackageNames, WasmModule, wasmExtensions } from '../../src/extensions/wasm/index.js';
import type { Engine } from '../../src/processors/index.js';
import { createHttpServer, HttpApps } from '../../src/routing/index.js';
import { type AppDef, compileApp, formatErrors } from '../../src/schema/index.js';
import { MemStorageProvider } from '../../src/storage/index.js';
import { ManualClock, userWsid, viewRow } from '../engine/support.js';
import { request } from '../http/support.js';
import { CORPUS_ABSENT, CORPUS_WASM, corpusModule } from './reference-host.js';

function compile(path: string, text: string): AppDef {
  const r = compileApp([{ path, files: [{ name: 'app.vsql', text }] }]);
  assert.ok(r.appDef !== undefined, formatErrors(r.errors));
  return r.appDef;
}

async function start(app: AppDef, appQName: string, wasm: Uint8Array, pkg: string) {
  const module = await WasmModule.load(wasm, new PackageNames(app.data.packages));
  const storage = await new MemStorageProvider().open('wasmcompat');
  const clock = new ManualClock(Date.UTC(2023, 0, 1, 10, 0, 0));
  const engine = await deployApp({
    app,
    appQName,
    storage,
    clock: clock.fn,
    partitions: 2,
    appWorkspaces: 1,
    wasm: wasmExtensions(module, app, pkg),
  });
  return { engine, module, clock };
}

// The basicusage module's schema (core.md §6.8), in a package whose path ends in `mypkg`, the
// last segment of the full path the module names its view by.
const BASIC_VSQL = `APPLICATION basic();
WORKSPACE Restaurant (
  DESCRIPTOR RestaurantDescriptor ();
  TABLE Order INHERITS sys.ODoc (
    Year int32, Month int32, Day int32, Waiter ref,
    Items TABLE OrderItems (Quantity int32, SinglePrice currency, Article ref)
  );
  VIEW OrderedItems (Year int32, Month int32, Day int32, Amount currency, PRIMARY KEY ((Year), Month, Day))
    AS RESULT OF CalcOrderedItems;
  VIEW TestView (pk int32, cc int32, vv int32, PRIMARY KEY ((pk), cc)) AS RESULT OF incrementProjector;
  EXTENSION ENGINE WASM (
    COMMAND NewOrder(Order);
    PROJECTOR CalcOrderedItems AFTER EXECUTE ON NewOrder INTENTS(sys.View(OrderedItems));
    PROJECTOR incrementProjector AFTER EXECUTE ON NewOrder INTENTS(sys.View(TestView));
  );
);`;

describe('basicusage module on the engine (Test_BasicUsage, Test_WithState)', {
  skip: CORPUS_ABSENT,
}, () => {
  let engine: Engine;
  let module: WasmModule;
  const wsid = userWsid(9001);
  before(async () => {
    const app = compile('example.com/packages/mypkg', BASIC_VSQL);
    ({ engine, module } = await start(
      app,
      'test/basic',
      corpusModule('basicusage/pkg.wasm'),
      'mypkg',
    ));
    await engine.createWorkspace({ wsid, kind: 'mypkg.Restaurant', name: 'r1' });
  });
  after(() => engine?.stop());

  const order = (items: { Quantity: number; SinglePrice: number }[]) => ({
    wsid,
    command: 'mypkg.NewOrder',
    args: {
      'sys.ID': 1,
      Year: 2023,
      Month: 1,
      Day: 1,
      Waiter: 0,
      Items: items.map((it, i) => ({ 'sys.ID': 2 + i, ...it, Article: 0 })),
    },
  });

  test('NewOrder runs, the projectors sum the orders and count the events', async () => {
    const invocations = module.stats.invocations;
    await engine.command(
      order([
        { Quantity: 1, SinglePrice: 100 },
        { Quantity: 2, SinglePrice: 50 },
      ]),
    );
    await engine.command(
      order([
        { Quantity: 1, SinglePrice: 100 },
        { Quantity: 2, SinglePrice: 50 },
      ]),
    );
    await engine.projectorsCaughtUp();
    const amount = await viewRow(engine, wsid, 'mypkg.OrderedItems', {
      Year: 2023,
      Month: 1,
      Day: 1,
    });
    assert.equal(amount?.Amount, 400);
    const count = await viewRow(engine, wsid, 'mypkg.TestView', { pk: 1, cc: 1 });
    assert.equal(count?.vv, 2);
    assert.equal(module.stats.invocations - invocations, 6);
    assert.equal(module.stats.errors, 0);
  });

  test("the guest's panic refuses the command and nothing is written", async () => {
    const before = await viewRow(engine, wsid, 'mypkg.OrderedItems', {
      Year: 2023,
      Month: 1,
      Day: 1,
    });
    await assert.rejects(engine.command(order([{ Quantity: 1, SinglePrice: -5 }])), {
      status: 500,
      message: 'panic: negative order amount',
    });
    await engine.projectorsCaughtUp();
    const now = await viewRow(engine, wsid, 'mypkg.OrderedItems', { Year: 2023, Month: 1, Day: 1 });
    assert.deepEqual(now, before);
  });
});

describe('a guest that never returns (Test_SetLimitsExecutionInterval, on the engine)', {
  skip: CORPUS_ABSENT,
}, () => {
  test('the command is stopped at its deadline and answered 500; the partition goes on serving', async () => {
    const app = compile(
      'example.com/packages/loops',
      `APPLICATION loops();
      WORKSPACE LoopWS (
        DESCRIPTOR LoopDescriptor ();
        EXTENSION ENGINE WASM (COMMAND longFunc(); COMMAND simple(););
      );`,
    );
    const module = await WasmModule.load(
      corpusModule('allocs/pkg.wasm'),
      new PackageNames(app.data.packages),
      {
        timeoutMs: 50,
      },
    );
    const engine = await deployApp({
      app,
      appQName: 'test/loops',
      storage: await new MemStorageProvider().open('loops'),
      partitions: 1,
      appWorkspaces: 1,
      wasm: wasmExtensions(module, app, 'loops'),
    });
    try {
      const wsid = userWsid(9003);
      await engine.createWorkspace({ wsid, kind: 'loops.LoopWS', name: 'l' });
      const stuck = engine.command({ wsid, command: 'loops.longFunc' });
      const next = engine.command({ wsid, command: 'loops.simple' });
      await assert.rejects(stuck, {
        status: 500,
        message: /longFunc ran longer than 50 ms and was stopped/,
      });
      const done = await next;
      assert.equal(done.currentWLogOffset, 2);
    } finally {
      await engine.stop();
    }
  });
});

const SIDECAR_VSQL = `APPLICATION app1();
WORKSPACE test2app1WS (
  DESCRIPTOR test2app1 ();
  TYPE TestEchoRequest (Str varchar);
  TYPE TestEchoResult (Res varchar);
  EXTENSION ENGINE WASM (
    QUERY TestEcho(TestEchoRequest) RETURNS TestEchoResult;
    COMMAND TestCmdEcho(TestEchoRequest) RETURNS TestEchoResult;
  );
);
ALTER WORKSPACE sys.AppWorkspaceWS (
  VIEW JobStateView (Pk int, Cc int, Counter int, PRIMARY KEY ((Pk), Cc)) AS RESULT OF Job1_sidecar;
  EXTENSION ENGINE WASM (
    JOB Job1_sidecar '* * * * *' INTENTS(sys.View(JobStateView));
  );
);`;

const SIDECAR_WASM = `${CORPUS_WASM}pkg/sys/it/testdata/apps/test2.app1/image/pkg/github.com/voedger/sidecartestapp/src.wasm`;

describe('sidecar test app over HTTP (TestSidecarApps_BasicUsage, TestJobs_BasicUsage_Sidecar)', {
  skip: CORPUS_ABSENT,
}, () => {
  let engine: Engine;
  let server: FastifyInstance;
  let base = '';
  const logs: string[] = [];
  const wsid = userWsid(9002);
  before(async () => {
    const app = compile('github.com/voedger/sidecartestapp', SIDECAR_VSQL);
    const module = await WasmModule.load(
      readFileSync(SIDECAR_WASM),
      new PackageNames(app.data.packages),
    );
    const storage = await new MemStorageProvider().open('sidecar');
    engine = await deployApp({
      app,
      appQName: 'test2/app1',
      storage,
      clock: new ManualClock(Date.UTC(2024, 0, 1, 0, 0, 30)).fn,
      partitions: 1,
      appWorkspaces: 1,
      log: { info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) },
      wasm: wasmExtensions(module, app, 'sidecartestapp'),
    });
    await engine.createWorkspace({ wsid, kind: 'sidecartestapp.test2app1WS', name: 'ws' });
    server = await createHttpServer({
      apps: new HttpApps([engine]),
      logger: pino({ level: 'silent' }),
    });
    base = await server.listen({ host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await server?.close();
    await engine?.stop();
  });

  test('q.sidecartestapp.TestEcho answers hello, world', async () => {
    const res = await request(base, 'POST', `/api/test2/app1/${wsid}/q.sidecartestapp.TestEcho`, {
      body: { args: { Str: 'world' }, elements: [{ fields: ['Res'] }] },
    });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json, { sections: [{ type: '', elements: [[[['hello, world']]]] }] });
  });

  test('c.sidecartestapp.TestCmdEcho returns hello, world', async () => {
    const res = await request(
      base,
      'POST',
      `/api/test2/app1/${wsid}/c.sidecartestapp.TestCmdEcho`,
      {
        body: { args: { Str: 'world' } },
      },
    );
    assert.equal(res.status, 200, res.text);
    assert.equal((res.json as { Result: { Res: unknown } }).Result.Res, 'hello, world');
  });

  test('Job1_sidecar counts its runs in JobStateView and logs them', async () => {
    const job = engine.deployment.jobs.find((j) => j.def.name === 'sidecartestapp.Job1_sidecar');
    assert.ok(job !== undefined);
    const appWs = engine.appWorkspaces[0]!;
    await engine.scheduler.run(job, appWs, Date.UTC(2024, 0, 1, 0, 1, 0));
    assert.equal(
      (await viewRow(engine, appWs, 'sidecartestapp.JobStateView', { Pk: 1, Cc: 1 }))?.Counter,
      1,
    );
    await engine.scheduler.run(job, appWs, Date.UTC(2024, 0, 1, 0, 2, 0));
    assert.equal(
      (await viewRow(engine, appWs, 'sidecartestapp.JobStateView', { Pk: 1, Cc: 1 }))?.Counter,
      2,
    );
    assert.ok(logs.includes('job:1') && logs.includes('job:2'), logs.join('\n'));
    const sql = await request(base, 'POST', `/api/test2/app1/${appWs}/q.sys.SqlQuery`, {
      body: {
        args: { Query: 'select * from sidecartestapp.JobStateView where Pk = 1 and Cc = 1' },
        elements: [{ fields: ['Result'] }],
      },
    });
    assert.equal(sql.status, 200, sql.text);
    assert.match(sql.text, /\\"Counter\\":2/);
  });
});
