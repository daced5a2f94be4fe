// Shared fixture of the engine tests: a test application compiled from VSQL, its built-in
// extensions (which report what they saw to a per-engine probe), and helpers that start it on an
// in-memory or an LMDB store, create workspaces, wait for asynchronous work and check errors.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { deployApp } from '../../src/apps/index.js';
import type {
  ArgObject,
  BuiltinExtensions,
  Logger,
  ProjectorFunction,
} from '../../src/extensions/index.js';
import { type Engine, ProcessorError } from '../../src/processors/index.js';
import { type AppDef, compileApp, formatError } from '../../src/schema/index.js';
import {
  type KvBatchItem,
  type KvEntry,
  type KvStorage,
  LmdbStorageProvider,
  MemStorageProvider,
  type StorageProvider,
} from '../../src/storage/index.js';
import {
  FIRST_BASE_USER_WSID,
  MAIN_CLUSTER_ID,
  newWsid,
  type RecordRow,
  type ViewRow,
} from '../../src/structs/index.js';

/** The application's qualified name; notifications carry it. */
export const APP_QNAME = 'test/app';
/** The package path; its local name (and so the prefix of every QName below) is `tst`. */
export const PKG_PATH = 'example.com/tst';
export const SHOP_WS = 'tst.ShopWS';
export const OTHER_WS = 'tst.OtherWS';
export const FIRST_ID = 200001;

/**
 * The test application: a workspace kind with a descriptor, a CDoc with two levels of nested
 * CRecords, a CDoc with a UNIQUEFIELD, a CSingleton, a WDoc, a CDoc with BLOB fields, an ODoc
 * with nested ORecords used as a command parameter, commands with and without parameters and
 * results, a streaming query, sync and async projectors writing views, trigger probes for each kind
 * of projector event, a second workspace kind, and a JOB in the application workspaces.
 */
