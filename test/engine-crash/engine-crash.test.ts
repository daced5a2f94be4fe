/**
 * Issue 4: after a crash no acknowledged command is lost, nothing is applied twice, and no ID is
 * issued twice. A child process runs 50 concurrent callers sending sys.CUD commands against the
 * engine and is SIGKILLed mid-load; the test then opens the same store, deploys the same app (the
 * partitions recover from their logs) and checks the logs, records, views and counters, sends new
 * commands, and runs the next round on the same store.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Engine, ProcessorError } from '../../src/processors/index.js';
import { collect, type KvStorage } from '../../src/storage/index.js';
import { type DbEvent, FIRST_OFFSET, type ObjectNode } from '../../src/structs/index.js';
import { chunkOf, firstOfChunk, plogPk, wlogPk } from '../../src/structs/keys.js';
import {
  CRASH_PARTITIONS,
  CRASH_WSIDS,
  type CrashAck,
  deployCrashApp,
  ITEM,
  ITEMS_VIEW,
  itemsViewKey,
  openCrashProvider,
  PART,
  sendItem,
} from '../support/engine-child.js';
import { dropSchema, POSTGRES_SKIP_REASON, postgresTestUrl } from '../support/postgres.js';

const child = fileURLToPath(new URL('../support/engine-child.ts', import.meta.url));
/** Kills per backend: as many as keep each backend's test well under 15 s on a 2-core machine. */
const ROUNDS = { lmdb: 4, postgres: 3 };
/** A child that neither acknowledges enough commands nor dies by then has hung. */
const CHILD_DEADLINE_MS = 30_000;

interface Killed {
  readonly acks: CrashAck[];
  readonly killAfterAcks: number;
  /** How long after the `killAfterAcks`-th ack the kill came. */
  readonly delayMs: number;
  /** From `ready` (load starts) to the kill. */
  readonly loadMs: number;
}

/**
 * Runs the child until it has acknowledged `killAfterAcks` commands, then SIGKILLs it after a
 * random delay of up to 20 ms, so that the kill lands anywhere in the cycle of executing a batch
 * of commands and writing it (an ack comes right after a write, so an immediate kill would
 * mostly hit command execution).
 */
async function loadUntilKilled(
  backend: string,
  location: string,
  keyspace: string,
  round: number,
): Promise<Killed> {
  const killAfterAcks = 100 + Math.floor(Math.random() * 500);
  const delayMs = Math.floor(Math.random() * 21);
  const proc: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', child, 'engine-load', backend, location, keyspace, String(round)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  const deadline = setTimeout(() => proc.kill('SIGKILL'), CHILD_DEADLINE_MS);
  const acks: CrashAck[] = [];
  const errors: string[] = [];
  let readyAt = 0;
  let killedAt = 0;
  let kill: NodeJS.Timeout | undefined;
  try {
    for await (const line of createInterface({ input: proc.stdout as NodeJS.ReadableStream })) {
      if (line === 'ready') {
        readyAt = performance.now();
        continue;
      }
      const parsed = JSON.parse(line) as CrashAck | { error: string };
      if ('error' in parsed) errors.push(parsed.error);
      else acks.push(parsed);
      if (acks.length >= killAfterAcks && kill === undefined) {
        kill = setTimeout(() => {
          killedAt = performance.now();
          proc.kill('SIGKILL');
        }, delayMs);
      }
    }
    await exited;
  } finally {
    clearTimeout(deadline);
    clearTimeout(kill);
    // A failure above must not leave the child running.
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  }
  assert.deepEqual(errors, [], 'the engine refused commands under load');
  assert.equal(proc.signalCode, 'SIGKILL', 'the child died of something other than our kill');
  assert.ok(
    killedAt > 0,
    `the child acknowledged only ${acks.length} commands before the deadline`,
  );
  return { acks, killAfterAcks, delayMs, loadMs: Math.round(killedAt - readyAt) };
}

/** Offsets of a log with rows above `last`, read straight from storage. */
async function rowsAfter(
  storage: KvStorage,
  pkOf: (offset: number) => Uint8Array,
  last: number,
): Promise<number[]> {
  const found: number[] = [];
  const first = chunkOf(last + 1);
  for (const chunk of [first, first + 1]) {
    const base = firstOfChunk(chunk);
    for (const { cc } of await collect(storage.read(pkOf(base)))) {
      const offset = base + Buffer.from(cc).readUInt16BE(0);
      if (offset > last) found.push(offset);
    }
  }
  return found;
}

