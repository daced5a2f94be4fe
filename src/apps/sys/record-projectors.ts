// The sync projectors that index records (core.md §7): RecordsRegistry (ID -> where it was
// created), Uniques (claimed unique values) and CollectionView (every C record by document).

import type { ProjectorFunction } from '../../extensions/index.js';
import { uniquesOf, uniqueViewKey } from '../../processors/command/uniques.js';
import type { AppDef } from '../../schema/index.js';
import { RECORDS_REGISTRY, recordsRegistryKey } from '../../structs/index.js';

/**
 * Indexes the IDs of O documents and records, which live only inside their events. Unlike the
 * reference it does not index C and W records: the records table already answers "does this ID
 * exist, and what is its QName" for them, and skipping them saves a row per record written.
 */
export const recordsRegistryProjector: ProjectorFunction = (ctx) => {
  const e = ctx.event;
  const put = (id: number, qname: string) =>
    ctx.views.put(RECORDS_REGISTRY, {
      ...recordsRegistryKey(id),
      WLogOffset: e.wlogOffset,
      QName: qname,
    });
  const visit = (n: Record<string, unknown>) => {
    if (typeof n['sys.ID'] === 'number') put(n['sys.ID'] as number, String(n['sys.QName']));
    for (const v of Object.values(n)) {
      if (Array.isArray(v)) for (const child of v) visit(child as Record<string, unknown>);
    }
  };
  if (e.args !== undefined) visit(e.args as Record<string, unknown>);
};

/**
 * Claims the unique values of new records, frees them on deactivation and claims them again on
 * activation. The command processor has already refused values that an active record holds.
 */
export function applyUniques(app: AppDef): ProjectorFunction {
  return (ctx) => {
    for (const c of ctx.event.cuds) {
      const t = app.structure(c.record.qname);
      if (t === undefined) continue;
      const claim = c.isNew || c.activation === 'activated';
      if (!claim && c.activation !== 'deactivated') continue;
      for (const u of uniquesOf(t)) {
        const key = uniqueViewKey(t, u, c.record.fields);
        if (key === undefined) continue;
        ctx.views.put('sys.Uniques', { ...key, ID: claim ? c.record.id : 0 });
      }
    }
  };
}

/** CollectionView: each C record under its document, with the offset of its last change. */
export function projectorCollection(app: AppDef): ProjectorFunction {
  return async (ctx) => {
    for (const c of ctx.event.cuds) {
      const kind = app.structure(c.record.qname)?.kind;
      if (kind !== 'CDoc' && kind !== 'CRecord') continue;
      // A nested record's document is found by walking up its parents.
      let docQName = c.record.qname;
      let docId = c.record.id;
      let parentId = c.record.parentId;
      while (parentId !== 0) {
        const inEvent = ctx.event.cuds.find((x) => x.record.id === parentId)?.record;
        if (inEvent !== undefined) {
          ({ qname: docQName, id: docId, parentId } = inEvent);
          continue;
        }
        const stored = await ctx.records.get(parentId);
        if (stored === undefined) break;
        docQName = String(stored['sys.QName']);
        docId = Number(stored['sys.ID']);
        parentId = Number(stored['sys.ParentID'] ?? 0);
      }
      ctx.views.put('sys.CollectionView', {
        PartKey: 1,
        DocQName: docQName,
        DocID: docId,
        ElementID: c.record.id,
        Record: c.record,
        offs: ctx.event.wlogOffset,
      });
    }
  };
}

/** WLogDates: the first and last WLog offsets of each day (UTC). */
export const projectorWLogDates: ProjectorFunction = async (ctx) => {
  const d = new Date(ctx.event.registeredAt);
  const year = d.getUTCFullYear();
  const dayOfYear =
    Math.floor(
      (Date.UTC(year, d.getUTCMonth(), d.getUTCDate()) - Date.UTC(year, 0, 1)) / 86_400_000,
    ) + 1;
  const key = { Year: year, DayOfYear: dayOfYear };
  const existing = await ctx.views.get('sys.WLogDates', key);
  const offset = ctx.event.wlogOffset;
  ctx.views.put('sys.WLogDates', {
    ...key,
    FirstOffset: existing === undefined ? offset : Math.min(Number(existing.FirstOffset), offset),
    LastOffset: existing === undefined ? offset : Math.max(Number(existing.LastOffset), offset),
  });
};
