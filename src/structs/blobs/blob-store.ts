// BLOB contents on the storage contract: written from a stream in fixed-size chunks and read back
// as a stream of chunks, so a BLOB is never held in memory whole and every backend can store it.
//
// An upload writes its state row "in process" first, then the chunks, then the state row
// "completed" with the size. Only a completed BLOB can be opened, so a reader never sees a BLOB
// that is still being written or whose upload failed. A failed upload (too large, broken stream,
// storage error) deletes what it wrote; an upload cut short by a crash leaves an "in process"
// state behind, which names the rows a clean-up can remove.
//
// A temporary BLOB writes every row with the TTL, the chunks with the whole TTL and the final
// state with what is left of it, so the state expires first and a BLOB never reads back partly.
import type { KvBatchItem, KvStorage } from '../../storage/index.js';
import { MAX_TTL_SECONDS, MAX_VALUE_BYTES } from '../../storage/index.js';
import { type BlobKey, blobPk, chunkCc, chunkIndexOf, STATE_CC } from './blob-keys.js';

/** What the uploader says about a BLOB; kept with it and sent back with its content. */
export interface BlobDescription {
  readonly name: string;
  readonly contentType: string;
}

export type BlobStatus = 'inProcess' | 'completed';

export interface BlobState extends BlobDescription {
  readonly status: BlobStatus;
  /** Bytes of content; 0 while in process. */
  readonly size: number;
  /** Milliseconds since the epoch, by the store's clock. */
  readonly startedAt: number;
  /** 0 while in process. */
  readonly finishedAt: number;
  /** The TTL the BLOB was written with; 0 for a persistent BLOB. */
  readonly ttlSeconds: number;
}

export interface BlobWriteOptions {
  /** The most bytes of content accepted; one more fails the upload with {@link BlobTooLargeError}. */
  readonly maxSize: number;
  /** Makes the BLOB temporary: it disappears this many seconds after its upload started. */
  readonly ttlSeconds?: number;
}

/** A completed BLOB: its state, and its content as chunks (read lazily, in order). */
export interface StoredBlob {
  readonly state: BlobState;
  readonly content: AsyncIterable<Uint8Array>;
}

/**
 * The content is larger than allowed. The message is the reference's (typo included), which
 * clients may show.
 */
export class BlobTooLargeError extends Error {
  override readonly name = 'BlobTooLargeError';
  constructor(readonly maxSize: number) {
    super(`BLOB size quote exceeded (max ${maxSize} allowed)`);
  }
}

/** The stored rows of a BLOB do not add up to its state (a chunk is missing, sizes differ). */
export class BlobCorruptedError extends Error {
  override readonly name = 'BlobCorruptedError';
}

/** A BLOB with this key exists already: its state row is there (a reused ID or SUUID). */
export class BlobExistsError extends Error {
  override readonly name = 'BlobExistsError';
}

export interface BlobStoreOptions {
  /** Content bytes per chunk row. Default 64 KiB; at most the contract's value limit. */
  readonly chunkSize?: number;
  /** Chunks written per storage call (one batch, or conditional inserts side by side). Default 16. */
  readonly chunksPerWrite?: number;
  /** Milliseconds since the epoch, for the state's timestamps. Default Date.now. */
  readonly clock?: () => number;
}

/**
 * 64 KiB: a 20 MiB BLOB (the default limit) is 320 rows, a chunk is a few LMDB overflow pages or
 * one PostgreSQL TOAST value, and an upload holds at most `chunksPerWrite` chunks in memory.
 */
export const DEFAULT_BLOB_CHUNK_SIZE = 64 * 1024;
const DEFAULT_CHUNKS_PER_WRITE = 16;

/** Reads and writes the BLOBs of one keyspace (an application's). */
export class BlobStore {
  private readonly chunkSize: number;
  private readonly chunksPerWrite: number;
  private readonly clock: () => number;

