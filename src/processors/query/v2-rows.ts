// The API v2 read operators (http-api.md §2.4; the reference's pkg/processors/query2 include, aggregator,
// filter and keys operators) over a stream of result objects, and the view key builder.
//
// Order of work: where → [order, buffered] → skip/limit → include → keys. Include runs after paging rather
// than before it (the reference includes first): the rows that come out are the same — include never
// drops a row — but referenced records are loaded only for the rows that are returned, and ordering by a
// ref field compares IDs instead of failing on included objects. One consequence: a bad include name in
// a request whose rows are all skipped is not reported.

import type { DataKind, FieldDef, StructureDef, ViewDef } from '../../schema/index.js';
import { badRequest } from '../processor-error.js';
import type { ResultObject } from './v1-rows.js';
import type { FieldPath, V2OrderKey, V2ReadParams, WhereClause, WhereValue } from './v2-params.js';
import { compareStrings, compareValues } from './value-order.js';

/** Loads a record by ID for `include`; undefined when there is none. */
export type IncludeRecord = (id: number) => Promise<ResultObject | undefined>;

export interface V2RowsOptions {
  /**
   * Resolves the type an object's `sys.QName` names, so `include` names are checked against its ref fields
   * and containers as the reference does. Without it (or for objects without a known `sys.QName`) a name is
   * accepted when the object has that key.
   */
  readonly typeOf?: (qname: string) => StructureDef | ViewDef | undefined;
}

/** Applies `where`, `order`, `skip`, `limit`, `include` and `keys` to a stream of objects. */
export function v2Rows(
  objects: AsyncIterable<ResultObject>,
  params: V2ReadParams,
  include: IncludeRecord,
  options: V2RowsOptions = {},
): AsyncIterable<ResultObject> {
  // Only the operators a request asks for join the chain: each stage costs every row a hop.
  let rows = objects;
  if (params.where !== undefined && params.where.size > 0) rows = whereFiltered(rows, params.where);
  if (params.order.length > 0) rows = orderedRows(rows, params.order);
  if (params.skip !== 0 || (params.limit ?? 0) !== 0) {
    rows = paged(rows, params.skip, params.limit ?? 0);
  }
  const keys = keysTree(params.keys);
  if (params.include.length > 0 || keys !== undefined) {
    rows = shaped(rows, params, include, options, keys);
  }
  return rows;
}

async function* orderedRows(
  objects: AsyncIterable<ResultObject>,
  order: readonly V2OrderKey[],
): AsyncGenerator<ResultObject> {
  yield* await sorted(objects, order);
}

async function* shaped(
  objects: AsyncIterable<ResultObject>,
  params: V2ReadParams,
  include: IncludeRecord,
  options: V2RowsOptions,
  keys: ReturnType<typeof keysTree>,
): AsyncGenerator<ResultObject> {
  for await (const object of objects) {
    const included =
      params.include.length === 0
        ? object
        : await includeAll(object, params.include, include, options);
    yield keys === undefined ? included : project(included, keys);
  }
}

// ---------------------------------------------------------------------------------------------------------
// where

/**
 * Keeps the objects whose fields equal one of the constraint's values. A constraint on a field the object
 * does not have is not applied: which fields may be constrained is the caller's decision (the reference
 * honours int32 and string result fields only and ignores the others).
 */
async function* whereFiltered(
  objects: AsyncIterable<ResultObject>,
  where: WhereClause,
): AsyncGenerator<ResultObject> {
  for await (const o of objects) {
    if ([...where].every(([f, values]) => !Object.hasOwn(o, f) || isOneOf(o[f], values))) yield o;
  }
}

function isOneOf(v: unknown, values: readonly WhereValue[]): boolean {
  return values.some((w) => sameValue(v, w));
}

/** Equality of a row value and a where value; int64 values may come as bigint. */
function sameValue(v: unknown, w: WhereValue): boolean {
  if (typeof v === 'bigint') return typeof w === 'number' && Number.isInteger(w) && v === BigInt(w);
  return v === w;
}

// ---------------------------------------------------------------------------------------------------------
// order, skip, limit

async function sorted(
  objects: AsyncIterable<ResultObject>,
  order: readonly V2OrderKey[],
): Promise<ResultObject[]> {
  const all: ResultObject[] = [];
  for await (const o of objects) all.push(o);
  // all keys in turn: the reference keeps them in a map and so uses one, picked at random
  return all.sort((a, b) => {
    for (const k of order) {
      const c = compareValues(a[k.field], b[k.field]);
      if (c !== 0) return k.desc ? -c : c;
    }
    return 0;
  });
}

/**
 * Skips `skip` objects, then passes `limit` (0 = all) and stops pulling the source. (The reference returns
 * nothing for `skip` without `limit`: it slices `[skip:skip+0]`; here that means "all after skip".)
 */
