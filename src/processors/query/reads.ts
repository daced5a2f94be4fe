// The read entry points of API v1 and v2 (core.md §5): v1 queries with their rows pipeline; v2
// queries, documents by ID, CDoc collections and views, each streamed through the v2 operators.
import { recordValue } from '../../extensions/index.js';
import type { RecordRow } from '../../structs/index.js';
import { jsonValue } from '../command/field-values.js';
import type { Deployment } from '../deployment.js';
import { badRequest, notFound, ProcessorError } from '../processor-error.js';
import { checkWorkspace, executeQuery } from './query-processor.js';
import { parseV1QueryParams } from './v1-params.js';
import { type ResultObject, v1Rows } from './v1-rows.js';
import type { V2ReadParams } from './v2-params.js';
import { v2Rows, viewReadKeys } from './v2-rows.js';

const V1_BODY_KEYS = new Set(['args', 'elements', 'filters', 'orderBy', 'count', 'startFrom']);

/** A record as API reads render it: set fields plus the system fields; bytes as base64. */
export function recordJson(d: Deployment, r: RecordRow): ResultObject {
  const kind = d.app.structure(r.qname)?.kind;
  const out: Record<string, unknown> = {};
  const withActive = kind !== 'ODoc' && kind !== 'ORecord';
  for (const [k, v] of Object.entries(recordValue(r, withActive))) out[k] = jsonValue(v);
  return out;
}

function enrichment(d: Deployment, wsid: number) {
  return async (id: number) => {
    const r = await d.structs.getRecord(wsid, id);
    return r === undefined ? undefined : recordJson(d, r);
  };
}

/** API v1 `q.pkg.Query`: the body's `args` and rows operators; rows as arrays per element. */
export async function queryV1(
  d: Deployment,
  req: {
    readonly wsid: number;
    readonly query: string;
    readonly body: Record<string, unknown>;
    readonly system?: boolean;
  },
): Promise<{ rows: AsyncIterable<unknown[]> }> {
  const unexpected = Object.keys(req.body)
    .filter((k) => !V1_BODY_KEYS.has(k))
    .sort();
  if (unexpected.length > 0) throw badRequest(`unexpected field(s): ${unexpected.join(', ')}`);
  const q = d.app.type(req.query);
  if (q?.kind !== 'Query') throw badRequest(`query ${req.query} is not defined`);
  const resultType = q.result === null ? null : (d.app.structure(q.result) ?? null);
  const params = parseV1QueryParams(req.body, resultType, (n) => d.app.structure(n));
  const { rows } = await executeQuery(d, {
    wsid: req.wsid,
    query: req.query,
    args: req.body.args,
    ...(req.system === undefined ? {} : { system: req.system }),
  });
  return { rows: v1Rows(jsonRows(rows), params, enrichment(d, req.wsid)) };
}

async function* jsonRows(rows: AsyncIterable<ResultObject>): AsyncIterable<ResultObject> {
  for await (const row of rows) yield jsonObject(row);
}

function jsonObject(row: ResultObject): ResultObject {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    out[k] = Array.isArray(v)
      ? v.map((x) =>
          typeof x === 'object' && x !== null && !(x instanceof Uint8Array)
            ? jsonObject(x as ResultObject)
            : jsonValue(x),
        )
      : jsonValue(v);
  }
  return out;
}

/** API v2 query: args from the query string, rows through the v2 operators, `sys.*` fields left out. */
export async function queryV2(
  d: Deployment,
  req: {
    readonly wsid: number;
    readonly query: string;
    readonly params: V2ReadParams;
    readonly system?: boolean;
  },
): Promise<{ rows: AsyncIterable<ResultObject> }> {
  const { rows } = await executeQuery(d, {
    wsid: req.wsid,
    query: req.query,
    args: req.params.args,
    ...(req.system === undefined ? {} : { system: req.system }),
  });
  return {
    rows: v2Rows(
      withoutSysFields(jsonRows(rows)),
      req.params,
      enrichment(d, req.wsid),
      typeLookup(d),
    ),
  };
}

async function* withoutSysFields(rows: AsyncIterable<ResultObject>): AsyncIterable<ResultObject> {
  for await (const row of rows) {
    yield Object.fromEntries(Object.entries(row).filter(([k]) => !k.startsWith('sys.')));
  }
}

function typeLookup(d: Deployment) {
  return {
    typeOf: (qname: string) => {
      const t = d.app.type(qname);
      return t?.kind === 'ViewRecord' ? t : d.app.structure(qname);
    },
  };
}

