/**
 * Storage benchmark: every operation through our `KvStorage` layer next to the same operation
 * done directly with the backend's driver, in the same run, on the same data sizes.
 *
 *   npm run bench -- storage [--quick] [--backend=mem,lmdb,postgres] [--rounds=N] [--budget-ms=N]
 *
 * Baselines: lmdb — a raw lmdb-js environment in its own temp directory, opened with our settings;
 * postgres — a raw postgres.js client on the same server, running the equivalent SQL against a
 * table of the same shape; mem — a plain JS `Map`, which is a floor, not a driver.
 * The PostgreSQL URL comes from VOEDGER_BENCH_POSTGRES_URL or VOEDGER_TEST_POSTGRES_URL
 * (default postgres://postgres@127.0.0.1:5432/postgres); when no server answers, its rows are
 * skipped with a line that says so.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open as openLmdb } from 'lmdb';
import postgres from 'postgres';
import type { KvBatchItem, KvStorage, StorageProvider } from '../src/storage/index.js';
import {
  LmdbStorageProvider,
  MemStorageProvider,
  PostgresStorageProvider,
} from '../src/storage/index.js';
import {
  type Comparison,
  compare,
  formatMicros,
  formatNumber,
  formatRate,
  type MeasureSettings,
  type Op,
  printTable,
  settingsFrom,
  stringOption,
  UsageError,
} from './support/measure.js';

const TARGET_RATIO = 0.8;
const TARGET_LMDB_BATCH_KEYS_PER_SEC = 100_000;

const VALUE_BYTES = 100;
const BATCH_ITEMS = 100;
const GET_KEYS = 10_000;
const RANGE_KEYS = 1_000;
const KEYSPACE = 'bench';
const BYTEA_OID = 17;

const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const BACKENDS = ['mem', 'lmdb', 'postgres'] as const;
type BackendName = (typeof BACKENDS)[number];

// ---- data: 8-byte partition keys, 8-byte clustering keys, 100-byte values -------------------

const VALUE_A = randomBytes(VALUE_BYTES);
const VALUE_B = randomBytes(VALUE_BYTES);

/** An 8-byte partition key; the partitions sort in this order, so the range one has neighbours. */
function partitionKey(n: number): Buffer {
  const pk = Buffer.from('bench\0\0\0', 'latin1');
  pk[7] = n;
  return pk;
}

const PK = {
  put: partitionKey(1),
  batch: partitionKey(2),
  get: partitionKey(3),
  range: partitionKey(4),
  cas: partitionKey(5),
  /** The first key after the range partition: the end bound of a raw range scan. */
  afterRange: partitionKey(5),
} as const;

/** An 8-byte big-endian clustering key. */
function clustering(n: number): Buffer {
  const cc = Buffer.allocUnsafe(8);
  cc.writeUInt32BE(Math.floor(n / 0x1_0000_0000), 0);
  cc.writeUInt32BE(n >>> 0, 4);
  return cc;
}

/** The raw drivers' 16-byte key: partition key then clustering key. */
function rawKey(pk: Buffer, n: number): Buffer {
  const key = Buffer.allocUnsafe(16);
  pk.copy(key, 0);
  key.writeUInt32BE(Math.floor(n / 0x1_0000_0000), 8);
  key.writeUInt32BE(n >>> 0, 12);
  return key;
}

/** 0..n-1 in a random order: point gets hit the keys randomly. */
function shuffled(n: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return order;
}

const GET_ORDER = shuffled(GET_KEYS);
const RANGE_BYTES = RANGE_KEYS * VALUE_BYTES;

function fail(what: string): never {
  throw new Error(`benchmark invariant broken: ${what}`);
}

// ---- the cases ---------------------------------------------------------------------------------

interface Case {
  readonly operation: string;
  /** Set for batches: the table reports batches/s and keys/s. */
  readonly keysPerOp?: number;
  readonly raw: Op;
  readonly ours: Op;
}

/** One side (raw driver or ours) of every case. */
interface Ops {
  readonly put: Op;
  readonly batch: Op;
  readonly get: Op;
  readonly range: Op;
  readonly cas: Op;
}

