// The checks the reference's AppDef makes when it is built (pkg/appdef internal/workspaces Workspace.Validate,
// which validates each local type of each workspace): a function's parameter and result kinds
// (internal/extensions Function.Validate, Command.Validate), a view's key parts (internal/views
// ViewPartKey.Validate, ViewClustCols.Validate) and a limit's filter (internal/rates Limit.Validate). The
// reference reports them joined into one error without a source position; here each is one error, also
// without a position, in the reference's order: workspaces by name, then their types by name.
import {
  type FunctionDef,
  type LimitDef,
  recordKinds,
  type TypeDef,
  type TypeKind,
  type ViewDef,
  type WorkspaceDef,
} from './appdef.js';
import {
  filterMatches,
  limitFilterText,
  typeText,
  workspaceVisibleTypes,
} from './appdef-filter.js';
import { errorNoPos, type SchemaError } from './errors.js';

/** The name an `any` parameter or result has in the AppDef; it stands for the reference's Any type. */
const ANY = 'sys.ANY';

const paramKinds: readonly TypeKind[] = ['Data', 'ODoc', 'Object'];
// the reference also allows GDoc, which VSQL cannot declare
const resultKinds: readonly TypeKind[] = ['Data', 'CDoc', 'WDoc', 'ODoc', 'Object'];
const limitableKinds: readonly TypeKind[] = ['Command', 'Query', ...recordKinds, 'ViewRecord'];

/** The errors of validating the built types of all workspaces; none when the AppDef is valid. */
export function appDefValidationErrors(
  types: ReadonlyMap<string, TypeDef>,
  workspaces: ReadonlyMap<string, WorkspaceDef>,
): SchemaError[] {
  const messages: string[] = [];
  const wsNames = [...workspaces.keys()].sort();
  for (const wsName of wsNames) {
    const ws = workspaces.get(wsName) as WorkspaceDef;
    for (const name of [...new Set(ws.types)].sort()) {
      const t = types.get(name);
      if (t === undefined) continue;
      switch (t.kind) {
        case 'Command':
        case 'Query':
          messages.push(...functionErrors(t, types));
          break;
        case 'ViewRecord':
          messages.push(...viewErrors(t));
          break;
        case 'Limit':
          messages.push(...limitErrors(t, types, workspaces));
          break;
        default:
          break;
      }
    }
  }
  return messages.map(errorNoPos);
}

/**
 * A parameter (and a command's unlogged parameter) is any, data, an ODoc or an Object; a result is any,
 * data, a document or an Object. A name that is not a type is the analyser's error, not checked here.
 */
function functionErrors(f: FunctionDef, types: ReadonlyMap<string, TypeDef>): string[] {
  const out: string[] = [];
  const check = (
    name: string | null,
    allowed: readonly TypeKind[],
    message: (type: string) => string,
  ): void => {
    if (name === null || name === ANY) return;
    const t = types.get(name);
    if (t === undefined || allowed.includes(t.kind)) return;
    out.push(`not valid: ${message(typeText(t))}`);
  };
  check(f.param, paramKinds, (t) => `parameter type «${t}», should be ODoc, Object or Data`);
  check(f.result, resultKinds, (t) => `result type «${t}», should be Document, Object or Data`);
  if (f.kind === 'Command') {
    check(
      f.unloggedParam,
      paramKinds,
      (t) => `unlogged parameter type «${t}», should be ODoc, Object or Data`,
    );
  }
  return out;
}

/** A view key has both parts: partition key fields and clustering columns. */
function viewErrors(v: ViewDef): string[] {
  const out: string[] = [];
  const view = typeText(v);
  if (v.partitionKey.length === 0) out.push(`missed: ${view} partition key fields`);
  if (v.clusteringColumns.length === 0) out.push(`missed: ${view} clustering columns fields`);
  return out;
}

/** A limit's filter matches something in the limit's workspace, and only types that can be limited. */
function limitErrors(
  l: LimitDef,
  types: ReadonlyMap<string, TypeDef>,
  workspaces: ReadonlyMap<string, WorkspaceDef>,
): string[] {
  const out: string[] = [];
  let matches = 0;
  for (const t of workspaceVisibleTypes(l.workspace, types, workspaces)) {
    if (!filterMatches(l.filter, t)) continue;
    matches++;
    if (!limitableKinds.includes(t.kind))
      out.push(`unsupported operation: ${typeText(t)} can not to be limited`);
  }
  if (matches === 0) {
    out.push(
      `not found: ${typeText(l)} filter «${limitFilterText(l.filter, l.option)}» has no matches in Workspace «${l.workspace}»`,
    );
  }
  return out;
}
