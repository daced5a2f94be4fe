/**
 * How a keyspace row sits in LMDB.
 *
 * Key: u16 partition-key length, partition key, clustering bytes. The length prefix keeps
 * partitions apart when one partition key is a prefix of another, and since it is fixed within a
 * partition, LMDB's byte order of keys is the byte order of clustering bytes.
 *
 * Expiry index key: the expiry time (ms, f64 big-endian, which sorts like the number for the
 * positive times used here), then the row key.
 *
 * Value: a header byte, 0 = no TTL, 1 = TTL followed by the expiry time (ms, f64 big-endian),
 * then the data. The header also keeps an empty value distinct from a missing row.
 */

const NO_TTL = 0;
const WITH_TTL = 1;
const TTL_HEADER = 9;

export function rowKey(pk: Uint8Array, cc: Uint8Array): Buffer {
  const key = Buffer.allocUnsafe(2 + pk.length + cc.length);
  key.writeUInt16BE(pk.length, 0);
  key.set(pk, 2);
  key.set(cc, 2 + pk.length);
  return key;
}

/** The first key after every row of the partition: its prefix plus one. */
export function partitionEnd(pk: Uint8Array): Buffer {
  const end = rowKey(pk, new Uint8Array(0));
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i] !== 0xff) {
      end[i] = (end[i] as number) + 1;
      return end.subarray(0, i + 1);
    }
  }
  throw new Error('unreachable: the u16 length prefix is never all 0xff');
}

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

/** The row's expiry time in ms, 0 when it never expires. */
export function expiryOfRow(row: Buffer): number {
  return row[0] === WITH_TTL ? row.readDoubleBE(1) : 0;
}

/** The row's data, sharing the row's memory. */
export function dataOfRow(row: Buffer): Buffer {
  return row.subarray(row[0] === WITH_TTL ? TTL_HEADER : 1);
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
