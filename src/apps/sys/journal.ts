// q.sys.Journal: the workspace's events between two offsets, or between two times through the
// WLogDates index (http-api.md §3.10).
import type { QueryFunction } from '../../extensions/index.js';
import { badRequest } from '../../processors/processor-error.js';
import type { AppDef } from '../../schema/index.js';
import type { DbEvent } from '../../structs/index.js';
import { eventMap, goJson } from './sql-query.js';

const DAY_MS = 86_400_000;

/**
 * `RangeUnit` is `Offset` (the default: From and Till are WLog offsets, inclusive) or
 * `UnixTimestamp` (From and Till are milliseconds; the days between them are looked up in
 * `IndexForTimestamps`, sys.WLogDates by default). `EventTypes` is `all` or a comma list of the
 * QNames of the events (commands) to return.
 */
export function journal(app: AppDef): QueryFunction {
  return async (ctx) => {
    const a = ctx.args ?? {};
    const from = Number(a.From);
    const till = Number(a.Till);
    if (!Number.isSafeInteger(from) || !Number.isSafeInteger(till) || from < 0 || till < from) {
      throw badRequest('From and Till must be integers with 0 <= From <= Till');
    }
    const types = String(a.EventTypes ?? 'all').trim();
    const wanted =
      types === '' || types === 'all' ? undefined : new Set(types.split(',').map((t) => t.trim()));
    const unit = String(a.RangeUnit ?? 'Offset') || 'Offset';
    let first = from;
    let last = till;
    let byTime = false;
    if (unit === 'UnixTimestamp') {
      const index = String(a.IndexForTimestamps ?? '') || 'sys.WLogDates';
      if (index !== 'sys.WLogDates') throw badRequest(`IndexForTimestamps: unknown index ${index}`);
      const range = await offsetsBetween(ctx, from, till);
      if (range === undefined) return;
      [first, last] = range;
      byTime = true;
    } else if (unit !== 'Offset') {
      throw badRequest(`RangeUnit must be Offset or UnixTimestamp, got ${unit}`);
    }
    const include = (e: DbEvent) =>
      (wanted === undefined || wanted.has(e.qname)) &&
      (!byTime || (e.registeredAt >= from && e.registeredAt <= till));
    for await (const e of ctx.wlog.read(Math.max(1, first), last - Math.max(1, first) + 1)) {
      if (!include(e)) continue;
      await ctx.emit({
        Offset: e.wlogOffset,
        EventTime: e.registeredAt,
        Event: goJson(eventMap(app, e)),
      });
    }
  };
}

/** The first and last WLog offsets of the days from `fromMs` to `tillMs` (UTC), from WLogDates. */
async function offsetsBetween(
  ctx: Parameters<QueryFunction>[0],
  fromMs: number,
  tillMs: number,
): Promise<[number, number] | undefined> {
  let first = Number.POSITIVE_INFINITY;
  let last = 0;
  for (let day = Math.floor(fromMs / DAY_MS); day <= Math.floor(tillMs / DAY_MS); day++) {
    const d = new Date(day * DAY_MS);
    const year = d.getUTCFullYear();
    const dayOfYear = Math.floor((day * DAY_MS - Date.UTC(year, 0, 1)) / DAY_MS) + 1;
    const row = await ctx.views.get('sys.WLogDates', { Year: year, DayOfYear: dayOfYear });
    if (row === undefined) continue;
    first = Math.min(first, Number(row.FirstOffset));
    last = Math.max(last, Number(row.LastOffset));
  }
  return last === 0 ? undefined : [first, last];
}
