// Which workspace and role a schema route is about, checked as the reference's schema handlers check
// them (pkg/processors/query2 impl_schemas_*): the failures carry the reference's statuses and messages.

import { ProcessorError } from '../../processors/processor-error.js';
import type { AppDef, RoleDef, WorkspaceDef } from '../../schema/index.js';

/**
 * A schema route's request cannot be answered: unknown or unspecified workspace, unknown or
 * unpublished role, malformed application name. A ProcessorError, so the HTTP layer renders it as
 * the v2 error body `{"status":..,"message":..}` with its status.
 */
export class SchemaRouteError extends ProcessorError {}

/** `owner/name` split; a name that is not two non-empty parts is a 400, as the router's check. */
export function splitAppQName(appQName: string): { owner: string; name: string } {
  const parts = appQName.split('/');
  const [owner, name] = parts;
  if (parts.length !== 2 || owner === undefined || name === undefined || !owner || !name) {
    throw new SchemaRouteError(400, `invalid app QName: ${appQName}`);
  }
  return { owner, name };
}

export function resolveWorkspace(app: AppDef, workspace: string): WorkspaceDef {
  if (workspace === '') throw new SchemaRouteError(400, 'workspace is not specified');
  const ws = app.workspace(workspace);
  if (ws === undefined) throw new SchemaRouteError(404, `workspace ${workspace} not found`);
  return ws;
}

/**
 * The role as the workspace sees it (its own roles and its ancestors'). Only published roles are
 * described, unless the caller is a developer (the reference's `sys.Developer` principal).
 */
export function resolveRole(
  app: AppDef,
  workspace: string,
  role: string,
  developer: boolean,
): RoleDef {
  const ws = resolveWorkspace(app, workspace);
  const t = app.workspaceType(ws.name, role);
  if (t?.kind !== 'Role') {
    throw new SchemaRouteError(404, `role ${role} not found in workspace ${ws.name}`);
  }
  if (!t.published && !developer) {
    throw new SchemaRouteError(403, `role ${role} is not published`);
  }
  return t;
}

/** The roles a workspace sees, published ones only unless the caller is a developer; sorted by name. */
export function listedRoles(app: AppDef, workspace: string, developer: boolean): RoleDef[] {
  return app
    .workspaceTypes(workspace)
    .filter((t): t is RoleDef => t.kind === 'Role' && (developer || t.published));
}
