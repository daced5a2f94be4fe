// Storage key layouts, as the reference lays them out (core.md §3.3). They decide how rows are
// partitioned and ordered, so they are kept even where the value encodings differ.
import { KeyWriter } from './key-writer.js';

/**
 * Partition-key prefixes of the system tables (a u16 each; view QName IDs start at 256, above
 * them, so no view row can share a partition with these).
 */
export enum SysPrefix {
  QNames = 17,
  Containers = 18,
  Records = 19,
  PLog = 20,
  WLog = 21,
  Singletons = 22,
  /**
   * BLOB contents and their state (`blobs/blob-keys.ts`). Ours: the reference keeps BLOBs in a
   * keyspace of their own (`sys/blobber`); here they share the application's keyspace, so every
   * backend that stores the application stores its BLOBs too.
   */
  Blobs = 23,
}

const REGISTRY_VERSION = 1;

/** IDs and offsets are split into a partition of 4096 consecutive numbers and a u16 inside it. */
const CHUNK_BITS = 12;
const CHUNK = 1 << CHUNK_BITS;

export function chunkOf(n: number): number {
  return Math.floor(n / CHUNK);
}

export function lowOf(n: number): number {
  return n % CHUNK;
}

export function firstOfChunk(chunk: number): number {
  return chunk * CHUNK;
}

const w = new KeyWriter();

export function registryPk(prefix: SysPrefix): Uint8Array {
  return w.reset().u16(prefix).u16(REGISTRY_VERSION).take();
}

export function recordPk(wsid: number, id: number): Uint8Array {
  return w.reset().u16(SysPrefix.Records).u64(wsid).u64(chunkOf(id)).take();
}

export function plogPk(partition: number, offset: number): Uint8Array {
  return w.reset().u16(SysPrefix.PLog).u16(partition).u64(chunkOf(offset)).take();
}

export function wlogPk(wsid: number, offset: number): Uint8Array {
  return w.reset().u16(SysPrefix.WLog).u64(wsid).u64(chunkOf(offset)).take();
}

/** The clustering bytes of an ID or offset inside its chunk. */
export function lowCc(n: number): Uint8Array {
  const low = lowOf(n);
  return new Uint8Array([low >> 8, low & 0xff]);
}

/** The clustering bytes that end a range read at (excluding) `n` inside its chunk. */
export function lowCcEnd(n: number): Uint8Array | undefined {
  const low = lowOf(n);
  return low === 0 ? undefined : new Uint8Array([low >> 8, low & 0xff]);
}
