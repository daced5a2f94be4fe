// The two error bodies of the reference (http-api.md §2.5): API v1 processors answer
// `{"sys.Error":{...}}`, API v2 and the router `{"status":..,"message":..}`. Every failure reaches
// the client in one of them, with the failure's status; nothing else (no stack) leaks.
import { ProcessorError } from '../processors/index.js';

/**
 * Which body a route renders its errors in: v1 processors, v2 (and the router), or a v2 array
 * read, whose errors come inside an empty result list.
 */
export type ErrorFormat = 'v1' | 'v2' | 'v2-results';

/** A failure the HTTP layer answers with: a status, a message, and headers such as Retry-After. */
export class HttpError extends ProcessorError {
  readonly headers: Readonly<Record<string, string>>;
  /** Answer with an empty body (the reference's 503 load shedding does). */
  readonly emptyBody: boolean;

  constructor(
    status: number,
    message: string,
    options: { headers?: Record<string, string>; emptyBody?: boolean; qname?: string } = {},
  ) {
    super(status, message, options.qname === undefined ? {} : { qname: options.qname });
    this.headers = options.headers ?? {};
    this.emptyBody = options.emptyBody ?? false;
  }
}

/** A router-level failure (URL validation, unknown app, bad header): always the v2 body. */
export class RouterError extends HttpError {}

/** `{"sys.Error":{"HTTPStatus":..,"Message":..[,"QName"][,"Data"]}}` */
export function v1ErrorBody(e: ProcessorError): Record<string, unknown> {
  const inner: Record<string, unknown> = { HTTPStatus: e.status, Message: e.message };
  if (e.qname !== undefined && e.qname !== '') inner.QName = e.qname;
  if (e.data !== undefined && e.data !== '') inner.Data = e.data;
  return { 'sys.Error': inner };
}

/** `{"status":..,"message":..[,"qname"][,"data"]}` */
export function v2ErrorBody(e: ProcessorError): Record<string, unknown> {
  const body: Record<string, unknown> = { status: e.status, message: e.message };
  if (e.qname !== undefined && e.qname !== '') body.qname = e.qname;
  if (e.data !== undefined && e.data !== '') body.data = e.data;
  return body;
}

export function errorBody(e: ProcessorError, format: ErrorFormat): Record<string, unknown> {
  if (e instanceof RouterError || format === 'v2') return v2ErrorBody(e);
  return format === 'v1' ? v1ErrorBody(e) : { results: [], error: v2ErrorBody(e) };
}
