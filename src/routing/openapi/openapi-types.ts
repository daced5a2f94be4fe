// The subset of OpenAPI 3.0 this module writes: plain JSON-compatible objects, so a document can be
// sent as it is (`JSON.stringify`) and checked by any OpenAPI validator.

export interface ReferenceObject {
  readonly $ref: string;
}

export interface SchemaObject {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  description?: string;
  properties?: Record<string, SchemaOrRef>;
  required?: string[];
  additionalProperties?: boolean | SchemaOrRef;
  items?: SchemaOrRef;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  example?: unknown;
  oneOf?: SchemaOrRef[];
  allOf?: SchemaOrRef[];
}

export type SchemaOrRef = SchemaObject | ReferenceObject;

export interface MediaTypeObject {
  schema: SchemaOrRef;
  example?: unknown;
}

export interface ParameterObject {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  description?: string;
  /** Either `schema` (plain values) or `content` (a JSON-encoded value), as OpenAPI requires. */
  schema?: SchemaOrRef;
  content?: Record<string, MediaTypeObject>;
}

export interface RequestBodyObject {
  required: boolean;
  description?: string;
  content: Record<string, MediaTypeObject>;
}

export interface HeaderObject {
  description?: string;
  schema: SchemaOrRef;
}

export interface ResponseObject {
  description: string;
  headers?: Record<string, HeaderObject>;
  content?: Record<string, MediaTypeObject>;
}

/** Names of security schemes, each with its (always empty) list of scopes. */
export type SecurityRequirement = Record<string, string[]>;

export interface OperationObject {
  tags?: string[];
  summary?: string;
  description?: string;
  /** An empty list makes the operation anonymous, overriding the document's default. */
  security?: SecurityRequirement[];
  parameters?: ParameterObject[];
  requestBody?: RequestBodyObject;
  responses: Record<string, ResponseObject>;
}

export type HttpVerb = 'get' | 'post' | 'patch' | 'delete';

export type PathItemObject = Partial<Record<HttpVerb, OperationObject>>;

export interface SecuritySchemeObject {
  type: 'http' | 'apiKey';
  description?: string;
  scheme?: string;
  bearerFormat?: string;
  name?: string;
  in?: 'header' | 'query' | 'cookie';
}

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string };
  servers: { url: string; description?: string }[];
  security: SecurityRequirement[];
  paths: Record<string, PathItemObject>;
  components: {
    schemas: Record<string, SchemaOrRef>;
    securitySchemes: Record<string, SecuritySchemeObject>;
  };
}
