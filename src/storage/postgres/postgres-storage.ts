import type { ConnectionOptions } from 'node:tls';
import postgres from 'postgres';
import type { Clock, KvBatchItem, KvEntry, KvStorage, StorageProvider } from '../kv-storage.js';
import {
  checkBatch,
  checkKey,
  checkKeyspaceName,
  checkPartitionKey,
  checkPurgeLimit,
  checkRangeBound,
  checkValue,
  DEFAULT_PURGE_LIMIT,
  expiryAfter,
  remainingTtl,
} from '../limits.js';
import { OpenKeyspaces } from '../open-keyspaces.js';
import { pagesOf, rowsOf } from '../paged-range.js';
import { StorageError, storageFailure } from '../storage-error.js';

type Sql = postgres.Sql;

const BYTEA_OID = 17;
const READ_PAGE_ROWS = 1024;

/** postgres.js answers bigint columns as strings; our expiry times fit a double exactly. */
const expiryOfRow = (row: postgres.Row) => Number(row.expires_at);

/**
 * A keyspace as one PostgreSQL table `(pk bytea, cc bytea, value bytea, expires_at bigint)` with
 * primary key `(pk, cc)`. bytea compares as unsigned bytes, so the primary-key index gives range
 * reads in the contract's order. `expires_at` is 0 for rows that never expire.
 *
 * Conditional writes are single statements whose condition PostgreSQL checks under the row lock
 * (`INSERT ... ON CONFLICT ... WHERE`, `UPDATE/DELETE ... WHERE value = ...`), so concurrent
 * callers on any number of connections or nodes race safely: exactly one wins.
 */
class PostgresStorage implements KvStorage {
  /** Set when the keyspace is dropped or its provider closed. */
  closed = false;
  /** Batches on different connections commit in parallel; a few keep the pool free for reads. */
  readonly writeConcurrency = 4;
  private readonly table: postgres.Helper<string>;

  constructor(
    readonly keyspace: string,
    private readonly sql: Sql,
    schema: string,
    private readonly clock: Clock,
  ) {
    this.table = sql(`${schema}.${tableOf(keyspace)}`);
  }

  private checkOpen(): void {
    if (this.closed) {
      throw new StorageError('CLOSED', `keyspace ${this.keyspace} is closed`);
    }
  }

  async put(pk: Uint8Array, cc: Uint8Array, value: Uint8Array): Promise<void> {
    this.checkOpen();
    checkKey(pk, cc);
    checkValue(value);
    await this.sql`
      insert into ${this.table} (pk, cc, value, expires_at) values (${pk}, ${cc}, ${value}, 0)
      on conflict (pk, cc) do update set value = excluded.value, expires_at = 0`.catch(
      storageFailure,
    );
  }

  async putBatch(items: readonly KvBatchItem[]): Promise<void> {
    this.checkOpen();
    checkBatch(items);
    if (items.length === 0) return;
    // One statement is atomic on its own. ON CONFLICT cannot touch a row twice in one statement,
    // so a repeated key keeps only its last item, as the contract says.
    const last = new Map<string, KvBatchItem>();
    for (const item of items) last.set(batchKeyOf(item), item);
    const rows = [...last.values()];
    const column = (pick: (item: KvBatchItem) => Uint8Array) =>
      this.sql.array(rows.map(pick) as unknown as Buffer[], BYTEA_OID);
    await this.sql`
      insert into ${this.table} (pk, cc, value, expires_at)
      select pk, cc, value, 0
      from unnest(${column((r) => r.pk)}, ${column((r) => r.cc)}, ${column((r) => r.value)})
        as batch(pk, cc, value)
      on conflict (pk, cc) do update set value = excluded.value, expires_at = 0`.catch(
      storageFailure,
    );
  }

  async get(pk: Uint8Array, cc: Uint8Array): Promise<Uint8Array | undefined> {
    this.checkOpen();
    checkKey(pk, cc);
    const [row] = await this.sql`
      select value from ${this.table}
      where pk = ${pk} and cc = ${cc} and (expires_at = 0 or expires_at > ${this.clock()})`.catch(
      storageFailure,
    );
    return row?.value as Buffer | undefined;
  }

  async getBatch(pk: Uint8Array, ccs: readonly Uint8Array[]): Promise<(Uint8Array | undefined)[]> {
    this.checkOpen();
    for (const cc of ccs) checkKey(pk, cc);
    if (ccs.length === 0) return [];
    const rows = await this.sql`
      select cc, value from ${this.table}
      where pk = ${pk} and cc = any(${this.sql.array(ccs as unknown as Buffer[], BYTEA_OID)})
        and (expires_at = 0 or expires_at > ${this.clock()})`.catch(storageFailure);
    const found = new Map<string, Buffer>();
    for (const row of rows) found.set((row.cc as Buffer).toString('hex'), row.value as Buffer);
    return ccs.map((cc) => found.get(Buffer.from(cc).toString('hex')));
  }

