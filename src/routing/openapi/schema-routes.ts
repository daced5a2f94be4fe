// The answers of the three schema routes, free of any HTTP framework: the server maps a route to one
// of these and sends `body` with status 200 and `contentType`; a SchemaRouteError it renders as the
// v2 error body with the error's status.
import type { AppDef } from '../../schema/index.js';
import { type OpenApiOptions, openApiDocument } from './openapi-document.js';
import {
  HTML_CONTENT_TYPE,
  type SchemaPageOptions,
  schemasPage,
  swaggerUiPage,
  workspaceRolesPage,
} from './schema-pages.js';

export const JSON_CONTENT_TYPE = 'application/json';

export interface SchemaAnswer {
  readonly contentType: string;
  readonly body: string;
}

/** `GET /api/v2/apps/{o}/{a}/schemas` */
export function schemasAnswer(app: AppDef, options: SchemaPageOptions): SchemaAnswer {
  return { contentType: HTML_CONTENT_TYPE, body: schemasPage(app, options) };
}

/** `GET /api/v2/apps/{o}/{a}/schemas/{pkg}.{ws}/roles` */
export function workspaceRolesAnswer(
  app: AppDef,
  options: SchemaPageOptions & { readonly workspace: string },
): SchemaAnswer {
  return { contentType: HTML_CONTENT_TYPE, body: workspaceRolesPage(app, options) };
}

export interface RoleSchemaOptions extends OpenApiOptions {
  /** The request's Accept header: the Swagger UI page when it contains `text/html`, else JSON. */
  readonly accept?: string;
  /** Where the server serves the Swagger UI files; see SWAGGER_UI_ASSETS_PREFIX. */
  readonly assetsPrefix?: string;
}

/**
 * `GET /api/v2/apps/{o}/{a}/schemas/{pkg}.{ws}/roles/{rpkg}.{role}`: the role's OpenAPI document,
 * or its Swagger UI page for a browser. The role is checked either way (the reference builds the
 * document first), so an unknown role is an error for browsers too.
 */
export function roleSchemaAnswer(app: AppDef, options: RoleSchemaOptions): SchemaAnswer {
  const doc = openApiDocument(app, options);
  if (options.accept?.includes('text/html') === true) {
    const page = {
      appQName: options.appQName,
      workspace: options.workspace,
      role: options.role,
      ...(options.assetsPrefix === undefined ? {} : { assetsPrefix: options.assetsPrefix }),
    };
    return { contentType: HTML_CONTENT_TYPE, body: swaggerUiPage(page) };
  }
  return { contentType: JSON_CONTENT_TYPE, body: JSON.stringify(doc) };
}
