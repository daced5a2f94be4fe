/**
 * Engine benchmark: commands through the whole write path (arguments, CUD validation, IDs,
 * records, sync projectors, group commit), in process, without HTTP.
 *
 *   npm run bench -- engine [--quick] [--backend=lmdb,postgres] [--seconds=N]
 *                           [--partitions=1,16] [--callers=1,64,1000] [--no-reads]
 *
 * The command inserts an order (a CDoc) with 2 nested lines and a sync projector updates the
 * workspace's sales-by-day view row, so each command writes 9 rows: its event twice (PLog,
 * WLog), 3 records, 3 CollectionView rows and the view row. Callers are concurrent
 * loops, each sending its next command when the last is answered, spread over 64 workspaces.
 * Baseline, measured in the same run on the same backend: one durable `put` after another, i.e.
 * what committing each command separately would cost at best.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deployApp } from '../src/apps/index.js';
import type { Engine } from '../src/processors/index.js';
import {
  type KvStorage,
  LmdbStorageProvider,
  MemStorageProvider,
  PostgresStorageProvider,
  type StorageProvider,
} from '../src/storage/index.js';
import {
  formatNumber,
  numberOption,
  printTable,
  stringOption,
  UsageError,
} from './support/measure.js';
import { orderCuds, SHOP, SHOP_WSIDS, shopApp, shopExtensions } from './support/shop-app.js';

const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

interface LoadResult {
  readonly commands: number;
  readonly perSec: number;
  readonly p50: number;
  readonly p99: number;
  /** Process CPU time (every thread) per command, in µs: robust to a busy or starved machine. */
  readonly cpuMicros: number;
}

function numberListOption(args: readonly string[], name: string): number[] | undefined {
  const text = stringOption(args, name);
  if (text === undefined) return undefined;
  const list = text.split(',').map(Number);
  if (list.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new UsageError(`--${name} takes positive integers separated by commas, got '${text}'`);
  }
  return list;
}

async function startEngine(storage: KvStorage, partitions: number): Promise<Engine> {
  const engine = await deployApp({
    app: shopApp(),
    appQName: 'bench/shop',
    storage,
    partitions,
    appWorkspaces: 1,
    background: false,
    // One row a day: the commands of a workspace update the same view row.
    extensions: shopExtensions((_n, registeredAt) => Math.floor(registeredAt / 86_400_000)),
  });
  const descriptor = engine.structs.names.singletonId('sys.WorkspaceDescriptor') ?? 0;
  await Promise.all(
    SHOP_WSIDS.map(async (wsid) => {
      if ((await engine.structs.getRecord(wsid, descriptor)) === undefined) {
        await engine.createWorkspace({ wsid, kind: 'bench.ShopWS', name: `shop-${wsid}` });
      }
    }),
  );
  return engine;
}

let orderNumber = 0;

function nextOrder() {
  return orderCuds(++orderNumber);
}

async function load(engine: Engine, callers: number, seconds: number): Promise<LoadResult> {
  const latencies: number[] = [];
  const until = performance.now() + seconds * 1000;
  let commands = 0;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  await Promise.all(
    Array.from({ length: callers }, async (_, i) => {
      const wsid = SHOP_WSIDS[i % SHOP_WSIDS.length] as number;
      while (performance.now() < until) {
        const t0 = performance.now();
        await engine.command({ wsid, command: 'sys.CUD', cuds: nextOrder() });
        latencies.push(performance.now() - t0);
        commands++;
      }
    }),
  );
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    commands,
    perSec: (commands * 1000) / ms,
    p50: at(0.5),
    p99: at(0.99),
    cpuMicros: (cpu.user + cpu.system) / commands,
  };
}

/** Durable single puts, one after another: the cost of committing each command on its own. */
async function baseline(storage: KvStorage, seconds: number): Promise<number> {
  const pk = new Uint8Array([0xee, 1]);
  const value = new Uint8Array(300);
  const until = performance.now() + seconds * 1000;
  const start = performance.now();
  let n = 0;
  while (performance.now() < until) {
    await storage.put(pk, new Uint8Array([n >> 8, n & 0xff]), value);
    n++;
  }
  return (n * 1000) / (performance.now() - start);
}