/** IDs an event gave: its created records and its argument's ODoc/ORecords. */
function idsOf(event: DbEvent): number[] {
  const ids = event.creates.map((r) => r.id);
  const visit = (n: ObjectNode) => {
    if (n.id !== 0) ids.push(n.id);
    for (const c of n.children) visit(c);
  };
  if (event.argument !== null) visit(event.argument);
  return ids;
}

async function inParallel<T>(items: readonly T[], width: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
}

interface Checked {
  /** Each workspace's WLog, offset `i + 1` at index `i`. */
  readonly wlogs: Map<number, DbEvent[]>;
  readonly events: number;
  /** Events that create an Item: acknowledged commands plus those the kill cut off before the answer. */
  readonly items: number;
}

/** Checks the recovered store against every command acknowledged so far. */
async function checkStore(engine: Engine, acks: readonly CrashAck[]): Promise<Checked> {
  const { structs } = engine;
  const storage = structs.storage;

  // PLogs: offsets 1, 2, ... with nothing after the end, each event in its workspace's partition.
  const fromPLog = new Map<string, number>();
  for (let p = 0; p < CRASH_PARTITIONS; p++) {
    let expected = FIRST_OFFSET;
    for await (const e of structs.readPLog(p, FIRST_OFFSET)) {
      assert.equal(e.plogOffset, expected, `partition ${p}: PLog offset ${expected} is missing`);
      assert.equal(e.partition, p, `PLog of partition ${p} holds an event of ${e.partition}`);
      assert.equal(e.wsid % CRASH_PARTITIONS, p, `workspace ${e.wsid} is not in partition ${p}`);
      const key = `${e.wsid}:${e.wlogOffset}`;
      assert.ok(!fromPLog.has(key), `WLog offset ${key} is in the PLog twice`);
      fromPLog.set(key, e.plogOffset);
      expected++;
    }
    const stray = await rowsAfter(storage, (o) => plogPk(p, o), expected - 1);
    assert.deepEqual(stray, [], `partition ${p}: PLog rows after the end ${expected - 1}`);
  }

  // WLogs: offsets 1, 2, ..., the same events as the PLogs.
  const wsids = new Set([
    ...CRASH_WSIDS,
    ...[...fromPLog.keys()].map((k) => Number(k.split(':')[0])),
  ]);
  const wlogs = new Map<number, DbEvent[]>();
  let events = 0;
  for (const wsid of wsids) {
    const log: DbEvent[] = [];
    for await (const e of structs.readWLog(wsid, FIRST_OFFSET)) {
      assert.equal(e.wsid, wsid, `WLog of ${wsid} holds an event of ${e.wsid}`);
      assert.equal(
        e.wlogOffset,
        log.length + 1,
        `workspace ${wsid}: WLog offset ${log.length + 1} is missing`,
      );
      assert.equal(
        fromPLog.get(`${wsid}:${e.wlogOffset}`),
        e.plogOffset,
        `workspace ${wsid}: WLog event ${e.wlogOffset} is not in the PLog at ${e.plogOffset}`,
      );
      log.push(e);
    }
    const stray = await rowsAfter(storage, (o) => wlogPk(wsid, o), log.length);
    assert.deepEqual(stray, [], `workspace ${wsid}: WLog rows after the end ${log.length}`);
    wlogs.set(wsid, log);
    events += log.length;
  }
  assert.equal(events, fromPLog.size, 'the PLogs hold events the WLogs do not');

  // No ID given twice in a workspace; no business key applied twice.
  const keys = new Map<string, string>();
  let items = 0;
  for (const [wsid, log] of wlogs) {
    const ids = new Map<number, number>();
    for (const e of log) {
      for (const id of idsOf(e)) {
        const before = ids.get(id);
        assert.equal(
          before,
          undefined,
          `workspace ${wsid}: ID ${id} given at ${before} and ${e.wlogOffset}`,
        );
        ids.set(id, e.wlogOffset);
      }
      for (const r of e.creates) {
        if (r.qname !== ITEM) continue;
        const key = String(r.fields.Key);
        const where = `${wsid}:${e.wlogOffset}`;
        assert.equal(
          keys.get(key),
          undefined,
          `key ${key} applied twice: at ${keys.get(key)} and ${where}`,
        );
        keys.set(key, where);
        items++;
      }
    }
  }

  // Every acknowledged command is at its offset with the IDs it was answered with.
  for (const ack of acks) {
    const e = wlogs.get(ack.wsid)?.[ack.wlogOffset - 1];
    assert.ok(
      e !== undefined,
      `acknowledged ${ack.key} is lost: no WLog event ${ack.wsid}:${ack.wlogOffset}`,
    );
    const [item, ...parts] = e.creates;
    assert.equal(
      item?.fields.Key,
      ack.key,
      `WLog event ${ack.wsid}:${ack.wlogOffset} is not ${ack.key}`,
    );
    assert.deepEqual(
      e.creates.map((r) => r.id),
      ack.ids,
      `${ack.key}: the event's IDs differ from the acknowledged ones`,
    );
    assert.deepEqual(
      parts.map((r) => [r.qname, r.parentId, r.container]),
      [
        [PART, ack.ids[0], 'Parts'],
        [PART, ack.ids[0], 'Parts'],
      ],
    );
  }

  // Each event's records and view row are there: they were written in the event's batch.
  const view = structs.view(ITEMS_VIEW);
  const all = [...wlogs.values()].flat();
  await inParallel(all, 16, async (e) => {
    for (const r of e.creates) {
      const stored = await structs.getRecord(e.wsid, r.id);
      assert.deepEqual(stored, r, `record ${e.wsid}:${r.id} of event ${e.wlogOffset} differs`);
      if (r.qname !== ITEM) continue;
      const row = await structs.getView(e.wsid, view, itemsViewKey(r.id));
      assert.equal(row?.Key, r.fields.Key, `no view row of ${r.fields.Key} (${e.wsid}:${r.id})`);
      assert.equal(Number(row?.WLogOffset), e.wlogOffset, `view row of ${r.fields.Key} is stale`);
    }
  });
  return { wlogs, events, items };
}

