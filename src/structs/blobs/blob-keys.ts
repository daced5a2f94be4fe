// Storage keys of BLOBs. A BLOB is one storage partition: its state row under empty clustering
// bytes, then its content in chunks under their u32 big-endian index, so a range read from chunk 0
// returns the content in order and never the state.
//
//   partition key  u16 SysPrefix.Blobs | u64 WSID | u8 kind | ID
//                  kind 1 (persistent): ID = u64 blobID (the ID of its sys.BLOB record)
//                  kind 2 (temporary):  ID = the SUUID's ASCII bytes
//   clustering     empty              -> state (BlobState, written first and last)
//                  u32 chunk index    -> up to chunkSize bytes of content
//
// The kinds are the reference's blob key prefixes (iblobstorage: persistent 1, temporary 2). Unlike
// the reference, which spreads a BLOB over "buckets" of 100 chunks, a BLOB stays in one partition:
// every backend here reads a partition in pages, so its size costs nothing.
import { randomBytes } from 'node:crypto';
import { KeyWriter } from '../key-writer.js';
import { SysPrefix } from '../keys.js';

/** Which BLOB: a persistent one by the ID of its sys.BLOB record, a temporary one by its SUUID. */
export type BlobKey =
  | { readonly kind: 'persistent'; readonly wsid: number; readonly blobId: number }
  | { readonly kind: 'temporary'; readonly wsid: number; readonly suuid: string };

const KIND_PERSISTENT = 1;
const KIND_TEMPORARY = 2;

/**
 * The longest SUUID a key is built for. Ours are 43 characters; the bound keeps any SUUID a
 * client sends within the partition-key limit, and a longer one is simply not found.
 */
export const MAX_SUUID_LENGTH = 256;
const SUUID = /^[A-Za-z0-9_-]+$/;

/** Whether a text can be the SUUID of a temporary BLOB (base64url characters, bounded length). */
export function isSuuidText(text: string): boolean {
  return text.length <= MAX_SUUID_LENGTH && SUUID.test(text);
}

/**
 * A new SUUID: 32 random bytes as unpadded base64url (43 characters). The reference joins a v4
 * UUID and 16 random bytes, which is the same length and, for a client, the same kind of text.
 */
export function newSuuid(): string {
  return randomBytes(32).toString('base64url');
}

const w = new KeyWriter();

export function blobPk(key: BlobKey): Uint8Array {
  w.reset().u16(SysPrefix.Blobs).u64(key.wsid);
  if (key.kind === 'persistent') return w.u8(KIND_PERSISTENT).u64(key.blobId).take();
  if (!isSuuidText(key.suuid)) throw new RangeError(`not a SUUID: ${key.suuid}`);
  return w.u8(KIND_TEMPORARY).utf8(key.suuid).take();
}

/** The clustering bytes of the state row: empty, so it sorts before every chunk. */
export const STATE_CC = new Uint8Array(0);

export function chunkCc(index: number): Uint8Array {
  const cc = new Uint8Array(4);
  new DataView(cc.buffer).setUint32(0, index);
  return cc;
}

/** The chunk index of clustering bytes, or undefined when they are not a chunk's. */
export function chunkIndexOf(cc: Uint8Array): number | undefined {
  if (cc.length !== 4) return undefined;
  return new DataView(cc.buffer, cc.byteOffset, 4).getUint32(0);
}
