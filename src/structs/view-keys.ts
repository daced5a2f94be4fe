// View row keys (core.md §3.3): partition key = view QName ID, WSID and the partition-key fields;
// clustering bytes = the clustering columns in order. Fixed-size fields are big-endian, so a
// left-to-right prefix of clustering columns selects a contiguous range of rows.
import type { FieldDef, ViewDef } from '../schema/index.js';
import { KeyWriter } from './key-writer.js';
import type { NameRegistry } from './name-registry.js';
import type { ViewRow } from './types.js';

const w = new KeyWriter();

export class ViewKeyError extends Error {
  override readonly name = 'ViewKeyError';
}

export function viewPk(names: NameRegistry, view: ViewDef, wsid: number, row: ViewRow): Uint8Array {
  w.reset().u16(names.qnameId(view.name)).u64(wsid);
  const fields = view.partitionKey;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    const v = row[f.name];
    if (v === undefined || v === null) {
      throw new ViewKeyError(`view ${view.name}: partition key field ${f.name} is not set`);
    }
    writeField(names, f, v, false);
  }
  return w.take();
}

/**
 * The clustering bytes of a row. With `prefix`, the columns are taken left to right up to the
 * first one that is not set, for a range read; otherwise every column must be set.
 */
export function viewCc(
  names: NameRegistry,
  view: ViewDef,
  row: ViewRow,
  prefix = false,
): Uint8Array {
  w.reset();
  const fields = view.clusteringColumns;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    const v = row[f.name];
    if (v === undefined || v === null) {
      if (prefix) break;
      throw new ViewKeyError(`view ${view.name}: clustering column ${f.name} is not set`);
    }
    writeField(names, f, v, i === fields.length - 1);
  }
  return w.take();
}

/** The first key after every key that starts with `prefix` (empty when there is none). */
export function prefixEnd(prefix: Uint8Array): Uint8Array | undefined {
  const end = prefix.slice();
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i]! < 0xff) {
      end[i]!++;
      return end.subarray(0, i + 1);
    }
  }
  return undefined;
}

function writeField(names: NameRegistry, f: FieldDef, v: unknown, last: boolean): void {
  switch (f.data) {
    case 'int8':
      w.u8(num(f, v));
      return;
    case 'int16':
      w.i16(num(f, v));
      return;
    case 'int32':
      w.i32(num(f, v));
      return;
    case 'int64':
      w.i64(num(f, v));
      return;
    case 'RecordID':
      w.u64(num(f, v));
      return;
    case 'float32':
      w.f32(num(f, v));
      return;
    case 'float64':
      w.f64(num(f, v));
      return;
    case 'bool':
      w.u8(v === true ? 1 : 0);
      return;
    case 'QName':
      w.u16(v === '' ? 0 : names.qnameId(String(v)));
      return;
    case 'string': {
      if (typeof v !== 'string') throw new ViewKeyError(`key field ${f.name} must be a string`);
      if (last) w.utf8(v);
      else {
        const bytes = new TextEncoder().encode(v);
        w.u16(bytes.length).bytes(bytes);
      }
      return;
    }
    case 'bytes': {
      if (!(v instanceof Uint8Array)) throw new ViewKeyError(`key field ${f.name} must be bytes`);
      if (!last) w.u16(v.length);
      w.bytes(v);
      return;
    }
    default:
      throw new ViewKeyError(`key field ${f.name} of kind ${f.data} cannot be part of a view key`);
  }
}

function num(f: FieldDef, v: unknown): number {
  if (typeof v !== 'number' || Number.isNaN(v)) {
    throw new ViewKeyError(`key field ${f.name} must be a number`);
  }
  return v;
}
