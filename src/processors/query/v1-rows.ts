// The v1 rows pipeline (core.md §5.1): every object a query function emits becomes one output row, through
// the reference's operators in their order — ResultFields → Enrichment → Filter → Order → Counter — as an
// async stream. Only Order buffers (it has to see every row); otherwise one object is pulled, processed
// and emitted at a time, and the source is not pulled again once `count` rows are out.

import type { DataKind } from '../../schema/index.js';
import type { V1Element, V1Filter, V1FilterValue, V1OrderBy, V1QueryParams } from './v1-params.js';
import { compareStrings, compareValues } from './value-order.js';

/** A result object: field name → value, nested container records as arrays under the container name. */
export type ResultObject = { readonly [field: string]: unknown };

/** Loads a record by ID for enrichment; undefined when there is none. */
export type EnrichRecord = (id: number) => Promise<ResultObject | undefined>;

/** One output row: per element (in `elements` order) its sub-rows; a sub-row is fields then refs values. */
type Row = unknown[][][];

/**
 * Turns the objects of a query function into v1 output rows. Each row is an array indexed by element; each
 * entry is the element's sub-rows (the root has exactly one); each sub-row holds the element's `fields`
 * values in order, then its `refs` values. With no `elements` every row is `[]`: the reference sizes the
 * row by the elements and sends it as is, so a query asked for no elements yields empty rows (its count
 * still tells how many objects there were).
 */
export function v1Rows(
  objects: AsyncIterable<ResultObject>,
  params: V1QueryParams,
  enrich: EnrichRecord,
): AsyncIterable<unknown[]> {
  // Only the operators a request asks for join the chain: each stage costs every row a hop.
  let rows: AsyncIterable<Row> = enrichedRows(objects, params.elements, enrich);
  if (params.filters.length > 0) rows = filterRows(rows, params);
  if (params.orderBy.length > 0) rows = orderedRows(rows, params);
  if (params.count !== 0 || params.startFrom !== 0) {
    rows = counted(rows, params.startFrom, params.count);
  }
  return rows;
}

async function* orderedRows(rows: AsyncIterable<Row>, params: V1QueryParams): AsyncGenerator<Row> {
  yield* await sortRows(rows, params);
}

// ---------------------------------------------------------------------------------------------------------
// ResultFields and Enrichment

async function* enrichedRows(
  objects: AsyncIterable<ResultObject>,
  elements: readonly V1Element[],
  enrich: EnrichRecord,
): AsyncGenerator<Row> {
  const withRefs = elements.some((e) => e.refs.length > 0);
  for await (const object of objects) {
    const row = elements.map((e) => descendants(object, e.containers).map((o) => subRow(o, e)));
    if (withRefs) await enrichRow(row, elements, enrich);
    yield row;
  }
}

/** The object itself for the root, else every record along the container path, depth first. */
function descendants(object: ResultObject, containers: readonly string[]): ResultObject[] {
  const [first, ...rest] = containers;
  if (first === undefined) return [object];
  const children = object[first];
  if (!Array.isArray(children)) return [];
  return children.filter(isResultObject).flatMap((c) => descendants(c, rest));
}

/** Field values, then the ref fields' IDs (Enrichment replaces them by the targets' values). */
function subRow(object: ResultObject, element: V1Element): unknown[] {
  const values = element.fields.map((f) => fieldValue(object, f, element.fieldKinds.get(f)));
  for (const r of element.refs) values.push(object[r.field]);
  return values;
}

async function enrichRow(
  row: Row,
  elements: readonly V1Element[],
  enrich: EnrichRecord,
): Promise<void> {
  // a row often refers to one record from several places (e.g. the same department twice): load it once
  const cache = new Map<number, Promise<ResultObject | undefined>>();
  const load = (id: number) => {
    let p = cache.get(id);
    if (p === undefined) {
      p = enrich(id);
      cache.set(id, p);
    }
    return p;
  };
  const tasks: Promise<void>[] = [];
  elements.forEach((element, i) => {
    for (const values of row[i] ?? []) {
      element.refs.forEach((ref, j) => {
        const at = element.fields.length + j;
        const id = recordId(values[at]);
        if (id === undefined) {
          values[at] = null;
          return;
        }
        tasks.push(
          load(id).then((record) => {
            values[at] = record === undefined ? null : fieldValue(record, ref.target, ref.kind);
          }),
        );
      });
    }
  });
  await Promise.all(tasks);
}