/** Our layer's extra ways to do a case, measured against the same raw baseline. */
interface OursOps extends Ops {
  /** The range read through `readPages`, without `read`'s promise per row. */
  readonly rangePages: Op;
}

interface Backend {
  readonly name: BackendName;
  readonly cases: readonly Case[];
  close(): Promise<void>;
}

/** Fills our keyspace with the rows the reads need: the get partition and the range partition. */
async function populateOurs(storage: KvStorage): Promise<void> {
  const items: KvBatchItem[] = [];
  for (let i = 0; i < GET_KEYS; i++) items.push({ pk: PK.get, cc: clustering(i), value: VALUE_A });
  for (let i = 0; i < RANGE_KEYS; i++) {
    items.push({ pk: PK.range, cc: clustering(i), value: VALUE_A });
  }
  items.push({ pk: PK.cas, cc: clustering(0), value: VALUE_A });
  await storage.putBatch(items);
}

/** Our layer's side of every case; the same code for every backend. */
function oursOps(storage: KvStorage): OursOps {
  let putN = 0;
  let batchN = 0;
  let getN = 0;
  let casFlip = false;
  const getCcs = GET_ORDER.map(clustering);
  const casCc = clustering(0);
  return {
    put: () => storage.put(PK.put, clustering(putN++), VALUE_A),
    batch: () => {
      const items: KvBatchItem[] = new Array(BATCH_ITEMS);
      for (let i = 0; i < BATCH_ITEMS; i++) {
        items[i] = { pk: PK.batch, cc: clustering(batchN++), value: VALUE_A };
      }
      return storage.putBatch(items);
    },
    get: () => storage.get(PK.get, getCcs[getN++ % GET_KEYS] as Buffer),
    range: async () => {
      let bytes = 0;
      for await (const row of storage.read(PK.range)) bytes += row.value.length;
      if (bytes !== RANGE_BYTES) fail(`range read ${bytes} bytes`);
    },
    rangePages: async () => {
      let bytes = 0;
      for await (const page of storage.readPages(PK.range)) {
        for (const row of page) bytes += row.value.length;
      }
      if (bytes !== RANGE_BYTES) fail(`paged range read ${bytes} bytes`);
    },
    cas: () => {
      casFlip = !casFlip;
      const [expected, value] = casFlip ? [VALUE_A, VALUE_B] : [VALUE_B, VALUE_A];
      return storage.compareAndSwap(PK.cas, casCc, expected, value).then((swapped) => {
        if (!swapped) fail('compare-and-swap did not swap');
      });
    },
  };
}

function casesOf(raw: Ops, ours: OursOps, durable: boolean): Case[] {
  return [
    {
      operation: durable ? 'durable put (sequential)' : 'put (sequential)',
      raw: raw.put,
      ours: ours.put,
    },
    {
      operation: `batch of ${BATCH_ITEMS} puts`,
      keysPerOp: BATCH_ITEMS,
      raw: raw.batch,
      ours: ours.batch,
    },
    { operation: 'point get (random existing key)', raw: raw.get, ours: ours.get },
    {
      operation: `range read of ${formatNumber(RANGE_KEYS)} rows`,
      raw: raw.range,
      ours: ours.range,
    },
    {
      operation: `range read of ${formatNumber(RANGE_KEYS)} rows, by page`,
      raw: raw.range,
      ours: ours.rangePages,
    },
    { operation: 'compare-and-swap (succeeding)', raw: raw.cas, ours: ours.cas },
  ];
}

/** Checks, before timing, that every read answers what it should on both sides. */
async function sanityCheck(storage: KvStorage, rawGet: (n: number) => unknown): Promise<void> {
  const ours = await storage.get(PK.get, clustering(GET_KEYS - 1));
  if (ours === undefined || !VALUE_A.equals(ours)) fail('our get misses a populated key');
  let raw = rawGet(GET_KEYS - 1);
  if (raw instanceof Promise) raw = await raw;
  if (!(raw instanceof Uint8Array) || !VALUE_A.equals(raw)) fail('raw get misses a populated key');
}

