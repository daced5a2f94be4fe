// API v2's schema routes: OpenAPI documents of published roles and the HTML pages that list and show
// them. Framework-free; the HTTP server mounts the answers and the Swagger UI assets.
export {
  BEARER_AUTH,
  COOKIE_AUTH,
  OPENAPI_VERSION,
  type OpenApiOptions,
  openApiDocument,
} from './openapi-document.js';
export type * from './openapi-types.js';
export { type GrantedFields, roleGrants, type TypeGrant } from './role-grants.js';
export {
  HTML_CONTENT_TYPE,
  roleSchemaUrl,
  type SchemaPageOptions,
  type SwaggerUiPageOptions,
  schemasPage,
  schemasUrl,
  swaggerUiPage,
  workspaceRolesPage,
  workspaceRolesUrl,
} from './schema-pages.js';
export {
  JSON_CONTENT_TYPE,
  type RoleSchemaOptions,
  roleSchemaAnswer,
  type SchemaAnswer,
  schemasAnswer,
  workspaceRolesAnswer,
} from './schema-routes.js';
export { SchemaRouteError } from './schema-target.js';
export {
  SWAGGER_UI_ASSET_FILES,
  SWAGGER_UI_ASSETS_PREFIX,
  type SwaggerUiAsset,
  swaggerUiAsset,
  swaggerUiAssetsDir,
} from './swagger-ui-assets.js';
