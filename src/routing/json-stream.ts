// Row-by-row JSON answers (http-api.md §2.2, §2.4). The status is decided by the first row: an
// error before it is answered with its own status; an error after it is appended to the rows
// already sent, under a 200. A small result goes out as one body; a large one is streamed in
// chunks that are produced only as fast as the client reads them, so a slow client never makes
// the server hold a whole result.
import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { toProcessorError } from '../processors/index.js';
import { v1ErrorBody, v2ErrorBody } from './http-errors.js';

/** How a list of rows is framed in JSON. */
interface ListShape {
  readonly prefix: string;
  readonly suffix: string;
  /** The whole body when there are no rows. */
  readonly empty: string;
  /** Closes the body with an error instead of `suffix`, after some rows were sent. */
  errorTail(error: unknown): string;
}

/** API v1 query: `{"sections":[{"type":"","elements":[row,...]}]}`, `{}` without rows. */
export const V1_SECTIONS: ListShape = {
  prefix: '{"sections":[{"type":"","elements":[',
  suffix: ']}]}',
  empty: '{}',
  errorTail: (e) =>
    `]}],"sys.Error":${JSON.stringify(v1ErrorBody(toProcessorError(e))['sys.Error'])}}`,
};

/** API v2 reads: `{"results":[row,...]}`. */
export const V2_RESULTS: ListShape = {
  prefix: '{"results":[',
  suffix: ']}',
  empty: '{"results":[]}',
  errorTail: (e) => `],"error":${JSON.stringify(v2ErrorBody(toProcessorError(e)))}}`,
};

/** Below this, a body is sent whole (with a Content-Length); above it, in chunks of this size. */
const CHUNK = 64 * 1024;

/**
 * Sends `rows` framed by `shape`. Rejects (so that the route's error handler answers) only when
 * the first row fails. `done` runs once, when the rows are finished with or the client has gone.
 */
export async function sendRows(
  reply: FastifyReply,
  rows: AsyncIterable<unknown>,
  shape: ListShape,
  done: () => void = () => {},
): Promise<void> {
  const it = rows[Symbol.asyncIterator]();
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    done();
  };
  let next: IteratorResult<unknown>;
  try {
    next = await it.next();
  } catch (error) {
    finish();
    throw error;
  }
  reply.type('application/json').header('x-content-type-options', 'nosniff');
  if (next.done === true) {
    finish();
    return reply.send(shape.empty);
  }
  let body = shape.prefix + JSON.stringify(next.value);
  for (;;) {
    try {
      next = await it.next();
    } catch (error) {
      finish();
      return reply.send(body + shape.errorTail(error));
    }
    if (next.done === true) {
      finish();
      return reply.send(body + shape.suffix);
    }
    body += `,${JSON.stringify(next.value)}`;
    if (body.length >= CHUNK) break;
  }
  // A large result: the rest streams, pulled chunk by chunk as the socket drains.
  const first = body;
  async function* chunks(): AsyncGenerator<string> {
    try {
      yield first;
      let chunk = '';
      for (;;) {
        let r: IteratorResult<unknown>;
        try {
          r = await it.next();
        } catch (error) {
          yield chunk + shape.errorTail(error);
          return;
        }
        if (r.done === true) {
          yield chunk + shape.suffix;
          return;
        }
        chunk += `,${JSON.stringify(r.value)}`;
        if (chunk.length >= CHUNK) {
          yield chunk;
          chunk = '';
        }
      }
    } finally {
      // The client may have gone mid-way: close the query's rows too.
      await it.return?.();
      finish();
    }
  }
  return reply.send(Readable.from(chunks(), { objectMode: false }));
}
