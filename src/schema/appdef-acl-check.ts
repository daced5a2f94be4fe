// The checks the reference's AppDef builder makes on each ACL rule it is given (pkg/appdef/internal/
// workspaces grant/revoke, internal/acl NewRule and Rule.Validate): the principal is a role visible in the
// workspace, REVOKE cannot take back role inheritance, every type the filter matches in the workspace takes
// ACL and the rule's operations and fields, and the filter matches something. The reference stops at the
// first failing check of a rule (a panic); here each is an error at the GRANT/REVOKE statement.
import type { AclRuleDef, TypeDef, WorkspaceDef } from './appdef.js';
import {
  aclFilterText,
  aclOperationsFor,
  filterMatches,
  typeFields,
  typeText,
  workspaceVisibleTypes,
} from './appdef-filter.js';
import type { Pos } from './ast.js';
import { errorAt, type SchemaError } from './errors.js';

/** A rule as written into a workspace, with the statement it came from. */
export interface WrittenRule {
  readonly workspace: string;
  readonly rule: AclRuleDef;
  readonly pos: Pos;
}

/** Errors of all written rules; a statement re-applied for inheriting workspaces is reported once. */
export function aclBuildErrors(
  rules: readonly WrittenRule[],
  types: ReadonlyMap<string, TypeDef>,
  workspaces: ReadonlyMap<string, WorkspaceDef>,
): SchemaError[] {
  const visibleCache = new Map<string, readonly TypeDef[]>();
  const visible = (ws: string): readonly TypeDef[] => {
    let list = visibleCache.get(ws);
    if (list === undefined) {
      list = workspaceVisibleTypes(ws, types, workspaces);
      visibleCache.set(ws, list);
    }
    return list;
  };
  const errors: SchemaError[] = [];
  const reported = new Set<string>();
  for (const { workspace, rule, pos } of rules) {
    const message = ruleError(workspace, rule, visible(workspace));
    if (message === undefined) continue;
    const key = `${pos.file}:${pos.line}:${pos.col}:${message}`;
    if (reported.has(key)) continue;
    reported.add(key);
    errors.push(errorAt(pos, message));
  }
  return errors;
}

function ruleError(ws: string, rule: AclRuleDef, visible: readonly TypeDef[]): string | undefined {
  const role = visible.find((t) => t.name === rule.principal);
  if (role?.kind !== 'Role') return `not found: role «${rule.principal}»`;
  if (rule.policy === 'Deny' && rule.ops.includes('Inherits')) {
    return 'unsupported operation: REVOKE Inherits';
  }
  let matches = 0;
  for (const t of visible) {
    if (!filterMatches(rule.filter, t)) continue;
    matches++;
    const e = typeError(rule, t);
    if (e !== undefined) return e;
  }
  if (matches === 0) {
    return `not found: ACL filter «${aclFilterText(rule.filter, rule.fields)}» has no matches in Workspace «${ws}»`;
  }
  return undefined;
}

/** Whether a type the rule's filter matches can take the rule. */
function typeError(rule: AclRuleDef, t: TypeDef): string | undefined {
  const allowed = aclOperationsFor(t.kind);
  if (allowed.length === 0) return `unsupported operation: ACL for ${typeText(t)}`;
  for (const op of rule.ops) {
    if (!allowed.includes(op)) return `incompatible: operation ${op} and ${typeText(t)}`;
  }
  const fields = typeFields(t);
  if (fields !== undefined) {
    for (const f of rule.fields) {
      if (!fields.includes(f)) return `not found: field «${f}» in ${typeText(t)}`;
    }
  }
  return undefined;
}