export const VSQL = `APPLICATION tst();

WORKSPACE ShopWS (
  DESCRIPTOR ShopDescriptor (
    Name varchar(50) NOT NULL,
    Region int32
  );

  TABLE Client INHERITS sys.CDoc (
    Email varchar(100) NOT NULL,
    Name varchar(50),
    UNIQUEFIELD Email
  );

  TABLE Purchase INHERITS sys.CDoc (
    Number int32 NOT NULL,
    Code varchar(8) CHECK '^[A-Z]{2,8}$',
    Client ref(Client),
    Amount float64,
    Urgent bool,
    Small int8,
    Lines TABLE PurchaseLine (
      Item varchar(20) NOT NULL,
      Qty int32 NOT NULL,
      Notes TABLE LineNote (
        Text varchar(100) NOT NULL
      )
    )
  );

  TABLE Settings INHERITS sys.CSingleton (
    Theme varchar(20)
  );

  TABLE Ticket INHERITS sys.WDoc (
    Title varchar(100) NOT NULL,
    Purchase ref(Purchase),
    Receipt ref
  );

  TABLE Receipt INHERITS sys.ODoc (
    Total int64 NOT NULL,
    Client ref(Client),
    Items TABLE ReceiptItem (
      Name varchar(50) NOT NULL,
      Price int64 NOT NULL
    )
  );

  -- A document with BLOB fields (the BLOB tests).
  TABLE Attachment INHERITS sys.CDoc (
    Title varchar(50),
    Photo blob,
    Scan blob,
    Pages int32
  );

  TYPE CalcParams (
    A int32 NOT NULL,
    B int32 NOT NULL,
    -- How the result goes wrong: 'omit' (no Sum), 'extra' (an unknown field), 'kind' (Sum a string).
    Mode varchar(10)
  );

  TYPE CalcResult (
    Sum int32 NOT NULL,
    Note varchar(50)
  );

  TYPE TextParams (
    Message varchar(100) NOT NULL
  );

  TYPE ListParams (
    Count int32 NOT NULL,
    Prefix varchar(10)
  );

  TYPE ListRow (
    N int32 NOT NULL,
    Label varchar(20)
  );

  -- One row per purchase, written by a sync projector.
  VIEW PurchaseLog (
    Part int32 NOT NULL,
    WLogOffs int64 NOT NULL,
    PurchaseID ref NOT NULL,
    Number int32 NOT NULL,
    PRIMARY KEY ((Part), WLogOffs, PurchaseID)
  ) AS RESULT OF SyncPurchases;

  -- One row per purchase, written by an async projector; Calls counts how often it saw the event.
  VIEW AsyncPurchaseLog (
    Part int32 NOT NULL,
    WLogOffs int64 NOT NULL,
    PurchaseID ref NOT NULL,
    Number int32 NOT NULL,
    Calls int32 NOT NULL,
    PRIMARY KEY ((Part), WLogOffs, PurchaseID)
  ) AS RESULT OF AsyncPurchases;

  -- One row per Calc, written by an async projector that fails while the probe says so.
  VIEW FlakyLog (
    Part int32 NOT NULL,
    WLogOffs int64 NOT NULL,
    Sum int32 NOT NULL,
    PRIMARY KEY ((Part), WLogOffs)
  ) AS RESULT OF Flaky;

  -- A role published for API clients (the schema routes document it).
  PUBLISHED ROLE Cashier;
  GRANT INSERT, SELECT ON TABLE Purchase TO Cashier;
  GRANT EXECUTE ON COMMAND Calc TO Cashier;
  GRANT SELECT ON VIEW PurchaseLog TO Cashier;

  RATE PingRate 2 PER MINUTE PER WORKSPACE;
  LIMIT PingLimit ON COMMAND Ping WITH RATE PingRate;

  EXTENSION ENGINE BUILTIN (
    COMMAND Calc(CalcParams) RETURNS CalcResult;
    COMMAND MakeReceipt(Receipt);
    COMMAND Boom(TextParams);
    COMMAND Plain;
    -- Limited to 2 calls a minute per workspace (the HTTP tests of rate limits).
    COMMAND Ping;
    COMMAND OpenTicket(TextParams);
    COMMAND WithSecret(UNLOGGED TextParams);
    COMMAND FindClient(TextParams) RETURNS CalcResult;

    QUERY Count(ListParams) RETURNS ListRow;

    SYNC PROJECTOR SyncPurchases AFTER INSERT ON Purchase INTENTS(sys.View(PurchaseLog));
    PROJECTOR AsyncPurchases AFTER INSERT ON Purchase INTENTS(sys.View(AsyncPurchaseLog));
    PROJECTOR Flaky AFTER EXECUTE ON Calc INTENTS(sys.View(FlakyLog));

    SYNC PROJECTOR OnCalc AFTER EXECUTE ON Calc;
    SYNC PROJECTOR OnCalcParams AFTER EXECUTE WITH PARAM ON CalcParams;
    SYNC PROJECTOR OnReceipt AFTER EXECUTE WITH PARAM ON Receipt;
    SYNC PROJECTOR OnTicketInsert AFTER INSERT ON Ticket;
    SYNC PROJECTOR OnTicketUpdate AFTER UPDATE ON Ticket;
    SYNC PROJECTOR OnTicketActivate AFTER ACTIVATE ON Ticket;
    SYNC PROJECTOR OnTicketDeactivate AFTER DEACTIVATE ON Ticket;
    PROJECTOR AsyncOnReceipt AFTER EXECUTE WITH PARAM ON Receipt;
  );
);

WORKSPACE OtherWS (
  DESCRIPTOR OtherDescriptor (
    Title varchar(50)
  );
  EXTENSION ENGINE BUILTIN (
    COMMAND OtherCmd;
    QUERY OtherQuery RETURNS void;
  );
);

ALTER WORKSPACE sys.AppWorkspaceWS (
  VIEW JobRuns (
    Part int32 NOT NULL,
    At int64 NOT NULL,
    Wsid int64 NOT NULL,
    PRIMARY KEY ((Part), At)
  ) AS RESULT OF Tick;
  EXTENSION ENGINE BUILTIN (
    JOB Tick '* * * * * *' INTENTS(sys.View(JobRuns));
  );
);
`;

let compiled: AppDef | undefined;

/** The compiled test application (compiled once per process). */
export function testApp(): AppDef {
  if (compiled === undefined) {
    const r = compileApp([{ path: PKG_PATH, files: [{ name: 'app.vsql', text: VSQL }] }]);
    assert.deepEqual(r.errors.map(formatError), [], 'the test application compiles');
    assert.ok(r.appDef !== undefined);
    compiled = r.appDef;
  }
  return compiled;
}

