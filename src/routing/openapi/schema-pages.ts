// The HTML pages of the schema routes (http-api.md §1.2): the application's workspaces, a workspace's
// roles, and the Swagger UI of a role's document. The two lists are written as the reference writes
// them (its integration tests compare whole bodies); every name is escaped.
import type { AppDef } from '../../schema/index.js';
import { escapeHtml, scriptJson } from './html.js';
import { listedRoles, resolveWorkspace, splitAppQName } from './schema-target.js';
import { SWAGGER_UI_ASSETS_PREFIX } from './swagger-ui-assets.js';

export const HTML_CONTENT_TYPE = 'text/html; charset=utf-8';

export interface SchemaPageOptions {
  /** The application, `owner/name`. */
  readonly appQName: string;
  /** The caller is a developer: every workspace and role is listed, not only published roles. */
  readonly developer?: boolean;
}

/** `/api/v2/apps/{o}/{a}/schemas`, with each part URL-encoded. */
export function schemasUrl(appQName: string): string {
  const { owner, name } = splitAppQName(appQName);
  return `/api/v2/apps/${encodeURIComponent(owner)}/${encodeURIComponent(name)}/schemas`;
}

export function workspaceRolesUrl(appQName: string, workspace: string): string {
  return `${schemasUrl(appQName)}/${encodeURIComponent(workspace)}/roles`;
}

export function roleSchemaUrl(appQName: string, workspace: string, role: string): string {
  return `${workspaceRolesUrl(appQName, workspace)}/${encodeURIComponent(role)}`;
}

/**
 * `GET /schemas`: the workspaces, grouped by package, that see a published role (or all of them,
 * for a developer), each linking to its roles.
 */
export function schemasPage(app: AppDef, options: SchemaPageOptions): string {
  splitAppQName(options.appQName);
  const developer = options.developer ?? false;
  const appName = escapeHtml(options.appQName);
  const workspaces = app
    .workspaces()
    .map((w) => w.name)
    .filter((w) => developer || listedRoles(app, w, false).length > 0);
  let body = '';
  if (workspaces.length === 0) {
    body = developer
      ? '<p>No workspaces found</p>'
      : '<p>No workspaces with published roles found</p>';
  } else {
    body = byPackage(workspaces, (w) => link(workspaceRolesUrl(options.appQName, w), w));
  }
  return `<html><head><title>App ${appName} schema</title></head><body><h1>App ${appName} schema</h1>${body}</body></html>`;
}

/**
 * `GET /schemas/{ws}/roles`: the workspace's published roles (all roles, for a developer), its own
 * and its ancestors', grouped by package, each linking to its document. Throws SchemaRouteError for
 * an unknown workspace (404).
 */
export function workspaceRolesPage(
  app: AppDef,
  options: SchemaPageOptions & { readonly workspace: string },
): string {
  splitAppQName(options.appQName);
  const developer = options.developer ?? false;
  const ws = resolveWorkspace(app, options.workspace);
  const what = developer ? 'roles' : 'published roles';
  const appName = escapeHtml(options.appQName);
  const wsName = escapeHtml(ws.name);
  const roles = listedRoles(app, ws.name, developer).map((r) => r.name);
  const body =
    roles.length === 0
      ? `<p>No ${what}</p>`
      : byPackage(roles, (r) => link(roleSchemaUrl(options.appQName, ws.name, r), r));
  return (
    `<html><head><title>App ${appName}: workspace ${wsName} ${what}</title></head><body>` +
    `<h1>App ${appName}</h1><h2>Workspace ${wsName} ${what}</h2>${body}</body></html>`
  );
}

export interface SwaggerUiPageOptions {
  readonly appQName: string;
  readonly workspace: string;
  readonly role: string;
  /** Where the Swagger UI files are served; `SWAGGER_UI_ASSETS_PREFIX` unless the server says otherwise. */
  readonly assetsPrefix?: string;
}

/**
 * The Swagger UI page of a role's document: it loads the UI from this server's assets and the
 * document from the role's schema URL (which answers JSON to the UI's `Accept`). It does not check
 * the role: `roleSchemaAnswer` does that before choosing this page.
 */
export function swaggerUiPage(options: SwaggerUiPageOptions): string {
  const assets = withTrailingSlash(options.assetsPrefix ?? SWAGGER_UI_ASSETS_PREFIX);
  const asset = (file: string): string => escapeHtml(`${assets}${file}`);
  const title = escapeHtml(`${options.appQName}: ${options.role} in ${options.workspace}`);
  const config = {
    url: roleSchemaUrl(options.appQName, options.workspace, options.role),
    dom_id: '#swagger-ui',
    deepLinking: true,
    persistAuthorization: true,
  };
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="stylesheet" href="${asset('swagger-ui.css')}">
<link rel="icon" type="image/png" sizes="32x32" href="${asset('favicon-32x32.png')}">
<link rel="icon" type="image/png" sizes="16x16" href="${asset('favicon-16x16.png')}">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${asset('swagger-ui-bundle.js')}"></script>
<script>
window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle(${scriptJson(config)});
});
</script>
</body>
</html>
`;
}

function link(href: string, text: string): string {
  return `<li><a href="${escapeHtml(href)}">${escapeHtml(text)}</a></li>`;
}

/** `<h2>Package p</h2><ul>…</ul>` per package, packages and names in byte order. */
function byPackage(names: readonly string[], item: (name: string) => string): string {
  const groups = new Map<string, string[]>();
  for (const n of [...names].sort(compareText)) {
    const pkg = n.slice(0, Math.max(0, n.indexOf('.')));
    const list = groups.get(pkg) ?? [];
    list.push(n);
    groups.set(pkg, list);
  }
  return [...groups.keys()]
    .sort(compareText)
    .map((pkg) => {
      const items = (groups.get(pkg) ?? []).map(item).join('');
      return `<h2>Package ${escapeHtml(pkg)}</h2><ul>${items}</ul>`;
    })
    .join('');
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function withTrailingSlash(prefix: string): string {
  return prefix.endsWith('/') ? prefix : `${prefix}/`;
}