/** After recovery: new commands continue every workspace's offsets and IDs; old keys are taken. */
async function checkContinues(
  engine: Engine,
  checked: Checked,
  round: number,
  acks: readonly CrashAck[],
): Promise<CrashAck[]> {
  const added: CrashAck[] = [];
  for (const [i, wsid] of CRASH_WSIDS.entries()) {
    const log = checked.wlogs.get(wsid) ?? [];
    const maxId = Math.max(0, ...log.flatMap(idsOf));
    const ack = await sendItem(engine, wsid, `${round}-after-${i}`, 1000 + i, round);
    assert.equal(ack.wlogOffset, log.length + 1, `workspace ${wsid}: WLog does not continue`);
    for (const id of ack.ids) assert.ok(id > maxId, `workspace ${wsid}: ID ${id} after ${maxId}`);
    added.push(ack);
  }
  // Resending acknowledged commands is refused: their unique keys survived too.
  for (const old of acks.slice(-5)) {
    await assert.rejects(
      sendItem(engine, old.wsid, old.key, 0, 0),
      (e: unknown) => e instanceof ProcessorError && e.status === 409,
      `resent ${old.key} was not refused as a duplicate`,
    );
  }
  return added;
}

function describeEngineCrashTest(backend: keyof typeof ROUNDS, location: () => Promise<string>) {
  const rounds = ROUNDS[backend];
  it(`${backend}: loses no acknowledged command, applies none twice, reuses no ID (${rounds} SIGKILLs)`, async (t) => {
    const where = await location();
    const keyspace = `engine_crash_${randomBytes(4).toString('hex')}`;
    const acks: CrashAck[] = [];
    for (let round = 1; round <= rounds; round++) {
      const killed = await loadUntilKilled(backend, where, keyspace, round);
      acks.push(...killed.acks);
      const provider = await openCrashProvider(backend, where);
      try {
        const t0 = performance.now();
        const engine = await deployCrashApp(await provider.open(keyspace));
        const t1 = performance.now();
        try {
          const checked = await checkStore(engine, acks);
          const t2 = performance.now();
          const answered = acks.length;
          acks.push(...(await checkContinues(engine, checked, round, acks)));
          t.diagnostic(
            `round ${round}: killed after ${killed.acks.length} acks (${killed.killAfterAcks} + ${killed.delayMs} ms), ` +
              `${killed.loadMs} ms into the load; ${answered} acks in all, ${checked.items} items ` +
              `stored (${checked.items - answered} durable but unanswered), ` +
              `${checked.events} events; recovery ${Math.round(t1 - t0)} ms, ` +
              `checks ${Math.round(t2 - t1)} ms`,
          );
        } finally {
          await engine.stop();
        }
      } finally {
        await provider.close();
      }
    }
  });
}

describe('engine crash safety', () => {
  const dir = mkdtempSync(join(tmpdir(), 'voedger-engine-crash-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  describeEngineCrashTest('lmdb', async () => dir);

  const schema = `voedger_engine_crash_${process.pid}`;
  describe('postgres', async () => {
    const url = await postgresTestUrl();
    if (url === undefined) {
      it('postgres engine crash test', { skip: POSTGRES_SKIP_REASON }, () => {});
      return;
    }
    after(() => dropSchema(url, schema));
    describeEngineCrashTest('postgres', async () => `${url}#${schema}`);
  });
});