  read(pk: Uint8Array, from?: Uint8Array, to?: Uint8Array): AsyncIterable<KvEntry> {
    return rowsOf(this.readPages(pk, from, to));
  }

  readPages(pk: Uint8Array, from?: Uint8Array, to?: Uint8Array): AsyncIterable<readonly KvEntry[]> {
    this.checkOpen();
    checkPartitionKey(pk);
    checkRangeBound('range start', from);
    checkRangeBound('range end', to);
    const sql = this.sql;
    const endClause = to !== undefined && to.length > 0 ? sql`and cc < ${to}` : sql``;
    return pagesOf(async (after, pageSize) => {
      this.checkOpen();
      const startClause =
        after !== undefined
          ? sql`and cc > ${after}`
          : from !== undefined && from.length > 0
            ? sql`and cc >= ${from}`
            : sql``;
      const rows = await sql`
        select cc, value from ${this.table}
        where pk = ${pk} ${startClause} ${endClause}
          and (expires_at = 0 or expires_at > ${this.clock()})
        order by cc limit ${pageSize}`.catch(storageFailure);
      return {
        rows: rows as unknown as KvEntry[],
        done: rows.length < pageSize,
      };
    }, READ_PAGE_ROWS);
  }

  async insertIfNotExists(
    pk: Uint8Array,
    cc: Uint8Array,
    value: Uint8Array,
    ttlSeconds?: number,
  ): Promise<boolean> {
    this.checkOpen();
    checkKey(pk, cc);
    checkValue(value);
    const now = this.clock();
    const expiresAt = expiryAfter(ttlSeconds, now);
    // An expired row is replaced as if it were absent; a live one is left alone.
    const rows = await this.sql`
      insert into ${this.table} as row (pk, cc, value, expires_at)
      values (${pk}, ${cc}, ${value}, ${expiresAt})
      on conflict (pk, cc) do update set value = excluded.value, expires_at = excluded.expires_at
        where row.expires_at <> 0 and row.expires_at <= ${now}
      returning 1`.catch(storageFailure);
    return rows.length === 1;
  }

  async compareAndSwap(
    pk: Uint8Array,
    cc: Uint8Array,
    expected: Uint8Array,
    value: Uint8Array,
    ttlSeconds?: number,
  ): Promise<boolean> {
    this.checkOpen();
    checkKey(pk, cc);
    checkValue(expected);
    checkValue(value);
    const now = this.clock();
    const expiresAt = expiryAfter(ttlSeconds, now);
    const rows = await this.sql`
      update ${this.table} set value = ${value}, expires_at = ${expiresAt}
      where pk = ${pk} and cc = ${cc} and value = ${expected}
        and (expires_at = 0 or expires_at > ${now})
      returning 1`.catch(storageFailure);
    return rows.length === 1;
  }

  async compareAndDelete(pk: Uint8Array, cc: Uint8Array, expected: Uint8Array): Promise<boolean> {
    this.checkOpen();
    checkKey(pk, cc);
    checkValue(expected);
    const rows = await this.sql`
      delete from ${this.table}
      where pk = ${pk} and cc = ${cc} and value = ${expected}
        and (expires_at = 0 or expires_at > ${this.clock()})
      returning 1`.catch(storageFailure);
    return rows.length === 1;
  }

  ttlGet(pk: Uint8Array, cc: Uint8Array): Promise<Uint8Array | undefined> {
    return this.get(pk, cc);
  }

  ttlRead(pk: Uint8Array, from?: Uint8Array, to?: Uint8Array): AsyncIterable<KvEntry> {
    return this.read(pk, from, to);
  }

  async purgeExpired(limit = DEFAULT_PURGE_LIMIT): Promise<number> {
    this.checkOpen();
    checkPurgeLimit(limit);
    // The partial index on expires_at finds the candidates without scanning live rows.
    const rows = await this.sql`
      delete from ${this.table} where ctid = any(array(
        select ctid from ${this.table}
        where expires_at <> 0 and expires_at <= ${this.clock()} limit ${limit}))
      returning 1`.catch(storageFailure);
    return rows.length;
  }

  async queryTtl(pk: Uint8Array, cc: Uint8Array): Promise<number | undefined> {
    this.checkOpen();
    checkKey(pk, cc);
    const now = this.clock();
    const [row] = await this.sql`
      select expires_at from ${this.table}
      where pk = ${pk} and cc = ${cc} and (expires_at = 0 or expires_at > ${now})`.catch(
      storageFailure,
    );
    return row === undefined ? undefined : remainingTtl(expiryOfRow(row), now);
  }
}

function tableOf(keyspace: string): string {
  return `kv_${keyspace}`;
}

