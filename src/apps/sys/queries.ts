// The built-in queries clients use (http-api.md §3.10): diagnostics, collections of documents,
// one document, the state after an offset, the journal.
import type { QueryContext, QueryFunction, RecordValue } from '../../extensions/index.js';
import { appendChild, recordValue } from '../../extensions/index.js';
import { jsonValue } from '../../processors/command/field-values.js';
import { badRequest, notFound } from '../../processors/processor-error.js';
import type { AppDef } from '../../schema/index.js';
import type { RecordRow } from '../../structs/index.js';

export const echo: QueryFunction = (ctx) => ctx.emit({ Res: String(ctx.args?.Text ?? '') });

/** There are no goroutines here; the count of active handles is the nearest equivalent. */
export const grCount: QueryFunction = (ctx) =>
  ctx.emit({ NumGoroutines: process.getActiveResourcesInfo().length });

export const modules: QueryFunction = (ctx) =>
  ctx.emit({ Modules: `voedger-ts node ${process.version}` });

/** A record with its nested records under their container names, as JSON-ready values. */
function recordJson(r: RecordRow, children: Map<number, RecordRow[]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(recordValue(r))) out[k] = jsonValue(v);
  for (const child of children.get(r.id) ?? []) {
    appendChild(out, child.container, recordJson(child, children));
  }
  return out;
}

/** The documents of a CDoc QName (or one by ID), each with its nested records, in ID order. */
async function* documents(
  ctx: QueryContext,
  docQName: string,
  docId?: number,
): AsyncIterable<Record<string, unknown>> {
  let current: RecordRow[] = [];
  const flush = () => {
    const doc = current.find((r) => r.parentId === 0);
    const children = new Map<number, RecordRow[]>();
    for (const r of current) {
      if (r.parentId === 0) continue;
      const list = children.get(r.parentId) ?? [];
      list.push(r);
      children.set(r.parentId, list);
    }
    current = [];
    return doc === undefined ? undefined : recordJson(doc, children);
  };
  const key = { PartKey: 1, DocQName: docQName, ...(docId === undefined ? {} : { DocID: docId }) };
  let currentDoc = -1;
  for await (const row of ctx.views.read('sys.CollectionView', key)) {
    const id = Number(row.DocID);
    if (id !== currentDoc && current.length > 0) {
      const doc = flush();
      if (doc !== undefined) yield doc;
    }
    currentDoc = id;
    current.push(row.Record as RecordRow);
  }
  const doc = flush();
  if (doc !== undefined) yield doc;
}

export function collection(app: AppDef): QueryFunction {
  return async (ctx) => {
    const schema = String(ctx.args?.Schema ?? '');
    const t = app.structure(schema);
    if (t?.kind !== 'CDoc') throw badRequest(`Schema: ${schema} is not a CDoc`);
    const id = ctx.args?.ID === undefined ? undefined : Number(ctx.args.ID);
    for await (const doc of documents(ctx, schema, id === 0 ? undefined : id)) await ctx.emit(doc);
  };
}

export const getCDoc: QueryFunction = async (ctx) => {
  const id = Number(ctx.args?.ID);
  const rec: RecordValue | undefined = await ctx.records.get(id);
  if (rec === undefined || rec['sys.ParentID'] !== undefined) {
    throw notFound(`document with ID ${id} not found`);
  }
  for await (const doc of documents(ctx, String(rec['sys.QName']), id)) {
    await ctx.emit({ Result: JSON.stringify(doc) });
    return;
  }
  throw badRequest(`record ${id} is not a C document`);
};

/** The C records changed after an offset, as `{QName: {ID: fields}}`. */
export const state: QueryFunction = async (ctx) => {
  const after = Number(ctx.args?.After ?? 0);
  const out: Record<string, Record<string, Record<string, unknown>>> = {};
  let max = 0;
  for await (const row of ctx.views.read('sys.CollectionView', { PartKey: 1 })) {
    const offs = Number(row.offs);
    if (offs <= after) continue;
    max = Math.max(max, offs);
    const r = row.Record as RecordRow;
    const fields: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(recordValue(r))) fields[k] = jsonValue(v);
    const byId = out[r.qname] ?? {};
    byId[String(r.id)] = fields;
    out[r.qname] = byId;
  }
  await ctx.emit({ State: JSON.stringify(out), MaxRelevantOffset: max });
};
