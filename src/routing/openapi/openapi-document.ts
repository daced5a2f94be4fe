// The OpenAPI 3.0 document of what one role may do in one kind of workspace through API v2, served by
// `GET /api/v2/apps/{o}/{a}/schemas/{pkg}.{ws}/roles/{rpkg}.{role}` (http-api.md §1.2). It lists the
// routes the role's grants open, as the reference's query2 `CreateOpenAPISchema` does, with the
// request and answer bodies of each.
import type { AppDef } from '../../schema/index.js';
import { ApiPaths } from './openapi-paths.js';
import type { OpenApiDocument } from './openapi-types.js';
import { roleGrants } from './role-grants.js';
import { SchemaComponents } from './schema-components.js';
import { resolveRole, splitAppQName } from './schema-target.js';

export const OPENAPI_VERSION = '3.0.3';
export const BEARER_AUTH = 'BearerAuth';
export const COOKIE_AUTH = 'CookieAuth';

export interface OpenApiOptions {
  /** The application, `owner/name`; its names are written into the paths. */
  readonly appQName: string;
  /** The workspace kind, `pkg.Workspace`. */
  readonly workspace: string;
  /** The role, `pkg.Role`, as the workspace sees it (its own or an ancestor's). */
  readonly role: string;
  /**
   * Where clients reach the server: an origin, optionally with a base path (`https://example.com`).
   * The document's server is `<serverUrl>/api/v2`; without it, the same origin as the document.
   */
  readonly serverUrl?: string;
  /**
   * The caller is a developer (the reference's `sys.Developer` principal): unpublished roles are
   * described too, and the document adds the user and device creation routes.
   */
  readonly developer?: boolean;
}

/**
 * The role's document. Throws SchemaRouteError: 400 for a malformed application name or an empty
 * workspace, 404 for an unknown workspace or role, 403 for a role that is not published.
 */
export function openApiDocument(app: AppDef, options: OpenApiOptions): OpenApiDocument {
  const { owner, name } = splitAppQName(options.appQName);
  const developer = options.developer ?? false;
  const role = resolveRole(app, options.workspace, options.role, developer);

  const grants = roleGrants(app, options.workspace, role.name);
  const components = new SchemaComponents(app, grants);
  const paths = new ApiPaths(
    app,
    components,
    `/apps/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`,
  );
  paths.addAuth();
  if (developer) paths.addUsersAndDevices();
  for (const grant of grants.values()) paths.addType(grant);

  const comment = role.comment.join('\n').trim();
  const doc: OpenApiDocument = {
    openapi: OPENAPI_VERSION,
    info: {
      title: `${options.appQName}: ${role.name} in ${options.workspace}`,
      version: '1.0.0',
      description:
        comment !== ''
          ? comment
          : `The API v2 operations role ${role.name} may use in workspaces of kind ${options.workspace}`,
    },
    servers: [{ url: `${(options.serverUrl ?? '').replace(/\/+$/, '')}/api/v2` }],
    security: [{ [BEARER_AUTH]: [] }, { [COOKIE_AUTH]: [] }],
    paths: paths.paths,
    components: {
      schemas: components.schemas,
      securitySchemes: {
        [BEARER_AUTH]: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'The principal token from auth/login',
        },
        [COOKIE_AUTH]: {
          type: 'apiKey',
          in: 'cookie',
          name: 'Authorization',
          description: 'The same token in a cookie, as `Bearer <token>` (URL-encoded)',
        },
      },
    },
  };
  // the parts shared between operations are module constants: give the caller its own copy
  return structuredClone(doc);
}