function batchKeyOf(item: KvBatchItem): string {
  return `${Buffer.from(item.pk).toString('hex')}:${Buffer.from(item.cc).toString('hex')}`;
}

export interface PostgresStorageOptions {
  /** Connection URL, e.g. `postgres://user:pass@host:5432/db?sslmode=require`. */
  url: string;
  /** The schema that holds the keyspace tables; created on first use. Default `voedger`. */
  schema?: string;
  /** Connections in the pool. Default 10. */
  maxConnections?: number;
  /**
   * TLS: `true` or `'require'` to demand it, `'verify-full'` to also check the server's name,
   * or Node TLS options (CA, client certificate). A `sslmode` in the URL works too.
   */
  tls?: boolean | 'require' | 'allow' | 'prefer' | 'verify-full' | ConnectionOptions;
  /** Seconds to wait for a connection before failing. Default 10. */
  connectTimeoutSeconds?: number;
  /** Time source for TTLs; tests pass a clock they can move. */
  clock?: Clock;
}

const SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Keyspaces in a PostgreSQL database: a table per keyspace in one schema, created on first use.
 * Several server processes may share the database.
 */
export class PostgresStorageProvider implements StorageProvider {
  readonly backend = 'postgres';
  private readonly spaces = new OpenKeyspaces<PostgresStorage>();

  private constructor(
    private readonly sql: Sql,
    private readonly schema: string,
    private readonly clock: Clock,
  ) {}

  /** Connects, and creates the schema when missing. Fails fast when the server is unreachable. */
  static async open(options: PostgresStorageOptions): Promise<PostgresStorageProvider> {
    const schema = options.schema ?? 'voedger';
    if (!SCHEMA_PATTERN.test(schema)) {
      throw new StorageError('INVALID_ARGUMENT', `invalid PostgreSQL schema name '${schema}'`);
    }
    let sql: Sql;
    try {
      sql = postgres(options.url, {
        max: options.maxConnections ?? 10,
        connect_timeout: options.connectTimeoutSeconds ?? 10,
        onnotice: () => {},
        ...(options.tls === undefined ? {} : { ssl: options.tls }),
      });
    } catch (error) {
      throw unavailable(options.url, error);
    }
    try {
      await sql.begin(async (tx) => {
        await tx`select pg_advisory_xact_lock(hashtext(${`voedger schema ${schema}`}))`;
        await tx`create schema if not exists ${tx(schema)}`;
      });
    } catch (error) {
      await sql.end({ timeout: 1 }).catch(() => {});
      throw unavailable(options.url, error);
    }
    return new PostgresStorageProvider(sql, schema, options.clock ?? Date.now);
  }

  async open(keyspace: string): Promise<KvStorage> {
    checkKeyspaceName(keyspace);
    return this.spaces.get(keyspace, async () => {
      const table = this.sql(`${this.schema}.${tableOf(keyspace)}`);
      // Serialised by an advisory lock: concurrent CREATE TABLE IF NOT EXISTS can still collide.
      await this.sql.begin(async (tx) => {
        await tx`select pg_advisory_xact_lock(hashtext(${`voedger keyspace ${keyspace}`}))`;
        await tx`
          create table if not exists ${table} (
            pk bytea not null,
            cc bytea not null,
            value bytea not null,
            expires_at bigint not null default 0,
            primary key (pk, cc)
          )`;
        await tx`
          create index if not exists ${tx(`${tableOf(keyspace)}_expiry`)}
          on ${table} (expires_at) where expires_at <> 0`;
      });
      return new PostgresStorage(keyspace, this.sql, this.schema, this.clock);
    });
  }

  async keyspaces(): Promise<string[]> {
    this.spaces.checkOpen();
    const rows = await this.sql`
      select tablename from pg_tables
      where schemaname = ${this.schema} and tablename like 'kv\\_%' order by tablename`;
    return rows.map((row) => (row.tablename as string).slice(3));
  }

  async drop(keyspace: string): Promise<void> {
    this.spaces.checkOpen();
    checkKeyspaceName(keyspace);
    await this.spaces.forget(keyspace);
    await this.sql`drop table if exists ${this.sql(`${this.schema}.${tableOf(keyspace)}`)}`;
  }

  async close(): Promise<void> {
    if (!(await this.spaces.closeAll())) return;
    await this.sql.end({ timeout: 5 });
  }
}

/** The URL without its password, safe to print. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}

function unavailable(url: string, error: unknown): StorageError {
  const reason =
    error instanceof AggregateError
      ? error.errors.map((e: unknown) => (e instanceof Error ? e.message : String(e))).join('; ')
      : error instanceof Error
        ? error.message || (error as NodeJS.ErrnoException).code || error.name
        : String(error);
  return new StorageError(
    'UNAVAILABLE',
    `cannot connect to PostgreSQL at ${redactUrl(url)}: ${reason}`,
    { cause: error },
  );
}
