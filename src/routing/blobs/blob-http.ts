// The HTTP side of BLOB transfers: request bodies as byte streams, header texts, and BLOBs sent
// back as streams with their description in the headers.
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import type { StoredBlob } from '../../structs/index.js';
import { HttpError } from '../http-errors.js';

/**
 * The request body as a stream of bytes, read only when the upload gets to it. Leaving it early
 * (the BLOB is too large) does not destroy the request, so the error can still be answered on the
 * connection; {@link discardUnread} then lets the rest of the body go.
 */
export function bodyOf(raw: IncomingMessage): AsyncIterable<Uint8Array> {
  return {
    [Symbol.asyncIterator]: () =>
      raw.iterator({ destroyOnReturn: false }) as AsyncIterator<Uint8Array>,
  };
}

/**
 * Reads and drops what is left of a request body, so that the answer goes out and the connection
 * stays usable. The server's request timeout bounds how long a client can keep sending.
 */
export function discardUnread(raw: IncomingMessage): void {
  if (!raw.readableEnded) raw.resume();
}

/**
 * A header's text. Node reads header bytes as Latin-1; clients send non-ASCII names as UTF-8, so
 * the bytes are decoded as UTF-8 when they are valid UTF-8.
 */
export function headerText(value: string | string[] | undefined): string {
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined) return '';
  try {
    return strictUtf8.decode(Buffer.from(first, 'latin1'));
  } catch {
    return first;
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A text as a header value: UTF-8 bytes (Node writes header strings as Latin-1, one byte per
 * character), with the characters a header cannot carry turned into spaces, as Go's server does
 * for line breaks.
 */
export function headerValue(text: string): string {
  return Buffer.from(text, 'utf8')
    .toString('latin1')
    .replace(/[^\t\x20-\x7e\x80-\xff]/g, ' ');
}

/** Answers with a BLOB: its content type, name and size in the headers, its content streamed. */
export function sendBlob(reply: FastifyReply, blob: StoredBlob): FastifyReply {
  const { state } = blob;
  return reply
    .status(200)
    .header('content-type', headerValue(state.contentType))
    .header('blob-name', headerValue(state.name))
    .header('content-length', String(state.size))
    .send(Readable.from(blob.content, { objectMode: false }));
}

/**
 * Counts the BLOB requests being served; beyond `max` a request is refused with 503, an empty
 * body and `Retry-After: 1`, as the reference does when all its BLOB processors are busy.
 */
export function inFlightLimit(max: number): (reply: FastifyReply) => void {
  let current = 0;
  return (reply) => {
    if (current >= max) {
      throw new HttpError(503, 'no BLOB processors available', {
        headers: { 'retry-after': '1' },
        emptyBody: true,
      });
    }
    current++;
    reply.raw.once('close', () => {
      current--;
    });
  };
}