// ---- mem: a plain Map as the floor -------------------------------------------------------------

async function memBackend(): Promise<Backend> {
  const provider = new MemStorageProvider();
  const storage = await provider.open(KEYSPACE);
  await populateOurs(storage);

  const map = new Map<string, Uint8Array>();
  const keyOf = (pk: Buffer, n: number) => rawKey(pk, n).toString('latin1');
  for (let i = 0; i < GET_KEYS; i++) map.set(keyOf(PK.get, i), VALUE_A);
  // The range partition's keys, kept sorted beside the Map: the floor of a sorted scan.
  const rangeKeys: string[] = [];
  for (let i = 0; i < RANGE_KEYS; i++) {
    const key = keyOf(PK.range, i);
    map.set(key, VALUE_A);
    rangeKeys.push(key);
  }
  rangeKeys.sort();
  const casKey = keyOf(PK.cas, 0);
  map.set(casKey, VALUE_A);
  await sanityCheck(storage, (n) => map.get(keyOf(PK.get, n)));

  let putN = 0;
  let batchN = 0;
  let getN = 0;
  let casFlip = false;
  const getKeys = GET_ORDER.map((n) => keyOf(PK.get, n));
  const raw: Ops = {
    put: () => {
      map.set(keyOf(PK.put, putN++), VALUE_A);
    },
    batch: () => {
      for (let i = 0; i < BATCH_ITEMS; i++) map.set(keyOf(PK.batch, batchN++), VALUE_A);
    },
    get: () => map.get(getKeys[getN++ % GET_KEYS] as string),
    range: () => {
      let bytes = 0;
      for (const key of rangeKeys) bytes += (map.get(key) as Uint8Array).length;
      if (bytes !== RANGE_BYTES) fail(`raw range read ${bytes} bytes`);
    },
    cas: () => {
      casFlip = !casFlip;
      const [expected, value] = casFlip ? [VALUE_A, VALUE_B] : [VALUE_B, VALUE_A];
      const current = map.get(casKey);
      if (current === undefined || Buffer.compare(current, expected) !== 0) {
        fail('raw compare-and-swap did not swap');
      }
      map.set(casKey, value);
    },
  };
  return {
    name: 'mem',
    cases: casesOf(raw, oursOps(storage), false),
    close: () => provider.close(),
  };
}

// ---- lmdb: raw lmdb-js with the same settings --------------------------------------------------

