import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Engine } from '../../processors/index.js';
import { compileApp } from '../../schema/index.js';
import { MemStorageProvider } from '../../storage/index.js';
import { deployApp } from '../index.js';

const VSQL = `APPLICATION j();
WORKSPACE W (
  DESCRIPTOR WD ();
  TABLE Note INHERITS sys.CDoc (Text varchar NOT NULL);
  EXTENSION ENGINE BUILTIN ( COMMAND Ping; );
);`;

const wsid = 140737488486431;
const DAY = 86_400_000;

describe('q.sys.Journal', () => {
  let engine: Engine;
  let now = Date.UTC(2026, 10, 20, 12);

  before(async () => {
    const app = compileApp([{ path: 'x/j', files: [{ name: 'j.vsql', text: VSQL }] }]).appDef;
    assert.ok(app);
    engine = await deployApp({
      app,
      appQName: 'test/j',
      storage: await new MemStorageProvider({ clock: Date.now }).open('j'),
      extensions: { commands: { 'j.Ping': () => {} } },
      partitions: 1,
      appWorkspaces: 1,
      clock: () => now,
    });
    await engine.createWorkspace({ wsid, kind: 'j.W', name: 'w' }); // offset 1, day 0
    await engine.command({
      wsid,
      command: 'sys.CUD',
      cuds: [{ fields: { 'sys.ID': 1, 'sys.QName': 'j.Note', Text: 'a' } }],
    }); // 2
    now += DAY;
    await engine.command({ wsid, command: 'j.Ping' }); // 3, day 1
    now += DAY;
    await engine.command({
      wsid,
      command: 'sys.CUD',
      cuds: [{ fields: { 'sys.ID': 1, 'sys.QName': 'j.Note', Text: 'b' } }],
    }); // 4, day 2
    await engine.projectorsCaughtUp();
  });

  after(() => engine.stop());

  async function journal(args: Record<string, unknown>) {
    const { rows } = await engine.query({ wsid, query: 'sys.Journal', args });
    const out: { Offset: number; EventTime: number; qname: string }[] = [];
    for await (const row of rows) {
      out.push({
        Offset: row.Offset as number,
        EventTime: row.EventTime as number,
        qname: JSON.parse(String(row.Event)).QName,
      });
    }
    return out;
  }

  it('returns the events between two offsets, inclusive', async () => {
    assert.deepEqual(
      (await journal({ From: 2, Till: 3, EventTypes: 'all' })).map((r) => [r.Offset, r.qname]),
      [
        [2, 'sys.CUD'],
        [3, 'j.Ping'],
      ],
    );
  });

  it('keeps only the listed event types', async () => {
    const rows = await journal({ From: 1, Till: 10, EventTypes: 'sys.CUD' });
    assert.deepEqual(
      rows.map((r) => r.Offset),
      [2, 4],
    );
  });

  it('reads by time through WLogDates', async () => {
    const day0 = Date.UTC(2026, 10, 20);
    const all = await journal({
      From: day0,
      Till: day0 + 3 * DAY - 1,
      EventTypes: 'all',
      RangeUnit: 'UnixTimestamp',
    });
    assert.deepEqual(
      all.map((r) => r.Offset),
      [1, 2, 3, 4],
    );
    assert.equal(all[2]?.EventTime, Date.UTC(2026, 10, 21, 12));
    // As in the reference, WLogDates indexes only events that changed records (not the Ping of
    // day 1), so a range that starts on day 1 begins at day 2's events.
    const later = await journal({
      From: day0 + DAY,
      Till: day0 + 3 * DAY - 1,
      EventTypes: 'all',
      RangeUnit: 'UnixTimestamp',
    });
    assert.deepEqual(
      later.map((r) => [r.Offset, r.qname]),
      [[4, 'sys.CUD']],
    );
  });

  it('refuses a bad range and an unknown unit', async () => {
    await assert.rejects(journal({ From: 5, Till: 1, EventTypes: 'all' }), { status: 400 });
    await assert.rejects(
      journal({ From: 1, Till: 2, EventTypes: 'all', RangeUnit: 'Days' }),
      /RangeUnit/,
    );
  });
});