/** One call of a projector (or the job) as the probe saw it. */
export interface ProbeCall {
  readonly name: string;
  readonly wsid: number;
  readonly wlogOffset: number;
  readonly qname: string;
  readonly args: ArgObject | undefined;
}

/** What the test application's extensions saw and what the tests tell them to do. */
export class Probe {
  /** Calls of the trigger projectors (OnCalc, OnTicketInsert, ..., AsyncOnReceipt), in order. */
  readonly triggers: ProbeCall[] = [];
  /** The argument objects MakeReceipt received. */
  readonly receiptArgs: ArgObject[] = [];
  /** The unlogged arguments WithSecret received. */
  readonly unloggedArgs: ArgObject[] = [];
  /** `ctx.wlogOffset` as Calc saw it, per call. */
  readonly calcOffsets: number[] = [];
  /** Calls of the async AsyncPurchases projector (one per triggering event). */
  asyncPurchaseCalls = 0;
  /** The Flaky projector: it fails while `broken` or for its first `failFirst` calls. */
  readonly flaky = { calls: 0, failFirst: 0, broken: false };
  /** The Count query: rows it handed over, whether it ended and how. */
  readonly query = {
    emitted: 0,
    ended: false,
    error: undefined as Error | undefined,
    done: Promise.resolve(),
  };
  /** Forgets what the Count query did before. */
  resetQuery(): void {
    this.query.emitted = 0;
    this.query.ended = false;
    this.query.error = undefined;
    this.query.done = Promise.resolve();
  }
  /** Runs of the Tick job. */
  readonly jobRuns: { wsid: number; scheduledAt: number }[] = [];
  /** The Tick job throws while this is set. */
  jobFails = false;
  readonly logs: { level: 'info' | 'warn' | 'error'; message: string }[] = [];

  readonly log: Logger = {
    info: (message) => this.logs.push({ level: 'info', message }),
    warn: (message) => this.logs.push({ level: 'warn', message }),
    error: (message) => this.logs.push({ level: 'error', message }),
  };

  /** The names of the trigger projectors called for one WLog event of a workspace. */
  triggered(wsid: number, wlogOffset: number): string[] {
    return this.triggers
      .filter((c) => c.wsid === wsid && c.wlogOffset === wlogOffset)
      .map((c) => c.name)
      .sort();
  }
}

function recordTrigger(probe: Probe, name: string): ProjectorFunction {
  return (ctx) => {
    probe.triggers.push({
      name,
      wsid: ctx.wsid,
      wlogOffset: ctx.event.wlogOffset,
      qname: ctx.event.qname,
      args: ctx.event.args,
    });
    // A sync projector failure must fail the command: a ticket titled so makes it fail.
    if (name === 'tst.OnTicketInsert') {
      for (const c of ctx.event.cuds) {
        if (c.record.fields.Title === 'explode') throw new Error('ticket exploded');
      }
    }
  };
}

