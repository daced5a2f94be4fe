// Building blocks of the operations: path and query parameters of API v2 (http-api.md §2.4), success
// bodies, and the error answers with their two bodies (§2.5): a plain v2 error, or, on endpoints that
// answer a list, the empty list with the error.

import type {
  ParameterObject,
  RequestBodyObject,
  ResponseObject,
  SchemaObject,
  SchemaOrRef,
} from './openapi-types.js';
import { ERROR_SCHEMA, RESULTS_ERROR_SCHEMA, schemaRef } from './schema-components.js';

export const JSON_MEDIA = 'application/json';

export const wsidParam: ParameterObject = {
  name: 'wsid',
  in: 'path',
  required: true,
  description: 'ID of the workspace',
  schema: { type: 'integer', format: 'int64' },
};

export function idParam(typeName: string, singleton: boolean): ParameterObject {
  return {
    name: 'id',
    in: 'path',
    required: true,
    description: singleton
      ? `ID of the ${typeName} record: 0, as it is a singleton`
      : `ID of the ${typeName} record`,
    schema: { type: 'integer', format: 'int64' },
  };
}

export const keysParam: ParameterObject = {
  name: 'keys',
  in: 'query',
  required: false,
  description:
    'Comma-separated fields to keep in each object, all others are dropped; quote dotted names (`"sys.ID"`), `a.b` for a field of an included object',
  schema: { type: 'string' },
};

export const includeParam: ParameterObject = {
  name: 'include',
  in: 'query',
  required: false,
  description:
    'Comma-separated reference fields to replace by the records they refer to, and nested containers to add; `a.b` goes deeper',
  schema: { type: 'string' },
};

/** Ordering and paging of a list; applied in that order, after filtering. */
export const listParams: readonly ParameterObject[] = [
  {
    name: 'order',
    in: 'query',
    required: false,
    description: 'Comma-separated fields to sort by; `-field` sorts descending',
    schema: { type: 'string' },
  },
  {
    name: 'limit',
    in: 'query',
    required: false,
    description: 'Maximum number of results',
    schema: { type: 'integer', format: 'int32', minimum: 0 },
  },
  {
    name: 'skip',
    in: 'query',
    required: false,
    description: 'Number of results to skip',
    schema: { type: 'integer', format: 'int32', minimum: 0 },
  },
];

/** A query-string parameter that carries a JSON value, URL-encoded. */
export function jsonQueryParam(
  name: string,
  schema: SchemaOrRef,
  required: boolean,
  description: string,
): ParameterObject {
  return { name, in: 'query', required, description, content: { [JSON_MEDIA]: { schema } } };
}

export function jsonBody(schema: SchemaOrRef, required = true): RequestBodyObject {
  return { required, content: { [JSON_MEDIA]: { schema } } };
}

export function jsonResponse(description: string, schema: SchemaOrRef): ResponseObject {
  return { description, content: { [JSON_MEDIA]: { schema } } };
}

/** `{"results":[...]}`, which may end with the error that stopped the rows. */
export function resultsSchema(items: SchemaOrRef): SchemaObject {
  return {
    type: 'object',
    properties: {
      results: { type: 'array', items },
      error: {
        allOf: [schemaRef(ERROR_SCHEMA)],
        description: 'Present when a failure stopped the rows after some were sent',
      },
    },
    required: ['results'],
  };
}

const statusDescriptions: Readonly<Record<number, string>> = {
  400: 'Bad request',
  401: 'Unauthorized: no token, or an invalid or expired one',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  410: 'The workspace is not active',
  413: 'Payload too large',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable; the body may be empty',
};

/**
 * Error answers by status. `list` endpoints answer errors before the first row as an empty list
 * with the error; the router's own checks still answer the plain error body.
 */
export function errorResponses(
  statuses: readonly number[],
  body: 'plain' | 'list',
): Record<string, ResponseObject> {
  const schema: SchemaOrRef =
    body === 'plain'
      ? schemaRef(ERROR_SCHEMA)
      : { oneOf: [schemaRef(RESULTS_ERROR_SCHEMA), schemaRef(ERROR_SCHEMA)] };
  const out: Record<string, ResponseObject> = {};
  for (const status of statuses) {
    const response = jsonResponse(statusDescriptions[status] ?? 'Error', schema);
    if (status === 429 || status === 503) {
      response.headers = {
        'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } },
      };
    }
    out[String(status)] = response;
  }
  return out;
}