  constructor(
    private readonly storage: KvStorage,
    options: BlobStoreOptions = {},
  ) {
    this.chunkSize = options.chunkSize ?? DEFAULT_BLOB_CHUNK_SIZE;
    if (!Number.isInteger(this.chunkSize) || this.chunkSize < 1 || this.chunkSize > MAX_VALUE_BYTES)
      throw new RangeError(`chunk size must be 1..${MAX_VALUE_BYTES} bytes, got ${this.chunkSize}`);
    this.chunksPerWrite = options.chunksPerWrite ?? DEFAULT_CHUNKS_PER_WRITE;
    if (!Number.isInteger(this.chunksPerWrite) || this.chunksPerWrite < 1)
      throw new RangeError(
        `chunks per write must be a positive integer, got ${this.chunksPerWrite}`,
      );
    this.clock = options.clock ?? Date.now;
  }

  /**
   * Stores a BLOB from its content stream and resolves its completed state. Content is taken
   * from the stream only as fast as it is stored; once more than `maxSize` bytes have arrived the
   * stream is left unread and the upload fails with {@link BlobTooLargeError}. Any failure removes
   * what the upload wrote, so nothing of it can be read.
   */
  async write(
    key: BlobKey,
    description: BlobDescription,
    content: AsyncIterable<Uint8Array>,
    options: BlobWriteOptions,
  ): Promise<BlobState> {
    const { maxSize } = options;
    if (!Number.isSafeInteger(maxSize) || maxSize < 0)
      throw new RangeError(`max size must be a non-negative integer, got ${maxSize}`);
    const ttl = options.ttlSeconds ?? 0;
    if (!Number.isInteger(ttl) || ttl < 0 || ttl > MAX_TTL_SECONDS)
      throw new RangeError(`TTL must be 0..${MAX_TTL_SECONDS} seconds, got ${ttl}`);
    const pk = blobPk(key);
    const startedAt = this.clock();
    const initial: BlobState = {
      name: description.name,
      contentType: description.contentType,
      status: 'inProcess',
      size: 0,
      startedAt,
      finishedAt: 0,
      ttlSeconds: ttl,
    };
    const initialBytes = encodeState(initial);
    if (!(await this.storage.insertIfNotExists(pk, STATE_CC, initialBytes, ttl))) {
      throw new BlobExistsError(`BLOB ${keyText(key)} exists already`);
    }
    try {
      const size = await this.writeChunks(pk, content, maxSize, ttl);
      const finishedAt = this.clock();
      const final: BlobState = { ...initial, status: 'completed', size, finishedAt };
      // The state must not outlive the first chunk, which expires `ttl` after it was written.
      const stateTtl =
        ttl === 0 ? 0 : Math.max(1, ttl - Math.ceil((finishedAt - startedAt) / 1000));
      const swapped = await this.storage.compareAndSwap(
        pk,
        STATE_CC,
        initialBytes,
        encodeState(final),
        stateTtl,
      );
      if (!swapped) {
        throw new BlobCorruptedError(`the state of BLOB ${keyText(key)} changed during its upload`);
      }
      return final;
    } catch (error) {
      // Best effort: the original failure is what the caller needs to see.
      await this.discard(pk, initialBytes).catch(() => {});
      throw error;
    }
  }

  /** The state of a BLOB, whatever its status; undefined when there is none (or it expired). */
  async state(key: BlobKey): Promise<BlobState | undefined> {
    const bytes = await this.storage.get(blobPk(key), STATE_CC);
    return bytes === undefined ? undefined : decodeState(bytes);
  }

  /**
   * A completed BLOB, or undefined when there is none (never written, still being written,
   * failed, or expired). Its content stream fails with {@link BlobCorruptedError} when the
   * stored chunks do not add up to its size.
   */
  async open(key: BlobKey): Promise<StoredBlob | undefined> {
    const state = await this.state(key);
    if (state?.status !== 'completed') return undefined;
    return { state, content: this.chunks(blobPk(key), state.size) };
  }