/** The built-in functions of the test application, reporting to `probe`. */
export function testExtensions(probe: Probe, options: { job?: boolean } = {}): BuiltinExtensions {
  const purchaseRows = (ctx: Parameters<ProjectorFunction>[0]): { id: number; number: number }[] =>
    ctx.event.cuds
      .filter((c) => c.isNew && c.record.qname === 'tst.Purchase')
      .map((c) => ({ id: c.record.id, number: Number(c.record.fields.Number) }));
  return {
    commands: {
      'tst.Calc': (ctx) => {
        probe.calcOffsets.push(ctx.wlogOffset);
        const a = Number(ctx.args?.A);
        const b = Number(ctx.args?.B);
        const mode = ctx.args?.Mode;
        if (mode === 'omit') ctx.result({ Note: 'no sum' });
        else if (mode === 'extra') ctx.result({ Sum: a + b, Bogus: 1 });
        else if (mode === 'kind') ctx.result({ Sum: String(a + b) });
        else ctx.result({ Sum: a + b, Note: `at ${ctx.wlogOffset}` });
      },
      'tst.MakeReceipt': (ctx) => {
        if (ctx.args !== undefined) probe.receiptArgs.push(ctx.args);
      },
      'tst.Boom': (ctx) => {
        // The intent is recorded, then the function fails: nothing may be written.
        ctx.records.insert('tst.Ticket', { Title: 'never written' });
        throw new Error(String(ctx.args?.Message));
      },
      'tst.Plain': () => {},
      'tst.Ping': () => {},
      'tst.OpenTicket': (ctx) => {
        ctx.records.insert('tst.Ticket', { Title: String(ctx.args?.Message) });
      },
      'tst.WithSecret': (ctx) => {
        if (ctx.unloggedArgs !== undefined) probe.unloggedArgs.push(ctx.unloggedArgs);
      },
      'tst.FindClient': async (ctx) => {
        const id = await ctx.records.findUnique('tst.Client', {
          Email: String(ctx.args?.Message),
        });
        const client = id === undefined ? undefined : await ctx.records.get(id);
        ctx.result({ Sum: id ?? 0, Note: String(client?.Name ?? '') });
      },
      'tst.OtherCmd': () => {},
    },
    queries: {
      'tst.Count': (ctx) => {
        const run = async () => {
          const count = Number(ctx.args?.Count);
          if (count < 0) throw new Error('negative count');
          const prefix = String(ctx.args?.Prefix ?? '');
          try {
            for (let n = 1; n <= count; n++) {
              // A prefix 'fail' makes the query fail after two rows (errors after rows were sent).
              if (prefix === 'fail' && n === 3) throw new Error('failed after 2 rows');
              await ctx.emit({ N: n, Label: `${prefix}${n}` });
              probe.query.emitted++;
            }
          } catch (error) {
            probe.query.error = error as Error;
            throw error;
          } finally {
            probe.query.ended = true;
          }
        };
        const done = run();
        probe.query.done = done.then(
          () => {},
          () => {},
        );
        return done;
      },
      'tst.OtherQuery': () => {},
    },
    projectors: {
      'tst.SyncPurchases': (ctx) => {
        for (const p of purchaseRows(ctx)) {
          ctx.views.put('tst.PurchaseLog', {
            Part: 0,
            WLogOffs: ctx.event.wlogOffset,
            PurchaseID: p.id,
            Number: p.number,
          });
        }
      },
      'tst.AsyncPurchases': async (ctx) => {
        probe.asyncPurchaseCalls++;
        for (const p of purchaseRows(ctx)) {
          const key = { Part: 0, WLogOffs: ctx.event.wlogOffset, PurchaseID: p.id };
          const existing = await ctx.views.get('tst.AsyncPurchaseLog', key);
          ctx.views.put('tst.AsyncPurchaseLog', {
            ...key,
            Number: p.number,
            Calls: Number(existing?.Calls ?? 0) + 1,
          });
        }
      },
      'tst.Flaky': (ctx) => {
        probe.flaky.calls++;
        if (probe.flaky.broken || probe.flaky.calls <= probe.flaky.failFirst) {
          throw new Error(`flaky failure ${probe.flaky.calls}`);
        }
        ctx.views.put('tst.FlakyLog', {
          Part: 0,
          WLogOffs: ctx.event.wlogOffset,
          Sum: Number(ctx.event.args?.A) + Number(ctx.event.args?.B),
        });
      },
      'tst.OnCalc': recordTrigger(probe, 'tst.OnCalc'),
      'tst.OnCalcParams': recordTrigger(probe, 'tst.OnCalcParams'),
      'tst.OnReceipt': recordTrigger(probe, 'tst.OnReceipt'),
      'tst.OnTicketInsert': recordTrigger(probe, 'tst.OnTicketInsert'),
      'tst.OnTicketUpdate': recordTrigger(probe, 'tst.OnTicketUpdate'),
      'tst.OnTicketActivate': recordTrigger(probe, 'tst.OnTicketActivate'),
      'tst.OnTicketDeactivate': recordTrigger(probe, 'tst.OnTicketDeactivate'),
      'tst.AsyncOnReceipt': recordTrigger(probe, 'tst.AsyncOnReceipt'),
    },
    jobs:
      options.job === true
        ? {
            'tst.Tick': (ctx) => {
              if (probe.jobFails) throw new Error('tick failed');
              probe.jobRuns.push({ wsid: ctx.wsid, scheduledAt: ctx.scheduledAt });
              ctx.views.put('tst.JobRuns', { Part: 0, At: ctx.scheduledAt, Wsid: ctx.wsid });
            },
          }
        : {},
  };
}