/** A usable record ID, or undefined for a null reference (0, absent) or a value that is no ID. */
function recordId(v: unknown): number | undefined {
  const id = typeof v === 'bigint' ? Number(v) : v;
  return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

/**
 * A field's value; an absent field reads as its kind's zero value, as the reference's `ReadByKind` reads
 * unset fields (null when the kind is not known, and for bytes: Go's nil slice).
 */
function fieldValue(object: ResultObject, field: string, kind: DataKind | undefined): unknown {
  const v = object[field];
  if (v !== undefined) return v;
  return kind === undefined ? null : ZERO[kind];
}

const ZERO: Readonly<Record<DataKind, unknown>> = {
  int8: 0,
  int16: 0,
  int32: 0,
  int64: 0,
  float32: 0,
  float64: 0,
  RecordID: 0,
  bytes: null,
  string: '',
  QName: '.',
  bool: false,
  Record: null,
  Event: null,
};

function isResultObject(v: unknown): v is ResultObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// ---------------------------------------------------------------------------------------------------------
// Filter

/** Reads named values of the root sub-row with their kinds; filters and orderBy see only the root. */
interface RootReader {
  value(row: Row, name: string): unknown;
  kind(name: string): DataKind | undefined;
}

function rootReader(elements: readonly V1Element[]): RootReader {
  const i = elements.findIndex((e) => e.path === '');
  const root = elements[i];
  const index = new Map<string, number>();
  const kinds = new Map<string, DataKind>(root?.fieldKinds ?? []);
  root?.fields.forEach((f, j) => {
    if (!index.has(f)) index.set(f, j);
  });
  root?.refs.forEach((r, j) => {
    if (!index.has(r.key)) index.set(r.key, root.fields.length + j);
    if (r.kind !== undefined) kinds.set(r.key, r.kind);
  });
  return {
    value: (row, name) => {
      const at = index.get(name);
      return at === undefined ? undefined : row[i]?.[0]?.[at];
    },
    kind: (name) => kinds.get(name),
  };
}

async function* filterRows(rows: AsyncIterable<Row>, params: V1QueryParams): AsyncGenerator<Row> {
  const reader = rootReader(params.elements);
  for await (const row of rows) {
    if (params.filters.every((f) => matches(f, row, reader))) yield row;
  }
}

function matches(f: V1Filter, row: Row, reader: RootReader): boolean {
  switch (f.expr) {
    case 'and':
      return f.filters.every((x) => matches(x, row, reader));
    case 'or':
      return f.filters.some((x) => matches(x, row, reader));
    case 'eq':
    case 'notEq': {
      const eq = equals(reader.value(row, f.field), f.value, reader.kind(f.field), f.epsilon);
      // values that cannot be compared (null, another type, an unsupported kind) match neither
      return eq === undefined ? false : eq === (f.expr === 'eq');
    }
    case 'gt':
    case 'lt': {
      const c = compareTo(reader.value(row, f.field), f.value, reader.kind(f.field));
      return c === undefined ? false : f.expr === 'gt' ? c > 0 : c < 0;
    }
  }
}

const INT_KINDS: ReadonlySet<DataKind> = new Set(['int8', 'int16', 'int32', 'int64', 'RecordID']);
const FLOAT_KINDS: ReadonlySet<DataKind> = new Set(['float32', 'float64']);

/** Equality as the reference's eq filter; undefined when the value cannot be compared. */
function equals(
  actual: unknown,
  expected: V1FilterValue,
  kind: DataKind | undefined,
  epsilon: number,
): boolean | undefined {
  if (typeof expected === 'number') {
    const a = numeric(actual);
    if (a === undefined || !(kind === undefined || INT_KINDS.has(kind) || FLOAT_KINDS.has(kind))) {
      return undefined;
    }
    // integer kinds compare with the filter value truncated, as Go's int32(float64) conversion does
    if (kind !== undefined && INT_KINDS.has(kind)) return a === Math.trunc(expected);
    return nearlyEqual(expected, a, epsilon);
  }
  if (typeof expected === 'string') {
    if (typeof actual !== 'string' || !(kind === undefined || kind === 'string')) return undefined;
    return actual === expected;
  }
  if (typeof actual !== 'boolean' || !(kind === undefined || kind === 'bool')) return undefined;
  return actual === expected;
}

/** The sign of actual − expected for gt/lt; undefined when the value cannot be compared. */
function compareTo(
  actual: unknown,
  expected: number | string,
  kind: DataKind | undefined,
): number | undefined {
  if (typeof expected === 'string') {
    if (typeof actual !== 'string' || !(kind === undefined || kind === 'string')) return undefined;
    return compareStrings(actual, expected);
  }
  const a = numeric(actual);
  if (a === undefined || !(kind === undefined || INT_KINDS.has(kind) || FLOAT_KINDS.has(kind))) {
    return undefined;
  }
  const e =
    kind === 'float32'
      ? Math.fround(expected)
      : kind !== undefined && INT_KINDS.has(kind)
        ? Math.trunc(expected)
        : expected;
  return Math.sign(a - e);
}

function numeric(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  return typeof v === 'bigint' ? Number(v) : undefined;
}

/** The smallest positive normal float64 (Go's 0x1.0p-1022). */
const MIN_NORMAL = 2.2250738585072014e-308;

/** The reference's float comparison (https://floating-point-gui.de/errors/NearlyEqualsTest.java). */
function nearlyEqual(a: number, b: number, epsilon: number): boolean {
  if (a === b) return true;
  const diff = Math.abs(a - b);
  if (a === 0 || b === 0 || diff < MIN_NORMAL) return diff < epsilon * MIN_NORMAL;
  return diff / (Math.abs(a) + Math.abs(b)) < epsilon;
}

// ---------------------------------------------------------------------------------------------------------
// Order and Counter

async function sortRows(rows: AsyncIterable<Row>, params: V1QueryParams): Promise<Row[]> {
  const reader = rootReader(params.elements);
  const all: Row[] = [];
  for await (const row of rows) all.push(row);
  return all.sort((a, b) => compareRows(a, b, params.orderBy, reader));
}

function compareRows(a: Row, b: Row, orderBy: readonly V1OrderBy[], reader: RootReader): number {
  for (const o of orderBy) {
    const c = compareValues(reader.value(a, o.field), reader.value(b, o.field));
    if (c !== 0) return o.desc ? -c : c;
  }
  return 0;
}

/** Skips `startFrom` rows, then passes `count` (0 = all) and stops pulling the source. */
async function* counted(
  rows: AsyncIterable<Row> | Iterable<Row>,
  startFrom: number,
  count: number,
): AsyncGenerator<Row> {
  let index = 0;
  let emitted = 0;
  for await (const row of rows) {
    if (index++ < startFrom) continue;
    yield row;
    if (count !== 0 && ++emitted >= count) return;
  }
}
