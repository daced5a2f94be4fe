// The query-string parameters of API v2 reads (http-api.md §2.4; the reference's
// pkg/processors/query2/impl_queryparams.go): `args`, `where`, `order`, `limit`, `skip`, `keys`, `include`.
// A parameter given empty counts as absent, as in the reference. Every error is a 400.
import { badRequest } from '../processor-error.js';

/** A value a `where` constraint compares with. */
export type WhereValue = string | number | boolean | null;

/**
 * `where`, field by field: the values a field may equal — one for `{"F":v}`, the list for
 * `{"F":{"$in":[…]}}` (possibly empty, which nothing matches). A Map, so any field name is safe as a key.
 */
export type WhereClause = ReadonlyMap<string, readonly WhereValue[]>;

/** A field path: one name, or nested names (`a.b` → `['a','b']`; `"sys.ID"` → `['sys.ID']`). */
export type FieldPath = readonly string[];

export interface V2OrderKey {
  readonly field: string;
  readonly desc: boolean;
}

export interface V2ReadParams {
  /** Query arguments: the JSON object, or `{ Body: <text> }` for a `sys.Raw` parameter. */
  readonly args: Readonly<Record<string, unknown>> | undefined;
  readonly where: WhereClause | undefined;
  readonly order: readonly V2OrderKey[];
  /** Rows to return after `skip`; undefined (or 0, as in the reference) = all. */
  readonly limit: number | undefined;
  readonly skip: number;
  /** Projection: the fields to keep; empty = all. */
  readonly keys: readonly FieldPath[];
  /** Ref fields and containers to expand, nested with `.`. */
  readonly include: readonly FieldPath[];
}

export interface V2ParseOptions {
  /** The query's parameter is `sys.Raw`: `args` is taken as raw text, not JSON. */
  readonly rawArgs?: boolean;
}

type Query = URLSearchParams | Readonly<Record<string, string>>;

/** Parses the read parameters of a v2 query string. */
export function parseV2ReadParams(query: Query, options: V2ParseOptions = {}): V2ReadParams {
  const get = (name: string): string | undefined => {
    const v =
      query instanceof URLSearchParams
        ? query.get(name)
        : Object.hasOwn(query, name)
          ? query[name]
          : undefined;
    return v === null || v === undefined || v === '' ? undefined : v;
  };
  return {
    args: parseArgs(get('args'), options.rawArgs === true),
    where: parseWhere(get('where')),
    order: parseOrder(get('order')),
    limit: parseCount(get('limit'), 'limit'),
    skip: parseCount(get('skip'), 'skip') ?? 0,
    keys: parsePaths(get('keys'), 'keys'),
    include: parsePaths(get('include'), 'include'),
  };
}

function parseArgs(text: string | undefined, raw: boolean): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  // the v1 processor hands a sys.Raw argument to the function as the `Body` field; so does this
  if (raw) return { Body: text };
  return jsonObject(text, 'args');
}

/** A JSON object parameter; JSON `null` counts as absent (Go unmarshals it into a nil map). */
function jsonObject(text: string, param: 'args' | 'where'): Record<string, unknown> | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw badRequest(`invalid '${param}' parameter`);
  }
  if (v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw badRequest(`invalid '${param}' parameter`);
  return v as Record<string, unknown>;
}

function parseWhere(text: string | undefined): WhereClause | undefined {
  if (text === undefined) return undefined;
  const o = jsonObject(text, 'where');
  if (o === undefined) return undefined;
  return new Map(Object.entries(o).map(([field, c]) => [field, whereValues(field, c)]));
}

/** The values of one constraint: `v` or `{"$in":[…]}`; other operators are not supported. */
function whereValues(field: string, c: unknown): readonly WhereValue[] {
  if (isWhereValue(c)) return [c];
  if (Array.isArray(c) || typeof c !== 'object') {
    throw badRequest(
      `unsupported type: the constraint on '${field}' must be a value or {"$in":[…]}`,
    );
  }
  const other = Object.keys(c).find((k) => k !== '$in');
  if (other !== undefined || !('$in' in c)) {
    throw badRequest(
      other === undefined ? 'unsupported constraint' : `unsupported constraint: ${other}`,
    );
  }
  const list = c.$in;
  if (!Array.isArray(list))
    throw badRequest(`unexpected params: '$in' of '${field}' must be an array`);
  return list.map((v: unknown) => {
    if (!isWhereValue(v))
      throw badRequest(`unsupported type: '$in' of '${field}' must list values`);
    return v;
  });
}

function isWhereValue(v: unknown): v is WhereValue {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

function parseOrder(text: string | undefined): V2OrderKey[] {
  if (text === undefined) return [];
  return text
    .split(',')
    .filter((s) => s !== '' && s !== '-')
    .map((s) =>
      s.startsWith('-')
        ? { field: unquote(s.slice(1)), desc: true }
        : { field: unquote(s), desc: false },
    );
}

/** Order names are never split at dots; quotes (as `keys` needs them for `"sys.ID"`) are dropped. */
function unquote(s: string): string {
  return s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s;
}

function parseCount(text: string | undefined, param: 'limit' | 'skip'): number | undefined {
  if (text === undefined) return undefined;
  const n = /^\+?[0-9]+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n)) throw badRequest(`invalid '${param}' parameter`);
  return n;
}

/**
 * A comma list of field paths. Names are separated by `.` to nest; a name in double quotes may hold dots
 * and commas (`"sys.ID"`). Empty list items are skipped; an empty name or an open quote is an error.
 */
function parsePaths(text: string | undefined, param: 'keys' | 'include'): FieldPath[] {
  if (text === undefined) return [];
  const paths: string[][] = [];
  let path: string[] = [];
  let name = '';
  let started = false; // a name has begun, even an empty quoted one
  const endName = () => {
    if (name === '') throw badRequest(`invalid '${param}' parameter`);
    path.push(name);
    name = '';
    started = false;
  };
  const endPath = () => {
    if (path.length > 0 || started) {
      endName();
      paths.push(path);
    }
    path = [];
  };
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') {
      quoted = !quoted;
      started = true;
    } else if (quoted) name += ch;
    else if (ch === '.') endName();
    else if (ch === ',') endPath();
    else {
      name += ch;
      started = true;
    }
  }
  if (quoted) throw badRequest(`invalid '${param}' parameter`);
  endPath();
  return paths;
}