/** A clock the tests move by hand. */
export class ManualClock {
  constructor(public now = Date.UTC(2024, 2, 15, 10, 0, 0)) {}
  readonly fn = (): number => this.now;
  advance(ms: number): void {
    this.now += ms;
  }
}

/**
 * A storage that passes everything on, counts batch writes and can hold or fail them: the tests
 * of group commit and of failed writes use it.
 */
export class ProbeStorage implements KvStorage {
  batches = 0;
  batchRows = 0;
  /** The next `failBatches` batch writes fail. */
  failBatches = 0;
  /** While set, batch writes wait for it. */
  gate: Promise<void> | undefined;
  /** Called when a batch write starts (before the gate). */
  onBatch: (() => void) | undefined;

  constructor(readonly inner: KvStorage) {}

  get keyspace(): string {
    return this.inner.keyspace;
  }
  put(pk: Uint8Array, cc: Uint8Array, value: Uint8Array): Promise<void> {
    return this.inner.put(pk, cc, value);
  }
  async putBatch(items: readonly KvBatchItem[]): Promise<void> {
    this.onBatch?.();
    if (this.gate !== undefined) await this.gate;
    if (this.failBatches > 0) {
      this.failBatches--;
      throw new Error('injected write failure');
    }
    this.batches++;
    this.batchRows += items.length;
    return this.inner.putBatch(items);
  }
  get(pk: Uint8Array, cc: Uint8Array): Promise<Uint8Array | undefined> {
    return this.inner.get(pk, cc);
  }
  getBatch(pk: Uint8Array, ccs: readonly Uint8Array[]): Promise<(Uint8Array | undefined)[]> {
    return this.inner.getBatch(pk, ccs);
  }
  read(pk: Uint8Array, from?: Uint8Array, to?: Uint8Array): AsyncIterable<KvEntry> {
    return this.inner.read(pk, from, to);
  }
  readPages(pk: Uint8Array, from?: Uint8Array, to?: Uint8Array): AsyncIterable<readonly KvEntry[]> {
    return this.inner.readPages(pk, from, to);
  }
  insertIfNotExists(
    pk: Uint8Array,
    cc: Uint8Array,
    value: Uint8Array,
    ttlSeconds?: number,
  ): Promise<boolean> {
    return this.inner.insertIfNotExists(pk, cc, value, ttlSeconds);
  }
  compareAndSwap(
    pk: Uint8Array,
    cc: Uint8Array,
    expected: Uint8Array,
    value: Uint8Array,
    ttlSeconds?: number,
  ): Promise<boolean> {
    return this.inner.compareAndSwap(pk, cc, expected, value, ttlSeconds);
  }
  compareAndDelete(pk: Uint8Array, cc: Uint8Array, expected: Uint8Array): Promise<boolean> {
    return this.inner.compareAndDelete(pk, cc, expected);
  }
  ttlGet(pk: Uint8Array, cc: Uint8Array): Promise<Uint8Array | undefined> {
    return this.inner.ttlGet(pk, cc);
  }
  ttlRead(pk: Uint8Array, from?: Uint8Array, to?: Uint8Array): AsyncIterable<KvEntry> {
    return this.inner.ttlRead(pk, from, to);
  }
  purgeExpired(limit?: number): Promise<number> {
    return this.inner.purgeExpired(limit);
  }
  queryTtl(pk: Uint8Array, cc: Uint8Array): Promise<number | undefined> {
    return this.inner.queryTtl(pk, cc);
  }
}

export interface StartOptions {
  /** Default: a new in-memory provider (closed by `close`). */
  readonly provider?: StorageProvider;
  readonly keyspace?: string;
  readonly partitions?: number;
  readonly appWorkspaces?: number;
  /** Default: a new ManualClock. Pass `Date.now` for real time. */
  readonly clock?: ManualClock | (() => number);
  readonly background?: boolean;
  readonly maxBatchCommands?: number;
  /** Bind the Tick job (default false: the job is left unbound and never scheduled). */
  readonly job?: boolean;
  /** Wrap the storage in a ProbeStorage. */
  readonly probeStorage?: boolean;
}

