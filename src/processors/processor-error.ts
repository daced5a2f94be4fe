/**
 * An error a processor answers a request with: an HTTP status, a stable message, and optionally the
 * QName of the error type and extra data, as the reference's `SysError` carries them. The HTTP
 * layer renders it in the route's error format; nothing else about the failure leaks to the client.
 */
export class ProcessorError extends Error {
  override readonly name = 'ProcessorError';
  readonly status: number;
  readonly qname: string | undefined;
  readonly data: string | undefined;

  constructor(
    status: number,
    message: string,
    options: { qname?: string; data?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = status;
    this.qname = options.qname;
    this.data = options.data;
  }
}

export const badRequest = (message: string): ProcessorError => new ProcessorError(400, message);
export const forbidden = (message: string): ProcessorError => new ProcessorError(403, message);
export const notFound = (message: string): ProcessorError => new ProcessorError(404, message);
export const conflict = (message: string): ProcessorError => new ProcessorError(409, message);

/** Any thrown value as a ProcessorError; unknown failures are 500 with their message. */
export function toProcessorError(error: unknown): ProcessorError {
  if (error instanceof ProcessorError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ProcessorError(500, message, { cause: error });
}
