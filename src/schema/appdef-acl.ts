// Evaluates the AppDef's ACL as the reference's appdef/acl does (core.md §8.3): the rules of a workspace's
// ancestors apply first, then its own, later rules overriding earlier ones; roles include the roles they
// inherit through `GRANT role TO role` in the workspace or its ancestors.
import {
  type AclRuleDef,
  type AppDef,
  type Operation,
  recordKinds,
  type TypeDef,
} from './appdef.js';
import { filterMatches, typeFields, typeText } from './appdef-filter.js';

export const ROLE_SYSTEM = 'sys.System';

export interface AclDecision {
  readonly allowed: boolean;
  /** Set when the question itself is wrong (unknown resource or field, operation not applicable, no roles). */
  readonly error: string | undefined;
}

const recordKindSet: ReadonlySet<string> = new Set(recordKinds);

/**
 * Whether any of the roles may perform the operation on the resource in the workspace. For Insert,
 * Update and Select the requested fields must all be allowed (no fields: the operation itself).
 */
export function isOperationAllowed(
  app: AppDef,
  workspace: string,
  op: Operation,
  resource: string,
  fields: readonly string[],
  roles: readonly string[],
): AclDecision {
  const deny = (error: string): AclDecision => ({ allowed: false, error });
  const t = app.workspaceType(workspace, resource);
  if (t === undefined) return deny(`not found: resource «${resource}» in Workspace «${workspace}»`);
  switch (op) {
    case 'Insert':
    case 'Update':
    case 'Select': {
      const own = typeFields(t);
      if (own === undefined) return deny(`incompatible: ${typeText(t)} has no fields`);
      const missing = fields.find((f) => !own.includes(f));
      if (missing !== undefined) return deny(`not found: field «${missing}» in ${typeText(t)}`);
      break;
    }
    case 'Activate':
    case 'Deactivate':
      if (!recordKindSet.has(t.kind)) return deny(`incompatible: ${typeText(t)} is not a record`);
      if (!(typeFields(t) ?? []).includes('sys.IsActive'))
        return deny(`not found: field «sys.IsActive» in ${typeText(t)}`);
      break;
    case 'Execute':
      if (t.kind !== 'Command' && t.kind !== 'Query')
        return deny(`incompatible: ${typeText(t)} is not a function`);
      break;
    default:
      return deny(`unsupported operation: operation "OperationKind_${op}"`);
  }
  if (roles.length === 0) return deny('missed: participants');
  const all = new Set(roles);
  for (const r of roles) {
    const role = app.workspaceType(workspace, r);
    if (role?.kind === 'Role') for (const x of roleAncestors(app, role.name, workspace)) all.add(x);
  }
  const { allowed, allowedFields } = checkRoles(app, workspace, op, t, all);
  if (allowed && allowedFields !== undefined && allowedFields.size > 0) {
    if (fields.some((f) => !allowedFields.has(f))) return { allowed: false, error: undefined };
  }
  return { allowed, error: undefined };
}

/** The role and every role it inherits (GRANT r TO role) in the workspace and its ancestors. */
export function roleAncestors(app: AppDef, role: string, workspace: string): ReadonlySet<string> {
  const out = new Set<string>();
  const visit = (r: string, w: string, seen: Set<string>): void => {
    // a cycle of role grants would never end: each (role, workspace) pair is expanded once
    const key = `${r}@${w}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.add(r);
    const ws = app.workspace(w);
    if (ws === undefined) return;
    for (const rule of ws.acl) {
      if (!rule.ops.includes('Inherits') || rule.principal !== r) continue;
      for (const t of app.workspaceTypes(w)) {
        if (t.kind === 'Role' && filterMatches(rule.filter, t)) visit(t.name, w, seen);
      }
    }
    for (const a of ws.ancestors) visit(r, a, seen);
  };
  visit(role, workspace, new Set());
  return out;
}

function checkRoles(
  app: AppDef,
  workspace: string,
  op: Operation,
  t: TypeDef,
  roles: ReadonlySet<string>,
): { allowed: boolean; allowedFields: Set<string> | undefined } {
  if (roles.has(ROLE_SYSTEM)) return { allowed: true, allowedFields: undefined };
  const own = typeFields(t);
  const allowedFields = own === undefined ? undefined : new Set<string>();
  let allowed = false;
  const applies = (rule: AclRuleDef): boolean =>
    rule.ops.includes(op) && filterMatches(rule.filter, t) && roles.has(rule.principal);
  for (const rule of app.aclRules(workspace)) {
    if (!applies(rule)) continue;
    if (rule.policy === 'Allow') {
      allowed = true;
      if (allowedFields === undefined || own === undefined) continue;
      if (rule.fields.length > 0) {
        for (const f of rule.fields) allowedFields.add(f);
        // system fields follow a field-limited SELECT grant
        if (op === 'Select') for (const f of own) if (f.startsWith('sys.')) allowedFields.add(f);
      } else {
        for (const f of own) allowedFields.add(f);
      }
    } else if (allowedFields !== undefined) {
      if (rule.fields.length > 0) {
        for (const f of rule.fields) allowedFields.delete(f);
        allowed = allowedFields.size > 0;
      } else {
        allowedFields.clear();
        allowed = false;
      }
    } else {
      allowed = false;
    }
  }
  if (allowed && own !== undefined && allowedFields?.size === own.length) {
    return { allowed, allowedFields: undefined };
  }
  return { allowed, allowedFields };
}
