// The v1 query body's rows parameters (`elements`, `filters`, `orderBy`, `count`, `startFrom`), parsed and
// checked against the query's result type as the reference's `newQueryParams` does
// (pkg/processors/query/query-params-impl.go and the element/filter/orderBy factories). Error messages
// keep the reference's wording, with its typos and doubled prefixes fixed; every one is a 400.
// Other body keys (`args`, unexpected keys) are the caller's business.
import type { DataKind, FieldDef, StructureDef } from '../../schema/index.js';
import { badRequest } from '../processor-error.js';

/** `[refField, targetField]` of an element: the target's value is emitted under `key`. */
export interface V1RefField {
  readonly field: string;
  readonly target: string;
  /** `refField/targetField`: the name filters and orderBy use for the enriched value. */
  readonly key: string;
  /** The target field's kind when every type the ref field may point to agrees on it; else undefined. */
  readonly kind: DataKind | undefined;
}

export interface V1Element {
  /** `""` for the root, else container names joined with `/`. */
  readonly path: string;
  /** The container names of the path; empty for the root. */
  readonly containers: readonly string[];
  readonly fields: readonly string[];
  readonly refs: readonly V1RefField[];
  /** Kinds of `fields` on the element's type (empty when the result type is not known). */
  readonly fieldKinds: ReadonlyMap<string, DataKind>;
}

export type V1Filter =
  | {
      readonly expr: 'eq' | 'notEq';
      readonly field: string;
      readonly value: V1FilterValue;
      readonly epsilon: number;
    }
  | { readonly expr: 'gt' | 'lt'; readonly field: string; readonly value: number | string }
  | { readonly expr: 'and' | 'or'; readonly filters: readonly V1Filter[] };

export type V1FilterValue = number | string | boolean;

export interface V1OrderBy {
  readonly field: string;
  readonly desc: boolean;
}

export interface V1QueryParams {
  readonly elements: readonly V1Element[];
  readonly filters: readonly V1Filter[];
  readonly orderBy: readonly V1OrderBy[];
  /** Rows to emit after `startFrom`; 0 = unlimited. */
  readonly count: number;
  readonly startFrom: number;
}

type Lookup = (qname: string) => StructureDef | undefined;
type Json = Record<string, unknown>;

const FILTER_EXPRS = ['eq', 'notEq', 'gt', 'lt', 'and', 'or'] as const;

/**
 * Parses and validates the rows parameters of a v1 query body. `resultType` is the query's result type,
 * or null when it is not known (`RETURNS any` before the function picks one): then fields and nested
 * paths are not checked against a type. `lookup` resolves container and ref target types.
 */
export function parseV1QueryParams(
  body: Record<string, unknown>,
  resultType: StructureDef | null,
  lookup: Lookup,
): V1QueryParams {
  // the reference's order of checks: the shape of everything, then unique paths, then the types
  const parsed = objectsOf(body, 'elements', (e) => parseElement(e, 'elements: element: '));
  const filters = objectsOf(body, 'filters', (f) => parseFilter(f, 'filters: '));
  const orderBy = objectsOf(body, 'orderBy', parseOrderBy);
  const count = nonNegativeInt(body, 'count');
  const startFrom = nonNegativeInt(body, 'startFrom');
  checkUniquePaths(parsed);
  const elements = parsed.map((e) => typedElement(e, resultType, lookup));
  const params: V1QueryParams = { elements, filters, orderBy, count, startFrom };
  checkRootNames(params);
  return params;
}

/** Parses the members of an optional array-of-objects key in turn; the reference's `fillArray`. */
function objectsOf<T>(
  body: Json,
  key: 'elements' | 'filters' | 'orderBy',
  parse: (m: Json) => T,
): T[] {
  const v = body[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) {
    throw badRequest(`${key}: field "${key}" must be an array of objects: field type mismatch`);
  }
  return v.map((m: unknown) => {
    if (!isObject(m)) throw badRequest(`${key}: each member must be an object: wrong type`);
    return parse(m);
  });
}

function nonNegativeInt(body: Json, key: 'count' | 'startFrom'): number {
  const v = body[key];
  if (v === undefined || v === null) return 0;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw badRequest(`field "${key}" must be a non-negative integer: field type mismatch`);
  }
  return v;
}

// ---------------------------------------------------------------------------------------------------------
// elements

/** An element as written, before it is checked against the result type. */
interface ParsedElement {
  readonly path: string;
  readonly containers: readonly string[];
  readonly fields: readonly string[];
  readonly refs: readonly (readonly [field: string, target: string])[];
}

