// Unique values of records (core.md §3.3, sys.Uniques): which uniques a table has, and the key
// of the row that claims a record's values.
import type { FieldDef, StructureDef } from '../../schema/index.js';
import type { FieldValues } from '../../structs/index.js';
import { fieldOf } from './field-values.js';

export interface UniqueKey {
  /** The unique's QName (the table's QName for a UNIQUEFIELD). */
  readonly qname: string;
  readonly fields: readonly string[];
}

const cache = new WeakMap<StructureDef, readonly UniqueKey[]>();

export function uniquesOf(type: StructureDef): readonly UniqueKey[] {
  let u = cache.get(type);
  if (u === undefined) {
    u = [
      ...type.uniques.map((x) => ({ qname: x.name, fields: x.fields })),
      ...(type.uniqueField === null ? [] : [{ qname: type.name, fields: [type.uniqueField] }]),
    ];
    cache.set(type, u);
  }
  return u;
}

const utf8 = new TextEncoder();

/**
 * The Uniques view key of a record's values for one unique: the values concatenated (fixed-size
 * values big-endian; strings and bytes after a 0 byte when the unique has several fields), and
 * their hash. Undefined when a field of the unique has no value: such records claim nothing.
 */
export function uniqueViewKey(
  type: StructureDef,
  unique: UniqueKey,
  values: FieldValues,
): { QName: string; ValuesHash: number; Values: Uint8Array } | undefined {
  const parts: Uint8Array[] = [];
  for (const name of unique.fields) {
    const f = fieldOf(type, name);
    const v = values[name];
    if (f === undefined || v === undefined || v === null) return undefined;
    parts.push(valueBytes(f, v, unique.fields.length > 1));
  }
  const total = parts.reduce((n, p) => n + p.length, 0);
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
  }
  return { QName: unique.qname, ValuesHash: fnv1a(bytes), Values: bytes };
}

function valueBytes(f: FieldDef, v: unknown, several: boolean): Uint8Array {
  const b = new DataView(new ArrayBuffer(8));
  switch (f.data) {
    case 'int8':
      return new Uint8Array([Number(v) & 0xff]);
    case 'int16':
      b.setInt16(0, Number(v));
      return new Uint8Array(b.buffer, 0, 2);
    case 'int32':
      b.setInt32(0, Number(v));
      return new Uint8Array(b.buffer, 0, 4);
    case 'float32':
      b.setFloat32(0, Number(v));
      return new Uint8Array(b.buffer, 0, 4);
    case 'float64':
      b.setFloat64(0, Number(v));
      return new Uint8Array(b.buffer);
    case 'bool':
      return new Uint8Array([v === true ? 1 : 0]);
    case 'string':
    case 'QName':
    case 'bytes': {
      const raw = v instanceof Uint8Array ? v : utf8.encode(String(v));
      if (!several && f.data !== 'QName') return raw;
      const out = new Uint8Array(raw.length + 1);
      out.set(raw, 1);
      return out;
    }
    default:
      b.setBigInt64(0, BigInt(Number(v)));
      return new Uint8Array(b.buffer);
  }
}

/** 32-bit FNV-1a: a stable hash that spreads values over view partitions. */
function fnv1a(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i]!;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