  private async writeChunks(
    pk: Uint8Array,
    content: AsyncIterable<Uint8Array>,
    maxSize: number,
    ttl: number,
  ): Promise<number> {
    let size = 0;
    let index = 0;
    let chunk = new Uint8Array(this.chunkSize);
    let fill = 0;
    let pending: KvBatchItem[] = [];
    const flush = async () => {
      if (pending.length === 0) return;
      const items = pending;
      pending = [];
      await this.putChunks(items, ttl);
    };
    for await (const piece of content) {
      if (size + piece.length > maxSize) throw new BlobTooLargeError(maxSize);
      size += piece.length;
      for (let at = 0; at < piece.length; ) {
        const n = Math.min(this.chunkSize - fill, piece.length - at);
        chunk.set(piece.subarray(at, at + n), fill);
        fill += n;
        at += n;
        if (fill === this.chunkSize) {
          pending.push({ pk, cc: chunkCc(index++), value: chunk });
          chunk = new Uint8Array(this.chunkSize);
          fill = 0;
          if (pending.length >= this.chunksPerWrite) await flush();
        }
      }
    }
    if (fill > 0) pending.push({ pk, cc: chunkCc(index), value: chunk.subarray(0, fill) });
    await flush();
    return size;
  }

  /**
   * Persistent chunks go in one atomic batch. The contract's batches carry no TTL, so temporary
   * chunks are conditional inserts with the TTL, issued together (LMDB joins them in one
   * transaction, PostgreSQL runs them on its connections).
   */
  private async putChunks(items: readonly KvBatchItem[], ttl: number): Promise<void> {
    if (ttl === 0) {
      await this.storage.putBatch(items);
      return;
    }
    const inserted = await Promise.all(
      items.map((i) => this.storage.insertIfNotExists(i.pk, i.cc, i.value, ttl)),
    );
    if (inserted.includes(false)) {
      // Only a reused SUUID whose old chunks have not expired yet can get here.
      throw new BlobExistsError('a chunk of the temporary BLOB exists already');
    }
  }

  /** Deletes the rows an upload wrote: its chunks, then its "in process" state. */
  private async discard(pk: Uint8Array, stateBytes: Uint8Array): Promise<void> {
    for await (const page of this.storage.readPages(pk, chunkCc(0))) {
      await Promise.all(page.map((e) => this.storage.compareAndDelete(pk, e.cc, e.value)));
    }
    await this.storage.compareAndDelete(pk, STATE_CC, stateBytes);
  }

  private async *chunks(pk: Uint8Array, size: number): AsyncIterable<Uint8Array> {
    let expected = 0;
    let read = 0;
    for await (const page of this.storage.readPages(pk, chunkCc(0))) {
      for (const { cc, value } of page) {
        if (chunkIndexOf(cc) !== expected) {
          throw new BlobCorruptedError(`chunk ${expected} of the BLOB is missing`);
        }
        expected++;
        read += value.length;
        if (read > size) break;
        yield value;
      }
      if (read > size) break;
    }
    if (read !== size) {
      throw new BlobCorruptedError(
        `${size} bytes stored in the BLOB whereas ${read} bytes are read`,
      );
    }
  }
}

function keyText(key: BlobKey): string {
  return key.kind === 'persistent'
    ? `${key.blobId} of workspace ${key.wsid}`
    : `${key.suuid} of workspace ${key.wsid}`;
}

/** State rows: a version byte, then JSON (a few dozen bytes once per BLOB; no need to pack). */
const STATE_VERSION = 1;
const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

function encodeState(s: BlobState): Uint8Array {
  const json = utf8.encode(
    JSON.stringify([
      s.name,
      s.contentType,
      s.status,
      s.size,
      s.startedAt,
      s.finishedAt,
      s.ttlSeconds,
    ]),
  );
  const out = new Uint8Array(json.length + 1);
  out[0] = STATE_VERSION;
  out.set(json, 1);
  return out;
}

function decodeState(bytes: Uint8Array): BlobState {
  if (bytes[0] !== STATE_VERSION) {
    throw new BlobCorruptedError(`unknown BLOB state version ${bytes[0]}`);
  }
  const v: unknown = JSON.parse(utf8Decoder.decode(bytes.subarray(1)));
  if (
    !Array.isArray(v) ||
    v.length !== 7 ||
    typeof v[0] !== 'string' ||
    typeof v[1] !== 'string' ||
    (v[2] !== 'inProcess' && v[2] !== 'completed') ||
    !v.slice(3).every((n) => typeof n === 'number')
  ) {
    throw new BlobCorruptedError('malformed BLOB state');
  }
  return {
    name: v[0],
    contentType: v[1],
    status: v[2],
    size: v[3],
    startedAt: v[4],
    finishedAt: v[5],
    ttlSeconds: v[6],
  };
}