async function* paged<T>(
  objects: AsyncIterable<T> | Iterable<T>,
  skip: number,
  limit: number,
): AsyncGenerator<T> {
  let index = 0;
  let passed = 0;
  for await (const o of objects) {
    if (index++ < skip) continue;
    yield o;
    if (limit !== 0 && ++passed >= limit) return;
  }
}

// ---------------------------------------------------------------------------------------------------------
// include

interface IncludeContext {
  readonly load: (id: number) => Promise<ResultObject | undefined>;
  readonly typeOf: V2RowsOptions['typeOf'];
}

async function includeAll(
  object: ResultObject,
  paths: readonly FieldPath[],
  include: IncludeRecord,
  options: V2RowsOptions,
): Promise<ResultObject> {
  if (paths.length === 0) return object;
  // one object often refers to a record from several places: load it once
  const cache = new Map<number, Promise<ResultObject | undefined>>();
  const load = (id: number) => {
    let p = cache.get(id);
    if (p === undefined) {
      p = include(id);
      cache.set(id, p);
    }
    return p;
  };
  const ctx: IncludeContext = { load, typeOf: options.typeOf };
  let out = object;
  for (const path of paths) out = await includePath(out, path, path.join('.'), ctx);
  return out;
}

/** Expands `path` in `parent`; returns a new object when something changed (inputs are never mutated). */
async function includePath(
  parent: ResultObject,
  path: FieldPath,
  expr: string,
  ctx: IncludeContext,
): Promise<ResultObject> {
  const [name, ...rest] = path;
  if (name === undefined) return parent;
  if (!isIncludable(parent, name, ctx)) {
    throw badRequest(`field expression - '${expr}', '${name}' - unexpected field`);
  }
  const value = parent[name];
  const expanded = await expand(value, name, rest, expr, ctx);
  return expanded === value ? parent : { ...parent, [name]: expanded };
}

/**
 * A ref ID becomes the referenced object (an ID with no record stays as it is); an object (already
 * included) or an array (a container's records, or IDs) is descended into; null stays null.
 */
async function expand(
  value: unknown,
  name: string,
  rest: FieldPath,
  expr: string,
  ctx: IncludeContext,
): Promise<unknown> {
  if (value === null || value === undefined) return value;
  if (Array.isArray(value)) return Promise.all(value.map((v) => expand(v, name, rest, expr, ctx)));
  if (isObject(value)) return includePath(value, rest, expr, ctx);
  const id = typeof value === 'bigint' ? Number(value) : value;
  if (typeof id !== 'number') {
    throw badRequest(`field expression - '${expr}', '${name}' - unsupported type`);
  }
  if (!Number.isSafeInteger(id) || id <= 0) return value;
  const record = await ctx.load(id);
  return record === undefined ? value : includePath(record, rest, expr, ctx);
}

function isIncludable(parent: ResultObject, name: string, ctx: IncludeContext): boolean {
  const qname = parent['sys.QName'];
  const type = typeof qname === 'string' ? ctx.typeOf?.(qname) : undefined;
  if (type === undefined) return Object.hasOwn(parent, name);
  if (type.kind === 'ViewRecord') {
    return [...type.partitionKey, ...type.clusteringColumns, ...type.value].some((f) =>
      isRef(f, name),
    );
  }
  return type.fields.some((f) => isRef(f, name)) || type.containers.some((c) => c.name === name);
}

/** A ref field of the type (system IDs such as sys.ID are not refs). */
function isRef(f: FieldDef, name: string): boolean {
  return f.name === name && f.data === 'RecordID' && !f.system;
}

function isObject(v: unknown): v is ResultObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// ---------------------------------------------------------------------------------------------------------
// keys

/** Kept names: `true` keeps the whole value, a subtree keeps those names inside it. */
type KeysTree = ReadonlyMap<string, true | KeysTree>;

function keysTree(paths: readonly FieldPath[]): KeysTree | undefined {
  if (paths.length === 0) return undefined;
  const root = new Map<string, true | Map<string, unknown>>();
  for (const path of paths) addPath(root, path);
  return root as KeysTree;
}

function addPath(tree: Map<string, true | Map<string, unknown>>, path: FieldPath): void {
  const [name, ...rest] = path;
  if (name === undefined) return;
  const node = tree.get(name);
  if (rest.length === 0) {
    tree.set(name, true); // the whole value is kept, whatever was asked inside it
    return;
  }
  if (node === true) return;
  const sub = (node ?? new Map()) as Map<string, true | Map<string, unknown>>;
  tree.set(name, sub);
  addPath(sub, rest);
}

function project(object: ResultObject, tree: KeysTree): ResultObject {
  return Object.fromEntries(
    Object.entries(object)
      .filter(([k]) => tree.has(k))
      .map(([k, v]) => {
        const node = tree.get(k);
        return [k, node === true || node === undefined ? v : projectValue(v, node)];
      }),
  );
}

