// Converts JSON values from a request into stored field values, checking the field's data kind
// and constraints (core.md §4.3): integers in range, lengths, CHECK patterns, base64 bytes.
import { RE2JS } from 're2js';
import type { DataKind, FieldDef, StructureDef } from '../../schema/index.js';
import { badRequest } from '../processor-error.js';

const patterns = new Map<string, RE2JS>();

function patternOf(source: string): RE2JS {
  let re = patterns.get(source);
  if (re === undefined) {
    re = RE2JS.compile(source);
    patterns.set(source, re);
  }
  return re;
}

const intRanges: Partial<Record<DataKind, readonly [number, number]>> = {
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-2147483648, 2147483647],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  RecordID: [0, Number.MAX_SAFE_INTEGER],
};

const DEFAULT_BYTES_MAX_LEN = 255;
const utf8 = new TextEncoder();

/** The stored value of a field from its JSON value; `where` names the field in errors. */
export function fieldValue(f: FieldDef, v: unknown, where: string): unknown {
  const wrongType = () =>
    badRequest(`${where}: field «${f.name}» must be ${kindText(f.data)}, got ${JSON.stringify(v)}`);
  switch (f.data) {
    case 'int8':
    case 'int16':
    case 'int32':
    case 'int64':
    case 'RecordID': {
      if (typeof v !== 'number' || !Number.isInteger(v)) throw wrongType();
      const [min, max] = intRanges[f.data]!;
      if (v < min || v > max) {
        throw badRequest(`${where}: field «${f.name}» value ${v} is out of range ${min}..${max}`);
      }
      return v;
    }
    case 'float32':
    case 'float64':
      if (typeof v !== 'number' || !Number.isFinite(v)) throw wrongType();
      return f.data === 'float32' ? Math.fround(v) : v;
    case 'bool':
      if (typeof v !== 'boolean') throw wrongType();
      return v;
    case 'QName':
      if (typeof v !== 'string' || (v !== '' && !/^[A-Za-z_][\w]*\.[A-Za-z_][\w]*$/.test(v))) {
        throw wrongType();
      }
      return v;
    case 'string': {
      if (typeof v !== 'string') throw wrongType();
      const max = f.maxLen ?? 255;
      // The reference counts bytes of the UTF-8 text; only long strings can exceed the limit.
      if (v.length > max / 3 && utf8.encode(v).length > max) {
        throw badRequest(`${where}: field «${f.name}» is longer than ${max} bytes`);
      }
      if (f.pattern !== null && !patternOf(f.pattern).test(v)) {
        throw badRequest(`${where}: field «${f.name}» does not match pattern ${f.pattern}`);
      }
      return v;
    }
    case 'bytes': {
      if (typeof v !== 'string' || !isBase64(v)) throw wrongType();
      const bytes = new Uint8Array(Buffer.from(v, 'base64'));
      const max = f.maxLen ?? DEFAULT_BYTES_MAX_LEN;
      if (bytes.length > max) {
        throw badRequest(`${where}: field «${f.name}» is longer than ${max} bytes`);
      }
      return bytes;
    }
    default:
      throw badRequest(`${where}: field «${f.name}» of kind ${f.data} cannot be set by a request`);
  }
}

function isBase64(s: string): boolean {
  return s.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(s);
}

function kindText(kind: DataKind): string {
  switch (kind) {
    case 'string':
      return 'a string';
    case 'bytes':
      return 'a base64 string';
    case 'bool':
      return 'a boolean';
    case 'QName':
      return 'a qualified name';
    case 'float32':
    case 'float64':
      return 'a number';
    case 'RecordID':
      return 'a record ID';
    default:
      return `an ${kind} integer`;
  }
}

/** A stored value as JSON: bytes as base64, everything else as it is. */
export function jsonValue(v: unknown): unknown {
  return v instanceof Uint8Array
    ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64')
    : v;
}

const fieldMaps = new WeakMap<StructureDef, ReadonlyMap<string, FieldDef>>();

/** A field of a structure by name; the lookup map is built once per type. */
export function fieldOf(type: StructureDef, name: string): FieldDef | undefined {
  let map = fieldMaps.get(type);
  if (map === undefined) {
    map = new Map(type.fields.map((f) => [f.name, f]));
    fieldMaps.set(type, map);
  }
  return map.get(name);
}