export interface TestEngine {
  readonly engine: Engine;
  readonly probe: Probe;
  readonly provider: StorageProvider;
  readonly storage: KvStorage;
  /** Set when started with `probeStorage`. */
  readonly probeStorage: ProbeStorage | undefined;
  readonly clock: ManualClock | undefined;
  /** Stops the engine; closes the provider when the fixture opened it. */
  close(): Promise<void>;
}

/** Starts the test application with its built-in extensions on a storage of `provider`. */
export async function startEngine(options: StartOptions = {}): Promise<TestEngine> {
  const ownProvider = options.provider === undefined;
  const clockOption = options.clock ?? new ManualClock();
  const clock = clockOption instanceof ManualClock ? clockOption : undefined;
  const clockFn = clockOption instanceof ManualClock ? clockOption.fn : clockOption;
  const provider = options.provider ?? new MemStorageProvider({ clock: clockFn });
  const raw = await provider.open(options.keyspace ?? 'testapp');
  const probeStorage = options.probeStorage === true ? new ProbeStorage(raw) : undefined;
  const storage = probeStorage ?? raw;
  const probe = new Probe();
  const engine = await deployApp({
    app: testApp(),
    appQName: APP_QNAME,
    storage,
    extensions: testExtensions(probe, { job: options.job === true }),
    partitions: options.partitions ?? 4,
    appWorkspaces: options.appWorkspaces ?? 2,
    clock: clockFn,
    log: probe.log,
    ...(options.background === undefined ? {} : { background: options.background }),
    ...(options.maxBatchCommands === undefined
      ? {}
      : { maxBatchCommands: options.maxBatchCommands }),
  });
  let closed = false;
  return {
    engine,
    probe,
    provider,
    storage,
    probeStorage,
    clock,
    close: async () => {
      if (closed) return;
      closed = true;
      await engine.stop();
      if (ownProvider) await provider.close();
    },
  };
}

/** The engine a test file shares: its fields are the running TestEngine's. */
export interface FileEngine extends TestEngine {
  /** A user WSID no other test of the file has used. */
  nextWsid(): number;
  /** A new, initialised ShopWS workspace; its first event (offset 1) is CreateWorkspace. */
  shop(): Promise<number>;
}

/**
 * Starts one engine before a file's tests and stops it after them. Each file passes its own
 * `base`, so the workspaces of files that run at the same time never collide.
 */
export function engineForFile(base: number, options: StartOptions = {}): FileEngine {
  let current: TestEngine | undefined;
  let next = 0;
  before(async () => {
    current = await startEngine(options);
  });
  after(() => current?.close());
  const running = (): TestEngine => {
    if (current === undefined) throw new Error('the file engine starts in before()');
    return current;
  };
  const nextWsid = () => userWsid(base + ++next);
  return {
    get engine() {
      return running().engine;
    },
    get probe() {
      return running().probe;
    },
    get provider() {
      return running().provider;
    },
    get storage() {
      return running().storage;
    },
    get probeStorage() {
      return running().probeStorage;
    },
    get clock() {
      return running().clock;
    },
    close: () => running().close(),
    nextWsid,
    shop: async () => {
      const wsid = nextWsid();
      await createShop(running().engine, wsid);
      return wsid;
    },
  };
}

/** A fresh LMDB data directory; `remove` deletes it. */
export function lmdbDir(): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'voedger-engine-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Opens an LMDB provider on a directory (a real, durable store). */
export function openLmdb(path: string, clock?: () => number): Promise<LmdbStorageProvider> {
  return LmdbStorageProvider.open({ path, ...(clock === undefined ? {} : { clock }) });
}

/** Starts the test application on LMDB in `path`; `close` stops the engine and closes LMDB. */
export async function startOnLmdb(
  path: string,
  options: Omit<StartOptions, 'provider'> = {},
): Promise<TestEngine> {
  const clockOption = options.clock ?? new ManualClock();
  const clockFn = clockOption instanceof ManualClock ? clockOption.fn : clockOption;
  const provider = await openLmdb(path, clockFn);
  const t = await startEngine({ ...options, clock: clockOption, provider });
  return {
    ...t,
    close: async () => {
      await t.close();
      await provider.close();
    },
  };
}