/** API v2 GET of one document or record (singletons by ID 0). */
export async function readDoc(
  d: Deployment,
  req: {
    readonly wsid: number;
    readonly qname: string;
    readonly id: number;
    /** `keys` and `include` apply to the document; the list operators have nothing to do. */
    readonly params?: V2ReadParams;
    readonly system?: boolean;
  },
): Promise<ResultObject> {
  const wsKind = await checkWorkspace(d, req.wsid, req.system === true);
  const t = d.app.workspaceType(wsKind, req.qname);
  const type = t === undefined ? undefined : d.app.structure(req.qname);
  if (type === undefined || type.kind === 'Object') {
    throw badRequest(`document or record ${req.qname} is not defined in Workspace «${wsKind}»`);
  }
  let id = req.id;
  if (type.singleton) {
    if (id !== 0) throw badRequest(`document ${req.qname} is singleton. DocID must be 0`);
    id = d.structs.names.singletonId(req.qname) ?? 0;
  }
  let row: RecordRow | undefined;
  if (type.kind === 'ODoc' || type.kind === 'ORecord')
    row = await d.structs.getORecord(req.wsid, id);
  else row = id === 0 ? undefined : await d.structs.getRecord(req.wsid, id);
  if (row === undefined) {
    const what = type.kind.endsWith('Doc') ? 'document' : 'record';
    throw notFound(`${what} ${req.qname} with ID ${req.id} not found`);
  }
  const doc = recordJson(d, row);
  const p = req.params;
  if (p === undefined || (p.keys.length === 0 && p.include.length === 0)) return doc;
  const one = { ...p, where: undefined, order: [], skip: 0, limit: undefined };
  for await (const shaped of v2Rows(single(doc), one, enrichment(d, req.wsid), typeLookup(d))) {
    return shaped;
  }
  return doc;
}

async function* single(doc: ResultObject): AsyncIterable<ResultObject> {
  yield doc;
}

/** API v2 list of the records of a CDoc QName (active and inactive), from CollectionView. */
export async function readCDocs(
  d: Deployment,
  req: {
    readonly wsid: number;
    readonly qname: string;
    readonly params: V2ReadParams;
    readonly system?: boolean;
  },
): Promise<{ rows: AsyncIterable<ResultObject> }> {
  const wsKind = await checkWorkspace(d, req.wsid, req.system === true);
  const type = d.app.workspaceType(wsKind, req.qname);
  if (type?.kind !== 'CDoc')
    throw badRequest(`${req.qname} is not a CDoc in Workspace «${wsKind}»`);
  const { structs } = d;
  async function* docs(): AsyncIterable<ResultObject> {
    for await (const row of structs.readView(req.wsid, structs.view('sys.CollectionView'), {
      PartKey: 1,
      DocQName: req.qname,
    })) {
      const r = row.Record as RecordRow;
      if (r.parentId === 0) yield recordJson(d, r);
    }
  }
  const params = { ...req.params, where: undefined };
  return { rows: v2Rows(docs(), params, enrichment(d, req.wsid), typeLookup(d)) };
}

/** API v2 view read: keys from `where`, every partition key field required. */
export async function readView(
  d: Deployment,
  req: {
    readonly wsid: number;
    readonly view: string;
    readonly params: V2ReadParams;
    readonly system?: boolean;
  },
): Promise<{ rows: AsyncIterable<ResultObject> }> {
  const wsKind = await checkWorkspace(d, req.wsid, req.system === true);
  const t = d.app.workspaceType(wsKind, req.view);
  if (t?.kind !== 'ViewRecord') {
    throw new ProcessorError(400, `view ${req.view} is not defined in Workspace «${wsKind}»`);
  }
  const view = t;
  const fields = [...view.partitionKey, ...view.clusteringColumns, ...view.value];
  const { keys, matches } = viewReadKeys(view, req.params.where);
  const { structs } = d;
  async function* rows(): AsyncIterable<ResultObject> {
    for (const key of keys) {
      for await (const row of structs.readView(req.wsid, view, {
        ...key.partitionKey,
        ...key.clusteringPrefix,
      })) {
        const json: Record<string, unknown> = {};
        for (const f of fields) {
          if (f.name === 'sys.QName') continue;
          const v = row[f.name];
          json[f.name] =
            v === undefined
              ? zeroOf(f.data)
              : f.data === 'Record'
                ? recordJson(d, v as RecordRow)
                : jsonValue(v);
        }
        json['sys.QName'] = req.view;
        if (matches(json)) yield json;
      }
    }
  }
  return {
    rows: v2Rows(
      rows(),
      { ...req.params, where: undefined },
      enrichment(d, req.wsid),
      typeLookup(d),
    ),
  };
}

function zeroOf(kind: string): unknown {
  switch (kind) {
    case 'string':
    case 'QName':
      return '';
    case 'bool':
      return false;
    case 'bytes':
      return '';
    default:
      return 0;
  }
}