function parseElement(e: Json, at: string): ParsedElement {
  const path = optionalString(e, 'path', at) ?? '';
  const containers = path === '' ? [] : path.split('/');
  if (containers.some((c) => c === '')) throw badRequest(`${at}invalid path '${path}'`);
  const fields = arrayOf(e, 'fields', at).map((f) => {
    if (typeof f !== 'string') {
      throw badRequest(`${at}each 'fields' member must be a string: wrong type`);
    }
    return f;
  });
  const refs = arrayOf(e, 'refs', at).map((r) => parseRef(r, at));
  return { path, containers, fields, refs };
}

function checkUniquePaths(elements: readonly ParsedElement[]): void {
  const seen = new Set<string>();
  for (const e of elements) {
    if (seen.has(e.path)) throw badRequest(`elements: path '${e.path}' must be unique`);
    seen.add(e.path);
  }
}

/** Checks the element's path and fields on the result type and notes their kinds. */
function typedElement(
  e: ParsedElement,
  resultType: StructureDef | null,
  lookup: Lookup,
): V1Element {
  const type = resultType === null ? null : typeOfPath(resultType, e.containers, lookup);
  checkFields(type, e.path, e.fields);
  const fieldKinds = new Map<string, DataKind>();
  for (const f of e.fields) {
    const kind = fieldOf(type, f)?.data;
    if (kind !== undefined) fieldKinds.set(f, kind);
  }
  const refs = e.refs.map(([field, target]) => ({
    field,
    target,
    key: `${field}/${target}`,
    kind: refTargetKind(type, field, target, lookup),
  }));
  return { path: e.path, containers: e.containers, fields: e.fields, refs, fieldKinds };
}

/** Follows nested containers from the result type; the reference's messages for a wrong path. */
function typeOfPath(
  root: StructureDef,
  containers: readonly string[],
  lookup: Lookup,
): StructureDef {
  let current = root;
  for (const name of containers) {
    if (current.containers.length === 0) {
      throw badRequest(
        `elements: table ${current.name} has no nested tables but ${name} nested table is queried: unexpected`,
      );
    }
    const container = current.containers.find((c) => c.name === name);
    const next = container === undefined ? undefined : lookup(container.type);
    if (next === undefined) throw badRequest(`elements: unknown nested table ${name}: unexpected`);
    current = next;
  }
  return current;
}

function checkFields(type: StructureDef | null, path: string, fields: readonly string[]): void {
  if (type === null) return;
  for (const f of fields) {
    if (fieldOf(type, f) !== undefined) continue;
    throw badRequest(
      path === ''
        ? `elements: root element fields has field '${f}' that is unexpected in root fields, please remove it: unexpected`
        : `elements: nested element fields has field '${f}' that is unexpected among fields of ${type.name}, please remove it: unexpected`,
    );
  }
}

function parseRef(r: unknown, at: string): readonly [string, string] {
  if (!Array.isArray(r)) {
    throw badRequest(`${at}each 'refs' member must be an array of strings: wrong type`);
  }
  if (r.length !== 2) {
    throw badRequest(
      `${at}field 'ref' parameters length must be 2 but got ${r.length}: wrong length`,
    );
  }
  const [field, target] = r as unknown[];
  if (typeof field !== 'string' || typeof target !== 'string') {
    throw badRequest(`${at}field 'ref' parameter must be a string: wrong type`);
  }
  return [field, target];
}

/**
 * The kind of `target` in the records `field` refers to, when it is the same in all of them. The reference
 * does not check refs when parsing (a wrong target only shows when rows are enriched), so neither do we.
 */
function refTargetKind(
  type: StructureDef | null,
  field: string,
  target: string,
  lookup: Lookup,
): DataKind | undefined {
  const targets = fieldOf(type, field)?.refs ?? [];
  const kinds = new Set(targets.map((t) => fieldOf(lookup(t) ?? null, target)?.data));
  const [kind] = kinds;
  return kinds.size === 1 ? kind : undefined;
}

function fieldOf(type: StructureDef | null | undefined, name: string): FieldDef | undefined {
  return type?.fields.find((f) => f.name === name);
}

// ---------------------------------------------------------------------------------------------------------
// filters

/**
 * One filter; `outer` is the message prefix of the enclosing filters (`filters: `, then `'and' filter: `
 * for each level), as the reference wraps its errors.
 */