/** The WSID of the n-th test user workspace (base WSIDs from 131071 + n). */
export function userWsid(n: number): number {
  return newWsid(MAIN_CLUSTER_ID, FIRST_BASE_USER_WSID + n);
}

/** Creates a ShopWS workspace whose descriptor has the given name. */
export function createShop(engine: Engine, wsid: number, name = `shop-${wsid}`): Promise<void> {
  return engine.createWorkspace({
    wsid,
    kind: SHOP_WS,
    name,
    initData: { Name: name, Region: 7 },
  });
}

/** Asserts that `promise` rejects with a ProcessorError of this status and message. */
export async function expectError(
  promise: Promise<unknown>,
  status: number,
  message: string | RegExp,
): Promise<ProcessorError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  assert.ok(caught !== undefined, `expected a ${status} error, but it succeeded`);
  assert.ok(
    caught instanceof ProcessorError,
    `expected a ProcessorError, got ${String(caught)} (${(caught as Error)?.stack ?? ''})`,
  );
  if (typeof message === 'string') {
    assert.deepEqual(
      { status: caught.status, message: caught.message },
      { status, message },
      'status and message of the error',
    );
  } else {
    assert.equal(caught.status, status, `status of the error «${caught.message}»`);
    assert.match(caught.message, message);
  }
  return caught;
}

/** Polls `probe` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 3000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > until) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Every item of an async iterable. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** The rows of a view partition (all partition-key fields in `key`) of a workspace. */
export function viewRows(
  engine: Engine,
  wsid: number,
  view: string,
  key: ViewRow,
): Promise<ViewRow[]> {
  return collect(engine.structs.readView(wsid, engine.structs.view(view), key));
}

/** One view row by its full key. */
export function viewRow(
  engine: Engine,
  wsid: number,
  view: string,
  key: ViewRow,
): Promise<ViewRow | undefined> {
  return engine.structs.getView(wsid, engine.structs.view(view), key);
}

/** A stored record; fails the test when it is missing. */
export async function record(engine: Engine, wsid: number, id: number): Promise<RecordRow> {
  const r = await engine.structs.getRecord(wsid, id);
  assert.ok(r !== undefined, `record ${id} of workspace ${wsid} exists`);
  return r;
}

/** The ID of a singleton QName. */
export function singletonId(engine: Engine, qname: string): number {
  const id = engine.structs.names.singletonId(qname);
  assert.ok(id !== undefined, `${qname} is a singleton`);
  return id;
}

/** The WLog offsets of a workspace, in order. */
export async function wlogOffsets(engine: Engine, wsid: number): Promise<number[]> {
  const out: number[] = [];
  for await (const e of engine.structs.readWLog(wsid, 1)) out.push(e.wlogOffset);
  return out;
}

/** 1..n */
export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** A CUD that creates a purchase with the given raw ID and number. */
export function purchaseCud(rawId: number, n: number, extra: Record<string, unknown> = {}) {
  return { fields: { 'sys.ID': rawId, 'sys.QName': 'tst.Purchase', Number: n, ...extra } };
}

/** A CUD that creates a client with the given raw ID and e-mail. */
export function clientCud(rawId: number, email: string, extra: Record<string, unknown> = {}) {
  return { fields: { 'sys.ID': rawId, 'sys.QName': 'tst.Client', Email: email, ...extra } };
}

/** A CUD that creates a ticket with the given raw ID and title. */
export function ticketCud(rawId: number, title: string, extra: Record<string, unknown> = {}) {
  return { fields: { 'sys.ID': rawId, 'sys.QName': 'tst.Ticket', Title: title, ...extra } };
}

/** A CUD that updates a record. */
export function updateCud(id: number, fields: Record<string, unknown>) {
  return { 'sys.ID': id, fields };
}

/** The value, asserting that it is there. */
export function must<T>(value: T | undefined | null, what = 'a value'): T {
  assert.ok(value !== undefined && value !== null, `expected ${what}`);
  return value;
}

/** The ID a raw ID of the request got, from a command's answer. */
export function newId(
  res: { readonly newIds: Readonly<Record<string, number>> },
  raw: number,
): number {
  const id = res.newIds[String(raw)];
  assert.ok(id !== undefined, `raw ID ${raw} got an ID: ${JSON.stringify(res.newIds)}`);
  return id;
}
