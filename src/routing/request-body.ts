// Request bodies of the API routes arrive as text (every content type; clients of the reference
// often send JSON without a JSON content type) and are parsed here, so that a bad body gets the
// reference's message in the route's error format.
import { HttpError } from './http-errors.js';

/** The text of a request body; empty when there is none. */
export function bodyText(body: unknown): string {
  return typeof body === 'string' ? body : '';
}

/** A JSON object body; 400 `failed to unmarshal request body` for anything else. */
export function jsonObjectBody(body: unknown): Record<string, unknown> {
  const text = bodyText(body);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'failed to unmarshal request body');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError(400, 'failed to unmarshal request body: a JSON object is expected');
  }
  return value as Record<string, unknown>;
}

/** A JSON object body that may also be empty (then `{}`). */
export function optionalJsonObjectBody(body: unknown): Record<string, unknown> {
  return bodyText(body).trim() === '' ? {} : jsonObjectBody(body);
}