function parseFilter(f: Json, outer: string): V1Filter {
  if (!('args' in f)) throw badRequest(`${outer}filter: field 'args' must be present: not found`);
  const expr = requiredString(f, 'expr', `${outer}filter: `);
  if (!isFilterExpr(expr))
    throw badRequest(`${outer}filter: expr: filter '${expr}' is unknown: wrong type`);
  const at = `${outer}'${expr}' filter: `;
  const args = f.args;
  if (expr === 'and' || expr === 'or') {
    if (!Array.isArray(args))
      throw badRequest(`${at}field 'args' must be an array of objects: wrong type`);
    const filters = args.map((a: unknown) => {
      if (!isObject(a)) throw badRequest(`${at}each 'args' member must be an object: wrong type`);
      return parseFilter(a, at);
    });
    return { expr, filters };
  }
  if (!isObject(args)) throw badRequest(`${at}field 'args' must be an object: wrong type`);
  const field = requiredString(args, 'field', at);
  if (!('value' in args)) throw badRequest(`${at}field 'value' must be present: not found`);
  const value = args.value;
  if (expr === 'gt' || expr === 'lt') {
    // the reference panics on other values; here it is the client's error
    if (typeof value !== 'number' && typeof value !== 'string') {
      throw badRequest(`${at}field 'value' must be a number or a string: wrong type`);
    }
    return { expr, field, value };
  }
  if (typeof value !== 'number' && typeof value !== 'string' && typeof value !== 'boolean') {
    throw badRequest(`${at}field 'value' must be a number, a string or a boolean: wrong type`);
  }
  return { expr, field, value, epsilon: epsilonOf(args, at) };
}

function epsilonOf(args: Json, at: string): number {
  const options = args.options;
  if (options === undefined || options === null) return 0;
  if (!isObject(options))
    throw badRequest(`${at}field "options" must be an object: field type mismatch`);
  const e = options.epsilon;
  if (e === undefined || e === null) return 0;
  if (typeof e !== 'number')
    throw badRequest(`${at}field "epsilon" must be a number: field type mismatch`);
  return e;
}

function isFilterExpr(s: string): s is (typeof FILTER_EXPRS)[number] {
  return (FILTER_EXPRS as readonly string[]).includes(s);
}

// ---------------------------------------------------------------------------------------------------------
// orderBy

function parseOrderBy(o: Json): V1OrderBy {
  const field = requiredString(o, 'field', 'orderBy: ');
  const desc = o.desc;
  if (desc !== undefined && desc !== null && typeof desc !== 'boolean') {
    throw badRequest('orderBy: field "desc" must be a boolean: field type mismatch');
  }
  return { field, desc: desc === true };
}

// ---------------------------------------------------------------------------------------------------------
// filter and orderBy names (the end of the reference's queryParams.validate)

function checkRootNames(p: V1QueryParams): void {
  // Filters and orderBy read the root row only, so only root fields and refs may be named. (The reference
  // also admits nested elements' names here, then reads a wrong column of the root row for them.)
  const rootNames = new Set<string>();
  for (const e of p.elements.filter((x) => x.path === '')) {
    for (const f of e.fields) rootNames.add(f);
    for (const r of e.refs) rootNames.add(r.key);
  }
  const error = filtersError(p.filters, rootNames);
  if (error !== undefined) throw badRequest(`filters: ${error}`);
  for (const o of p.orderBy) {
    if (!rootNames.has(o.field)) {
      throw badRequest(
        `orderBy has field '${o.field}' that is absent in root element fields/refs, please add or change it: unexpected`,
      );
    }
  }
}

function filtersError(
  filters: readonly V1Filter[],
  names: ReadonlySet<string>,
): string | undefined {
  for (const f of filters) {
    if ('filters' in f) {
      const inner = filtersError(f.filters, names);
      if (inner !== undefined) return `'${f.expr}' filter: ${inner}`;
    } else if (!names.has(f.field)) {
      return `'${f.expr}' filter has field '${f.field}' that is absent in root element fields/refs, please add or change it: unexpected`;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// JSON helpers, with the reference's MapObject messages

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function optionalString(o: Json, key: string, at: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string')
    throw badRequest(`${at}field "${key}" must be a string: field type mismatch`);
  return v;
}

function requiredString(o: Json, key: string, at: string): string {
  const v = optionalString(o, key, at);
  if (v === undefined) throw badRequest(`${at}field "${key}" missing: fields are missed`);
  return v;
}

function arrayOf(o: Json, key: string, at: string): readonly unknown[] {
  const v = o[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v))
    throw badRequest(`${at}field "${key}" must be an array: field type mismatch`);
  return v;
}
