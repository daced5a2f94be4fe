/**
 * How a keyspace row sits in LMDB, and the lmdb-js key and value encoders that write and read it
 * without intermediate buffers.
 *
 * Key: u16 partition-key length, partition key, clustering bytes. The length prefix keeps
 * partitions apart when one partition key is a prefix of another, and since it is fixed within a
 * partition, LMDB's byte order of keys is the byte order of clustering bytes.
 *
 * Value: a header byte, 0 = no TTL, 1 = TTL followed by the expiry time (ms, f64 big-endian),
 * then the data. The header also keeps an empty value distinct from a missing row.
 *
 * Expiry index key: the expiry time (f64 big-endian, which sorts like the number for the positive
 * times used here), then the row key.
 */

const NO_TTL = 0;
const WITH_TTL = 1;
const TTL_HEADER = 9;

/** A row's address, written straight into lmdb-js's key buffer by {@link rowKeyEncoder}. */
export interface RowKey {
  readonly pk: Uint8Array;
  readonly cc: Uint8Array;
}

/** The range bound just past every row of a partition: its key prefix plus one. */
export class PartitionEnd {
  constructor(readonly pk: Uint8Array) {}
}

/** What the row database accepts as a key: a row, a partition end, or an already encoded key. */
export type RowKeyInput = RowKey | PartitionEnd | Uint8Array;

/** A stored row as the value decoder gives it: the data, with its expiry when it has a TTL. */
export type StoredRow = Uint8Array | TtlRow;

export class TtlRow {
  constructor(
    readonly data: Uint8Array,
    readonly expiresAt: number,
  ) {}
}

export function dataOf(row: StoredRow): Uint8Array {
  return row instanceof TtlRow ? row.data : row;
}

/** The row's expiry time in ms, 0 when it never expires. */
export function expiryOf(row: StoredRow): number {
  return row instanceof TtlRow ? row.expiresAt : 0;
}

/**
 * A fresh copy of `bytes[start, end)`. Small copies go byte by byte: measured, any typed-array
 * view of the small Buffers lmdb-js hands out costs more than the copy itself.
 */
function copyOut(bytes: Uint8Array, start: number, end: number): Uint8Array {
  const out = new Uint8Array(end - start);
  if (end - start <= 64) {
    for (let i = start; i < end; i++) out[i - start] = bytes[i] as number;
  } else {
    out.set(bytes.subarray(start, end));
  }
  return out;
}

function writePrefix(pk: Uint8Array, target: Uint8Array, position: number): number {
  target[position] = pk.length >>> 8;
  target[position + 1] = pk.length & 0xff;
  target.set(pk, position + 2);
  return position + 2 + pk.length;
}

/** lmdb-js key encoder: writes keys in place; reads back a copy of the clustering bytes only. */
export const rowKeyEncoder = {
  writeKey(key: RowKeyInput, target: Uint8Array, position: number): number {
    if (key instanceof Uint8Array) {
      target.set(key, position);
      return position + key.length;
    }
    const end = writePrefix(key.pk, target, position);
    if (key instanceof PartitionEnd) {
      for (let i = end - 1; i >= position; i--) {
        if (target[i] !== 0xff) {
          target[i] = (target[i] as number) + 1;
          return i + 1;
        }
      }
      throw new Error('unreachable: the u16 length prefix is never all 0xff');
    }
    target.set(key.cc, end);
    return end + key.cc.length;
  },
  readKey(buffer: Uint8Array, start: number, end: number): Uint8Array {
    const pkLength = ((buffer[start] as number) << 8) | (buffer[start + 1] as number);
    return copyOut(buffer, start + 2 + pkLength, end);
  },
};

/**
 * lmdb-js value encoder. Rows are encoded by {@link encodeRow} before they are written; decoding
 * copies only the data out of lmdb-js's shared read buffer, which it may then reuse.
 */
export const rowValueEncoder = {
  encode(row: Uint8Array): Uint8Array {
    return row;
  },
  decode(bytes: Uint8Array, size?: unknown): StoredRow {
    const length = typeof size === 'number' ? size : bytes.length;
    if (bytes[0] !== WITH_TTL) return copyOut(bytes, 1, length);
    const expiresAt = new DataView(bytes.buffer, bytes.byteOffset + 1, 8).getFloat64(0);
    return new TtlRow(copyOut(bytes, TTL_HEADER, length), expiresAt);
  },
};

export function encodeRow(value: Uint8Array, expiresAt: number): Buffer {
  if (expiresAt === 0) {
    const row = Buffer.allocUnsafe(1 + value.length);
    row[0] = NO_TTL;
    row.set(value, 1);
    return row;
  }
  const row = Buffer.allocUnsafe(TTL_HEADER + value.length);
  row[0] = WITH_TTL;
  row.writeDoubleBE(expiresAt, 1);
  row.set(value, TTL_HEADER);
  return row;
}

/** The encoded key of a row, for the expiry index. */
export function encodedRowKey(pk: Uint8Array, cc: Uint8Array): Buffer {
  const key = Buffer.allocUnsafe(2 + pk.length + cc.length);
  key.set(cc, writePrefix(pk, key, 0));
  return key;
}

export function expiryKey(expiresAt: number, rowKey: Buffer): Buffer {
  const key = Buffer.allocUnsafe(8 + rowKey.length);
  key.writeDoubleBE(expiresAt, 0);
  rowKey.copy(key, 8);
  return key;
}

export function expiryOfKey(expiryKey: Buffer): number {
  return expiryKey.readDoubleBE(0);
}

export function rowKeyOfExpiryKey(expiryKey: Buffer): Buffer {
  return expiryKey.subarray(8);
}

/** The expiry index needs keys only; LMDB still wants a value. */
export const EXPIRY_MARK = Buffer.from([1]);