async function reads(engine: Engine, seconds: number): Promise<{ record: number; view: number }> {
  const wsid = SHOP_WSIDS[0] as number;
  const { structs } = engine;
  const view = structs.view('bench.SalesByDay');
  const day = Math.floor(Date.now() / 86_400_000);
  const rate = async (op: (i: number) => Promise<unknown>) => {
    const until = performance.now() + seconds * 1000;
    const start = performance.now();
    let n = 0;
    while (performance.now() < until) {
      for (let k = 0; k < 100; k++) await op(n++);
    }
    return (n * 1000) / (performance.now() - start);
  };
  const record = await rate((i) => structs.getRecord(wsid, 200_001 + (i % 300)));
  const viewRate = await rate(() => structs.getView(wsid, view, { Shop: SHOP, Day: day }));
  return { record, view: viewRate };
}

interface Backend {
  readonly name: string;
  open(): Promise<StorageProvider>;
  cleanup(): Promise<void>;
}

function backends(names: readonly string[]): Backend[] {
  const out: Backend[] = [];
  for (const name of names) {
    if (name === 'mem') {
      out.push({
        name,
        open: async () => new MemStorageProvider({ clock: Date.now }),
        cleanup: async () => {},
      });
    } else if (name === 'lmdb') {
      let dir = '';
      out.push({
        name,
        open: async () => {
          dir = mkdtempSync(join(tmpdir(), 'voedger-bench-engine-'));
          return LmdbStorageProvider.open({ path: dir });
        },
        cleanup: async () => rmSync(dir, { recursive: true, force: true }),
      });
    } else if (name === 'postgres') {
      const url =
        process.env.VOEDGER_BENCH_POSTGRES_URL ??
        process.env.VOEDGER_TEST_POSTGRES_URL ??
        DEFAULT_POSTGRES_URL;
      const schema = `bench_engine_${process.pid}`;
      out.push({
        name,
        open: () => PostgresStorageProvider.open({ url, schema }),
        cleanup: async () => {
          const p = await PostgresStorageProvider.open({ url, schema });
          for (const ks of await p.keyspaces()) await p.drop(ks);
          await p.close();
        },
      });
    } else {
      throw new UsageError(`unknown backend '${name}': expected mem, lmdb or postgres`);
    }
  }
  return out;
}

export default async function run(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const seconds = numberOption(args, 'seconds') ?? (quick ? 1 : 3);
  const names = (stringOption(args, 'backend') ?? 'lmdb,postgres').split(',');
  const partitionsList = numberListOption(args, 'partitions') ?? (quick ? [16] : [1, 16]);
  const callersList = numberListOption(args, 'callers') ?? (quick ? [1, 1000] : [1, 64, 1000]);
  const withReads = !args.includes('--no-reads');
  const rows: string[][] = [];
  for (const backend of backends(names)) {
    let provider: StorageProvider;
    try {
      provider = await backend.open();
    } catch (error) {
      console.log(`${backend.name}: skipped (${(error as Error).message})`);
      continue;
    }
    try {
      let keyspace = 0;
      const base = await baseline(await provider.open('baseline'), Math.min(seconds, 2));
      rows.push([
        backend.name,
        'durable single put, one after another',
        '1',
        '-',
        formatNumber(base),
        '-',
        '-',
        '-',
        '1.0x',
      ]);
      for (const partitions of partitionsList) {
        const storage = await provider.open(`engine${keyspace++}`);
        const engine = await startEngine(storage, partitions);
        for (const callers of callersList) {
          await load(engine, callers, Math.min(0.3, seconds)); // warm-up
          const r = await load(engine, callers, seconds);
          rows.push([
            backend.name,
            'command: order + 2 lines + view',
            String(partitions),
            String(callers),
            formatNumber(r.perSec),
            r.p50.toFixed(2),
            r.p99.toFixed(2),
            r.cpuMicros.toFixed(0),
            `${(r.perSec / base).toFixed(1)}x`,
          ]);
        }
        if (withReads && partitions === partitionsList[partitionsList.length - 1]) {
          const rd = await reads(engine, Math.min(seconds, 1));
          rows.push([
            backend.name,
            'record point read',
            '-',
            '1',
            formatNumber(rd.record),
            '-',
            '-',
            '-',
            '-',
          ]);
          rows.push([
            backend.name,
            'view row read',
            '-',
            '1',
            formatNumber(rd.view),
            '-',
            '-',
            '-',
            '-',
          ]);
        }
        await engine.stop();
      }
    } finally {
      await provider.close();
      await backend.cleanup();
    }
  }
  printTable(
    [
      'backend',
      'operation',
      'partitions',
      'callers',
      'per second',
      'p50 ms',
      'p99 ms',
      'CPU µs/cmd',
      'vs baseline',
    ],
    rows,
    ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
  );
  console.log(
    '\nTargets (issue 4): at 1,000 callers at least 20,000 commands/s on lmdb and 5,000 on postgres.',
  );
}
