import type { Database, DatabaseOptions, RootDatabase } from 'lmdb';
import { type RowKeyInput, rowKeyEncoder, rowValueEncoder, type StoredRow } from './row-codec.js';

type RawRowDatabase = Database<StoredRow, Uint8Array>;

/** One keyspace's rows in an LMDB named database, keyed and decoded by the row codec. */
export class RowTable {
  private readonly db: RawRowDatabase;

  constructor(root: RootDatabase, name: string) {
    // lmdb-js supports custom encoders per database; its typings list them for the root only.
    const options: DatabaseOptions & {
      name: string;
      keyEncoder: typeof rowKeyEncoder;
      encoder: typeof rowValueEncoder;
    } = {
      name,
      keyEncoder: rowKeyEncoder,
      encoder: rowValueEncoder,
    };
    this.db = root.openDB<StoredRow, Uint8Array>(options);
  }

  /**
   * lmdb-js types keys as primitives or byte arrays; our key encoder takes row keys as objects.
   * This is the one place where that is bridged.
   */
  private static key(key: RowKeyInput): Uint8Array {
    return key as Uint8Array;
  }

  get(key: RowKeyInput): StoredRow | undefined {
    return this.db.get(RowTable.key(key));
  }

  /** Writes an encoded row; resolves once its transaction is durable. */
  put(key: RowKeyInput, row: Uint8Array): Promise<boolean> {
    return this.db.put(RowTable.key(key), row);
  }

  /** Inside a transaction callback: writes at once, in that transaction. */
  putSync(key: RowKeyInput, row: Uint8Array): void {
    this.db.putSync(RowTable.key(key), row);
  }

  removeSync(key: RowKeyInput): void {
    this.db.removeSync(RowTable.key(key));
  }

  /** Rows in key order from `start` to `end` (exclusive); keys read back as clustering bytes. */
  range(
    start: RowKeyInput,
    end: RowKeyInput,
    exclusiveStart: boolean,
  ): Iterable<{ key: Uint8Array; value: StoredRow }> {
    return this.db.getRange({
      start: RowTable.key(start),
      end: RowTable.key(end),
      exclusiveStart,
    }) as Iterable<{ key: Uint8Array; value: StoredRow }>;
  }

  /** Runs `body` in a write transaction (serialised across processes); resolves once durable. */
  transaction<T>(body: () => T): Promise<T> {
    return this.db.transaction(body);
  }

  dropSync(): void {
    this.db.dropSync();
  }
}