function projectValue(v: unknown, tree: KeysTree): unknown {
  if (Array.isArray(v)) return v.map((x) => projectValue(x, tree));
  return isObject(v) ? project(v, tree) : v;
}

// ---------------------------------------------------------------------------------------------------------
// view keys

/** One read of a view: the full partition key and a (possibly empty) prefix of the clustering columns. */
export interface ViewKeyFilter {
  readonly partitionKey: Readonly<Record<string, unknown>>;
  readonly clusteringPrefix: Readonly<Record<string, unknown>>;
}

export interface ViewReadKeys {
  /** The reads: the Cartesian product of the key fields' values. */
  readonly keys: readonly ViewKeyFilter[];
  /**
   * The where conditions the keys do not cover — value fields, and clustering columns after the first one
   * `where` leaves out — to check on every row read.
   */
  readonly matches: (row: ResultObject) => boolean;
}

/**
 * Builds the key reads of a v2 view request from `where`. Every partition-key field must be constrained;
 * clustering columns are used left to right up to the first one without a constraint. Each key field may
 * list several values (`$in`); every combination is one read. Values are checked against the fields' kinds
 * (the reference honours int32 and string key fields only and silently ignores the others).
 */
export function viewReadKeys(view: ViewDef, where: WhereClause | undefined): ViewReadKeys {
  if (where === undefined || where.size === 0) throw badRequest('where constraint is empty');
  if (view.partitionKey.some((f) => !where.has(f.name))) {
    throw badRequest('where constraint must specify the partition key');
  }
  const fields = new Map(
    [...view.partitionKey, ...view.clusteringColumns, ...view.value].map((f) => [f.name, f]),
  );
  for (const [name, values] of where) {
    const field = fields.get(name);
    if (field === undefined) throw badRequest(`unexpected field: '${name}'`);
    for (const v of values) checkKind(field, v);
  }
  const prefix = takeWhile(view.clusteringColumns, (f) => where.has(f.name));
  const keyFields = [...view.partitionKey, ...prefix];
  const combinations = product(keyFields.map((f) => where.get(f.name) ?? []));
  const pkCount = view.partitionKey.length;
  const keys = combinations.map((values) => ({
    partitionKey: Object.fromEntries(
      values.slice(0, pkCount).map((v, i) => [keyFields[i]?.name, v]),
    ),
    clusteringPrefix: Object.fromEntries(
      values.slice(pkCount).map((v, i) => [keyFields[pkCount + i]?.name, v]),
    ),
  }));
  const used = new Set(keyFields.map((f) => f.name));
  const rest = [...where].filter(([name]) => !used.has(name));
  return { keys, matches: (row) => rest.every(([f, values]) => isOneOf(row[f], values)) };
}

function takeWhile<T>(items: readonly T[], ok: (t: T) => boolean): T[] {
  const i = items.findIndex((t) => !ok(t));
  return i < 0 ? [...items] : items.slice(0, i);
}

function product(lists: readonly (readonly WhereValue[])[]): WhereValue[][] {
  return lists.reduce<WhereValue[][]>(
    (acc, list) => acc.flatMap((combo) => list.map((v) => [...combo, v])),
    [[]],
  );
}

const INT_RANGES: Partial<Record<DataKind, readonly [number, number]>> = {
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-2147483648, 2147483647],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  RecordID: [0, Number.MAX_SAFE_INTEGER],
};

const FLOAT32_MAX = 3.4028234663852886e38;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** A where value must be a value of the field's kind: a 400 naming the field otherwise. */
function checkKind(field: FieldDef, v: WhereValue): void {
  const problem = kindProblem(field.data, v);
  if (problem !== undefined) {
    throw badRequest(`where constraint on '${field.name}': ${JSON.stringify(v)} ${problem}`);
  }
}

function kindProblem(kind: DataKind, v: WhereValue): string | undefined {
  const range = INT_RANGES[kind];
  if (range !== undefined) {
    if (typeof v !== 'number' || !Number.isInteger(v)) return `is not an integer (${kind})`;
    // int64 beyond 2^53 cannot be told apart once parsed as a JSON number: refuse rather than misread
    return v < range[0] || v > range[1] ? `is out of the ${kind} range` : undefined;
  }
  switch (kind) {
    case 'float32':
      return typeof v === 'number' && Math.abs(v) <= FLOAT32_MAX ? undefined : 'is not a float32';
    case 'float64':
      return typeof v === 'number' ? undefined : 'is not a float64';
    case 'string':
    case 'QName':
      return typeof v === 'string'
        ? undefined
        : `is not a ${kind === 'string' ? 'string' : 'QName'}`;
    case 'bytes':
      return typeof v === 'string' && BASE64.test(v) ? undefined : 'is not base64 bytes';
    case 'bool':
      return typeof v === 'boolean' ? undefined : 'is not a boolean';
    default:
      return `cannot be compared with a ${kind} field`;
  }
}
