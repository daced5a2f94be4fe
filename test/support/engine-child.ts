/**
 * A child process for the engine crash test, and the application both sides deploy.
 *
 *   engine-load <backend> <location> <keyspace> <round>
 *     opens the store, deploys the crash app (recovering the partitions from their logs), creates
 *     the test workspaces that do not exist yet, prints `ready`, then runs concurrent callers
 *     that each send sys.CUD commands creating an Item with two nested Parts, one after another,
 *     and prints one line per acknowledged command (see {@link CrashAck}); runs until killed.
 *
 * `location` is a directory for lmdb, and `url#schema` for postgres. Each line is written with
 * fs.writeSync, so a line on stdout means the engine had answered the command before the kill.
 */
import { writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { deployApp } from '../../src/apps/index.js';
import type { BuiltinExtensions } from '../../src/extensions/index.js';
import type { Engine } from '../../src/processors/index.js';
import { type AppDef, compileApp } from '../../src/schema/index.js';
import {
  type KvStorage,
  LmdbStorageProvider,
  PostgresStorageProvider,
  type StorageProvider,
} from '../../src/storage/index.js';
import { newWsid } from '../../src/structs/index.js';

/** Partitions of the crash app; each workspace lives in `wsid % CRASH_PARTITIONS`. */
export const CRASH_PARTITIONS = 4;
/** Concurrent callers in the child. */
export const CRASH_CALLERS = 50;
/** The test workspaces, spread over every partition. */
export const CRASH_WSIDS: readonly number[] = Array.from({ length: 8 }, (_, i) =>
  newWsid(1, 300_000 + i),
);
export const CRASH_APP_QNAME = 'test/crash';
export const ITEM = 'crash.Item';
export const PART = 'crash.Part';
export const ITEMS_VIEW = 'crash.ItemsByID';

const VSQL = `APPLICATION crash();
WORKSPACE CrashWS (
  DESCRIPTOR CrashWSDescriptor ();
  TABLE Item INHERITS sys.CDoc (
    Key varchar(64) NOT NULL,
    Caller int32 NOT NULL,
    Seq int32 NOT NULL,
    UNIQUEFIELD Key,
    Parts TABLE Part (
      N int32 NOT NULL,
      Label varchar(64) NOT NULL
    )
  );
  VIEW ItemsByID (
    Bucket int32 NOT NULL,
    Item ref(Item) NOT NULL,
    Key varchar(64) NOT NULL,
    WLogOffset int64 NOT NULL,
    PRIMARY KEY ((Bucket), Item)
  ) AS RESULT OF TrackItems;
  EXTENSION ENGINE BUILTIN (
    SYNC PROJECTOR TrackItems AFTER INSERT ON Item INTENTS(sys.View(ItemsByID));
  );
);`;

/** What the child prints for each acknowledged command. */
export interface CrashAck {
  readonly key: string;
  readonly wsid: number;
  readonly wlogOffset: number;
  /** The IDs of the Item and of its two Parts, in that order. */
  readonly ids: readonly number[];
}

export function crashAppDef(): AppDef {
  const r = compileApp([
    { path: 'example.com/crash', files: [{ name: 'crash.vsql', text: VSQL }] },
  ]);
  if (r.appDef === undefined) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.appDef;
}

/** The key of an Item's ItemsByID row. */
export function itemsViewKey(id: number): { Bucket: number; Item: number } {
  return { Bucket: id % 64, Item: id };
}

/** The sync projector: one ItemsByID row per new Item, written in the command's batch. */
export const crashExtensions: BuiltinExtensions = {
  projectors: {
    'crash.TrackItems': (ctx) => {
      for (const c of ctx.event.cuds) {
        if (!c.isNew || c.record.qname !== ITEM) continue;
        ctx.views.put(ITEMS_VIEW, {
          ...itemsViewKey(c.record.id),
          Key: c.record.fields.Key,
          WLogOffset: ctx.event.wlogOffset,
        });
      }
    },
  },
};

/** Deploys the crash app on a storage (recovering its partitions) and creates missing workspaces. */
export async function deployCrashApp(storage: KvStorage): Promise<Engine> {
  const engine = await deployApp({
    app: crashAppDef(),
    appQName: CRASH_APP_QNAME,
    storage,
    partitions: CRASH_PARTITIONS,
    appWorkspaces: 1,
    extensions: crashExtensions,
  });
  const descriptor = engine.structs.names.singletonId('sys.WorkspaceDescriptor') ?? 0;
  for (const wsid of CRASH_WSIDS) {
    if ((await engine.structs.getRecord(wsid, descriptor)) === undefined) {
      await engine.createWorkspace({ wsid, kind: 'crash.CrashWS', name: `crash-${wsid}` });
    }
  }
  return engine;
}

/** The sys.CUD request that creates the Item with this key and its two Parts. */
export function itemCuds(key: string, caller: number, seq: number): unknown[] {
  return [
    { fields: { 'sys.ID': 1, 'sys.QName': ITEM, Key: key, Caller: caller, Seq: seq } },
    ...[1, 2].map((n) => ({
      fields: {
        'sys.ID': 1 + n,
        'sys.QName': PART,
        'sys.ParentID': 1,
        'sys.Container': 'Parts',
        N: n,
        Label: `${key}/${n}`,
      },
    })),
  ];
}

/** Sends one Item command and returns what the child would print for it. */
export async function sendItem(
  engine: Engine,
  wsid: number,
  key: string,
  caller: number,
  seq: number,
): Promise<CrashAck> {
  const r = await engine.command({ wsid, command: 'sys.CUD', cuds: itemCuds(key, caller, seq) });
  const ids = [r.newIds['1'], r.newIds['2'], r.newIds['3']];
  if (ids.some((id) => id === undefined)) throw new Error(`no new IDs in ${JSON.stringify(r)}`);
  return { key, wsid, wlogOffset: r.currentWLogOffset, ids: ids as number[] };
}

export function openCrashProvider(backend: string, location: string): Promise<StorageProvider> {
  if (backend === 'lmdb') return LmdbStorageProvider.open({ path: location });
  const [url = '', schema] = location.split('#');
  return PostgresStorageProvider.open({ url, ...(schema ? { schema } : {}) });
}

/** Writes a whole line to stdout synchronously (retrying if the pipe is momentarily full). */
function printLine(line: string): void {
  let bytes = Buffer.from(`${line}\n`);
  while (bytes.length > 0) {
    try {
      bytes = bytes.subarray(writeSync(1, bytes));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
    }
  }
}

async function main(args: readonly string[]): Promise<void> {
  const [mode, backend = '', location = '', keyspace = '', round = '0'] = args;
  if (mode !== 'engine-load') throw new Error(`unknown mode ${mode}`);
  const provider = await openCrashProvider(backend, location);
  const engine = await deployCrashApp(await provider.open(keyspace));
  printLine('ready');
  const caller = async (c: number) => {
    const wsid = CRASH_WSIDS[c % CRASH_WSIDS.length] as number;
    for (let seq = 1; ; seq++) {
      const key = `${round}-${c}-${seq}`;
      try {
        printLine(JSON.stringify(await sendItem(engine, wsid, key, c, seq)));
      } catch (error) {
        // The parent fails on this: under this load no command may be refused.
        printLine(JSON.stringify({ error: `${key}: ${(error as Error).message}` }));
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: CRASH_CALLERS }, (_, c) => caller(c)));
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main(process.argv.slice(2));
}
