// What a role may do in a workspace, type by type: the reference's `acl.PublishedTypes`, computed
// with this project's ACL evaluation (schema/appdef-acl) rather than a second implementation of it.
import { aclOperationsFor, typeFields } from '../../schema/appdef-filter.js';
import {
  type AppDef,
  isOperationAllowed,
  type Operation,
  recordKinds,
  type TypeDef,
  type TypeKind,
} from '../../schema/index.js';

/** The fields a granted operation covers: every field of the type, or only the listed ones. */
export type GrantedFields = 'all' | readonly string[];

export interface TypeGrant {
  readonly type: TypeDef;
  /** The granted operations; an operation that is not a key is not granted. */
  readonly ops: ReadonlyMap<Operation, GrantedFields>;
}

// The kinds the API can touch: records and objects (documents, function arguments), views, functions.
const publishedKinds: ReadonlySet<TypeKind> = new Set<TypeKind>([
  ...recordKinds,
  'Object',
  'ViewRecord',
  'Command',
  'Query',
]);

// ACL may limit these operations to some fields; the others are about the whole record or function.
const fieldOperations: ReadonlySet<Operation> = new Set<Operation>(['Insert', 'Update', 'Select']);

// An AppDef never changes, and asking the ACL field by field is the costly part of a document (tens
// of milliseconds for sys.Workspace): the answer is kept per application, workspace and role.
const cache = new WeakMap<AppDef, Map<string, ReadonlyMap<string, TypeGrant>>>();

/**
 * The types the role (with the roles it inherits) may use in the workspace, by type name in name
 * order, each with its granted operations. Types with no granted operation are left out.
 */
export function roleGrants(
  app: AppDef,
  workspace: string,
  role: string,
): ReadonlyMap<string, TypeGrant> {
  // only real roles are kept, so names from requests cannot grow the cache
  if (app.workspaceType(workspace, role)?.kind !== 'Role')
    return computeGrants(app, workspace, role);
  let byRole = cache.get(app);
  if (byRole === undefined) {
    byRole = new Map();
    cache.set(app, byRole);
  }
  const key = `${workspace} ${role}`;
  let grants = byRole.get(key);
  if (grants === undefined) {
    grants = computeGrants(app, workspace, role);
    byRole.set(key, grants);
  }
  return grants;
}

function computeGrants(
  app: AppDef,
  workspace: string,
  role: string,
): ReadonlyMap<string, TypeGrant> {
  const out = new Map<string, TypeGrant>();
  const allowed = (op: Operation, type: string, fields: readonly string[]): boolean =>
    isOperationAllowed(app, workspace, op, type, fields, [role]).allowed;
  for (const t of app.workspaceTypes(workspace)) {
    if (!publishedKinds.has(t.kind)) continue;
    const ops = new Map<Operation, GrantedFields>();
    for (const op of aclOperationsFor(t.kind)) {
      if (!allowed(op, t.name, [])) continue;
      const fields = fieldOperations.has(op) ? typeFields(t) : undefined;
      if (fields === undefined) {
        ops.set(op, 'all');
        continue;
      }
      // the evaluation answers per requested field list, so a field-limited grant is found field by field
      const granted = fields.filter((f) => allowed(op, t.name, [f]));
      ops.set(op, granted.length === fields.length ? 'all' : granted);
    }
    if (ops.size > 0) out.set(t.name, { type: t, ops });
  }
  return out;
}

/** Whether the operation is granted on the field (a granted operation with no field limit covers all). */
export function fieldGranted(grant: TypeGrant | undefined, op: Operation, field: string): boolean {
  const fields = grant?.ops.get(op);
  return fields === 'all' || fields?.includes(field) === true;
}
