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
 * A range read as pages (keyset pagination): each page is fetched after the last key of the one
 * before, so a range of any length streams in bounded memory and holds no transaction or
 * connection while the consumer is busy. Every backend reads ranges through this one mechanism.
 */
export async function* pagesOf(
  fetchPage: FetchPage,
  pageSize: number,
): AsyncGenerator<readonly KvEntry[], void, undefined> {
  let after: Uint8Array | undefined;
  for (;;) {
    const { rows, done } = await fetchPage(after, pageSize);
    if (rows.length > 0) yield rows;
    if (done || rows.length === 0) return;
    after = (rows[rows.length - 1] as KvEntry).cc;
  }
}

/**
 * The rows of a paged range one at a time. Written by hand rather than as an async generator: a
 * buffered row costs one resolved promise, half of what a generator's `yield` costs.
 */
export function rowsOf(pages: AsyncIterable<readonly KvEntry[]>): AsyncIterable<KvEntry> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<KvEntry> {
      const pageIterator = pages[Symbol.asyncIterator]();
      let page: readonly KvEntry[] = [];
      let index = 0;
      let finished = false;
      const done: IteratorReturnResult<undefined> = { done: true, value: undefined };

      async function nextPage(): Promise<IteratorResult<KvEntry>> {
        const fetched = await pageIterator.next();
        if (fetched.done === true) {
          finished = true;
          return done;
        }
        page = fetched.value;
        index = 0;
        return next();
      }

      function next(): Promise<IteratorResult<KvEntry>> {
        if (index < page.length) {
          return Promise.resolve({ done: false, value: page[index++] as KvEntry });
        }
        return finished ? Promise.resolve(done) : nextPage();
      }

      return {
        next,
        async return(): Promise<IteratorResult<KvEntry>> {
          finished = true;
          page = [];
          await pageIterator.return?.();
          return done;
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
