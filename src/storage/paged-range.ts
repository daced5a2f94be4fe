import type { KvEntry } from './kv-storage.js';

/** Up to `pageSize` rows, and whether they are the last of the range. */
export interface RangePage {
  readonly rows: readonly KvEntry[];
  readonly done: boolean;
}

/**
 * Fetches the page of rows that follow `after` (from the start of the range when undefined).
 * May answer synchronously (LMDB, mem) or not (PostgreSQL).
 */
export type FetchPage = (
  after: Uint8Array | undefined,
  pageSize: number,
) => RangePage | Promise<RangePage>;

/**
 * A range read as an async iterable that fetches one page at a time (keyset pagination), so a
 * range of any length streams in bounded memory and holds no transaction or connection while the
 * consumer is busy. Every backend reads ranges through this one mechanism.
 *
 * The iterator is written by hand rather than as an async generator: a buffered row costs one
 * resolved promise, which keeps our layer near the raw driver's speed on long ranges.
 */
export function pagedRange(fetchPage: FetchPage, pageSize: number): AsyncIterable<KvEntry> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<KvEntry> {
      let page: readonly KvEntry[] = [];
      let index = 0;
      let last = false;
      let started = false;

      const done: IteratorReturnResult<undefined> = { done: true, value: undefined };

      async function fetchNext(): Promise<IteratorResult<KvEntry>> {
        const after = started ? page[page.length - 1]?.cc : undefined;
        started = true;
        const fetched = await fetchPage(after, pageSize);
        page = fetched.rows;
        index = 0;
        last = fetched.done;
        return next();
      }

      function next(): Promise<IteratorResult<KvEntry>> {
        if (index < page.length) {
          const value = page[index++] as KvEntry;
          return Promise.resolve({ done: false, value });
        }
        if (last) return Promise.resolve(done);
        return fetchNext();
      }

      return {
        next,
        return(): Promise<IteratorResult<KvEntry>> {
          last = true;
          page = [];
          return Promise.resolve(done);
        },
      };
    },
  };
}

/** Collects a range into an array: for tests and small ranges only. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
