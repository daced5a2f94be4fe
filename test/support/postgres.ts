/**
 * Finds the PostgreSQL server the tests use. Tests that need it skip, saying why, when none is
 * reachable, unless VOEDGER_REQUIRE_POSTGRES=1 (set by .ci/run) turns that into a failure.
 */
import postgres from 'postgres';

export const DEFAULT_TEST_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

let probe: Promise<string | undefined> | undefined;

/** The URL of a reachable test server, or undefined (after logging why) when there is none. */
export function postgresTestUrl(): Promise<string | undefined> {
  probe ??= (async () => {
    const url = process.env.VOEDGER_TEST_POSTGRES_URL ?? DEFAULT_TEST_POSTGRES_URL;
    const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
    try {
      await sql`select 1`;
      return url;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (process.env.VOEDGER_REQUIRE_POSTGRES === '1') {
        throw new Error(
          `PostgreSQL is required (VOEDGER_REQUIRE_POSTGRES=1) but ${url}: ${reason}`,
        );
      }
      return undefined;
    } finally {
      await sql.end({ timeout: 1 });
    }
  })();
  return probe;
}

export const POSTGRES_SKIP_REASON =
  'no PostgreSQL reachable (set VOEDGER_TEST_POSTGRES_URL, default ' +
  `${DEFAULT_TEST_POSTGRES_URL}); PostgreSQL tests skipped`;

/** Drops a test schema and everything in it. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`drop schema if exists ${sql(schema)} cascade`;
  } finally {
    await sql.end({ timeout: 1 });
  }
}