async function lmdbBackend(): Promise<Backend> {
  const rawDir = mkdtempSync(join(tmpdir(), 'voedger-bench-lmdb-raw-'));
  const oursDir = mkdtempSync(join(tmpdir(), 'voedger-bench-lmdb-ours-'));
  let provider: StorageProvider | undefined;
  const env = openLmdb({ path: rawDir, maxDbs: 4, overlappingSync: false });
  const cleanup = async () => {
    await provider?.close();
    await env.close();
    rmSync(rawDir, { recursive: true, force: true });
    rmSync(oursDir, { recursive: true, force: true });
  };
  try {
    provider = await LmdbStorageProvider.open({ path: oursDir });
    const storage = await provider.open(KEYSPACE);
    await populateOurs(storage);

    const db = env.openDB<Buffer, Buffer>({
      name: 'raw',
      keyEncoding: 'binary',
      encoding: 'binary',
    });
    await db.transaction(() => {
      for (let i = 0; i < GET_KEYS; i++) db.putSync(rawKey(PK.get, i), VALUE_A);
      for (let i = 0; i < RANGE_KEYS; i++) db.putSync(rawKey(PK.range, i), VALUE_A);
      db.putSync(rawKey(PK.cas, 0), VALUE_A);
    });
    await sanityCheck(storage, (n) => db.getBinary(rawKey(PK.get, n)));

    let putN = 0;
    let batchN = 0;
    let getN = 0;
    let casFlip = false;
    const getKeys = GET_ORDER.map((n) => rawKey(PK.get, n));
    const casKey = rawKey(PK.cas, 0);
    const raw: Ops = {
      put: () => db.put(rawKey(PK.put, putN++), VALUE_A),
      batch: () =>
        db.transaction(() => {
          for (let i = 0; i < BATCH_ITEMS; i++) db.putSync(rawKey(PK.batch, batchN++), VALUE_A);
        }),
      get: () => db.getBinary(getKeys[getN++ % GET_KEYS] as Buffer),
      range: () => {
        let bytes = 0;
        for (const { value } of db.getRange({ start: PK.range, end: PK.afterRange })) {
          bytes += value.length;
        }
        if (bytes !== RANGE_BYTES) fail(`raw range read ${bytes} bytes`);
      },
      cas: () => {
        casFlip = !casFlip;
        const [expected, value] = casFlip ? [VALUE_A, VALUE_B] : [VALUE_B, VALUE_A];
        return db
          .transaction(() => {
            const current = db.getBinary(casKey);
            if (current === undefined || !current.equals(expected)) return false;
            db.putSync(casKey, value);
            return true;
          })
          .then((swapped) => {
            if (!swapped) fail('raw compare-and-swap did not swap');
          });
      },
    };
    const ours = oursOps(storage);
    // lmdb-js reads synchronously; the contract answers with a promise. This row shows what that
    // promise alone costs: the raw read awaited inside an async function, as ours is.
    let awaitedN = 0;
    const awaitedGet: Case = {
      operation: 'point get, raw read awaited like ours',
      raw: async () => db.getBinary(getKeys[awaitedN++ % GET_KEYS] as Buffer),
      ours: ours.get,
    };
    return { name: 'lmdb', cases: [...casesOf(raw, ours, true), awaitedGet], close: cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

// ---- postgres: a raw postgres.js client running the equivalent SQL ----------------------------

function postgresUrl(): string {
  return (
    process.env.VOEDGER_BENCH_POSTGRES_URL ??
    process.env.VOEDGER_TEST_POSTGRES_URL ??
    DEFAULT_POSTGRES_URL
  );
}

/** The URL without its password, safe to print. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}

/** Why PostgreSQL cannot be used, or undefined when it answers. */
async function postgresUnreachable(url: string): Promise<string | undefined> {
  const probe = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await probe`select 1`;
    return undefined;
  } catch (error) {
    if (error instanceof AggregateError) {
      return error.errors.map((e: unknown) => (e instanceof Error ? e.message : e)).join('; ');
    }
    return error instanceof Error ? error.message || error.name : String(error);
  } finally {
    await probe.end({ timeout: 1 }).catch(() => {});
  }
}

async function postgresBackend(url: string): Promise<Backend> {
  const schema = `voedger_bench_${process.pid}_${Date.now().toString(36)}`;
  const sql = postgres(url, { max: 10, onnotice: () => {} });
  let provider: StorageProvider | undefined;
  const cleanup = async () => {
    await provider?.close();
    await sql`drop schema if exists ${sql(schema)} cascade`;
    await sql.end({ timeout: 5 });
  };
  try {
    provider = await PostgresStorageProvider.open({ url, schema });
    const storage = await provider.open(KEYSPACE);
    await populateOurs(storage);

    const table = sql(`${schema}.raw_kv`);
    await sql`
      create table ${table} (
        pk bytea not null,
        cc bytea not null,
        value bytea not null,
        expires_at bigint not null default 0,
        primary key (pk, cc)
      )`;
    const insertRows = async (pk: Buffer, count: number) => {
      const ccs = Array.from({ length: count }, (_, i) => clustering(i));
      await sql`
        insert into ${table} (pk, cc, value, expires_at)
        select ${pk}, cc, ${VALUE_A}, 0 from unnest(${sql.array(ccs, BYTEA_OID)}) as rows(cc)`;
    };
    await insertRows(PK.get, GET_KEYS);
    await insertRows(PK.range, RANGE_KEYS);
    await insertRows(PK.cas, 1);
    await sql`analyze ${table}`;
    await sql`analyze ${sql(`${schema}.kv_${KEYSPACE}`)}`;
    await sanityCheck(storage, async (n) => {
      const [row] =
        await sql`select value from ${table} where pk = ${PK.get} and cc = ${clustering(n)}`;
      return row?.value;
    });

    let putN = 0;
    let batchN = 0;
    let getN = 0;
    let casFlip = false;
    const getCcs = GET_ORDER.map(clustering);
    const casCc = clustering(0);
    const batchPks: Buffer[] = new Array(BATCH_ITEMS).fill(PK.batch);
    const batchValues: Buffer[] = new Array(BATCH_ITEMS).fill(VALUE_A);
    const raw: Ops = {
      put: () => sql`
        insert into ${table} (pk, cc, value, expires_at)
        values (${PK.put}, ${clustering(putN++)}, ${VALUE_A}, 0)
        on conflict (pk, cc) do update set value = excluded.value, expires_at = 0`,
      batch: () => {
        const ccs: Buffer[] = new Array(BATCH_ITEMS);
        for (let i = 0; i < BATCH_ITEMS; i++) ccs[i] = clustering(batchN++);
        return sql`
          insert into ${table} (pk, cc, value, expires_at)
          select pk, cc, value, 0
          from unnest(${sql.array(batchPks, BYTEA_OID)}, ${sql.array(ccs, BYTEA_OID)},
                      ${sql.array(batchValues, BYTEA_OID)}) as batch(pk, cc, value)
          on conflict (pk, cc) do update set value = excluded.value, expires_at = 0`;
      },
      get: () =>
        sql`select value from ${table} where pk = ${PK.get} and cc = ${getCcs[getN++ % GET_KEYS] as Buffer}`,
      range: async () => {
        const rows = await sql`
          select cc, value from ${table} where pk = ${PK.range} order by cc limit ${RANGE_KEYS}`;
        let bytes = 0;
        for (const row of rows) bytes += (row.value as Buffer).length;
        if (bytes !== RANGE_BYTES) fail(`raw range read ${bytes} bytes`);
      },
      cas: async () => {
        casFlip = !casFlip;
        const [expected, value] = casFlip ? [VALUE_A, VALUE_B] : [VALUE_B, VALUE_A];
        const rows = await sql`
          update ${table} set value = ${value}
          where pk = ${PK.cas} and cc = ${casCc} and value = ${expected}
          returning 1`;
        if (rows.length !== 1) fail('raw compare-and-swap did not swap');
      },
    };
    return { name: 'postgres', cases: casesOf(raw, oursOps(storage), true), close: cleanup };
  } catch (error) {
    await cleanup().catch(() => {});
    throw error;
  }
}

// ---- the run -----------------------------------------------------------------------------------

interface Row {
  readonly backend: BackendName;
  readonly operation: string;
  readonly keysPerOp: number | undefined;
  readonly result: Comparison;
}

function rateCell(opsPerSec: number, usPerOp: number, keysPerOp: number | undefined): string {
  if (keysPerOp === undefined) return `${formatRate(opsPerSec)} · ${formatMicros(usPerOp)}`;
  return (
    `${formatRate(opsPerSec, 'batches')} · ${formatRate(opsPerSec * keysPerOp, 'keys')} · ` +
    `${formatMicros(usPerOp)}`
  );
}

function tableRows(rows: readonly Row[]): string[][] {
  return rows.map(({ backend, operation, keysPerOp, result }) => {
    let ours = rateCell(result.ours.opsPerSec, result.ours.usPerOp, keysPerOp);
    if (
      backend === 'lmdb' &&
      keysPerOp !== undefined &&
      result.ours.opsPerSec * keysPerOp < TARGET_LMDB_BATCH_KEYS_PER_SEC
    ) {
      ours += ` ✗ <${formatNumber(TARGET_LMDB_BATCH_KEYS_PER_SEC)} keys/s`;
    }
    let ratio = `${result.ratio.toFixed(2)}x`;
    if (backend === 'mem') ratio += ' (floor)';
    else if (result.ratio < TARGET_RATIO) ratio += ` ✗ <${TARGET_RATIO}`;
    return [
      backend,
      operation,
      rateCell(result.raw.opsPerSec, result.raw.usPerOp, keysPerOp),
      ours,
      ratio,
    ];
  });
}

function selectedBackends(args: readonly string[]): BackendName[] {
  const option = stringOption(args, 'backend');
  if (option === undefined) return [...BACKENDS];
  const names = option.split(',').filter((n) => n !== '');
  for (const name of names) {
    if (!(BACKENDS as readonly string[]).includes(name)) {
      throw new UsageError(`--backend: unknown backend '${name}'; known: ${BACKENDS.join(', ')}`);
    }
  }
  return BACKENDS.filter((name) => names.includes(name));
}

function describeSettings(settings: MeasureSettings): string {
  const each = settings.count !== undefined ? `${settings.count} ops` : `${settings.budgetMs} ms`;
  return (
    `${settings.quick ? 'QUICK smoke run (figures are not meaningful); ' : ''}` +
    `warm-up ${settings.warmupMs} ms per side, then ${settings.rounds} interleaved rounds of ` +
    `${each} per side; figures are medians over rounds, ratio = median of per-round ratios`
  );
}

export default async function run(args: string[]): Promise<void> {
  const settings = settingsFrom(args);
  const backends = selectedBackends(args);
  console.log(
    `Storage layer vs raw driver — node ${process.version}, ${process.platform}/${process.arch}, ` +
      `${VALUE_BYTES}-byte values, 8-byte partition + 8-byte clustering keys.`,
  );
  console.log(describeSettings(settings));

  const rows: Row[] = [];
  const notes: string[] = [];
  for (const name of backends) {
    let backend: Backend;
    if (name === 'mem') backend = await memBackend();
    else if (name === 'lmdb') backend = await lmdbBackend();
    else {
      const url = postgresUrl();
      const reason = await postgresUnreachable(url);
      if (reason !== undefined) {
        const line = `postgres: SKIPPED — PostgreSQL unreachable at ${redact(url)} (${reason}); the postgres rows are skipped`;
        console.log(line);
        notes.push(line);
        continue;
      }
      backend = await postgresBackend(url);
    }
    try {
      for (const c of backend.cases) {
        process.stderr.write(`  ${name}: ${c.operation} ...\n`);
        const result = await compare(c.raw, c.ours, settings);
        rows.push({ backend: name, operation: c.operation, keysPerOp: c.keysPerOp, result });
      }
    } finally {
      await backend.close();
    }
  }

  console.log('');
  printTable(['backend', 'operation', 'raw driver', 'ours', 'ratio (ours/raw)'], tableRows(rows), [
    'l',
    'l',
    'r',
    'r',
    'r',
  ]);
  console.log('');
  console.log(
    `Targets: ours >= ${TARGET_RATIO}x the raw driver on every row, lmdb batched puts >= ` +
      `${formatNumber(TARGET_LMDB_BATCH_KEYS_PER_SEC)} keys/s; ✗ marks a miss. ` +
      'Raw drivers: lmdb = lmdb-js `open()` with the same settings (overlappingSync: false, binary ' +
      'named db); postgres = postgres.js with the equivalent SQL on a same-shaped table; ' +
      'mem = a plain JS Map with string keys (sorted key list for the range) — a floor, not a ' +
      'driver, so its rows carry no target.',
  );
  for (const note of notes) console.log(note);
  const misses = rows.filter(
    (r) =>
      (r.backend !== 'mem' && r.result.ratio < TARGET_RATIO) ||
      (r.backend === 'lmdb' &&
        r.keysPerOp !== undefined &&
        r.result.ours.opsPerSec * r.keysPerOp < TARGET_LMDB_BATCH_KEYS_PER_SEC),
  );
  console.log(
    rows.length === 0
      ? 'No rows were measured.'
      : misses.length === 0
        ? 'All measured rows meet their targets.'
        : `${misses.length} row(s) miss a target: ${misses.map((r) => `${r.backend} ${r.operation}`).join('; ')}`,
  );
}
