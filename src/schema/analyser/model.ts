// What the analyser produces and the small pure helpers its passes share.
import type {
  AlterWorkspaceStmt,
  AnyStatement,
  DefQName,
  FieldNode,
  GrantStmt,
  ImportStmt,
  LimitStmt,
  OperationName,
  RateStmt,
  StateStorageNode,
  TableItem,
  TableStmt,
  TypeStmt,
  ViewStmt,
  WithItem,
  WorkspaceStmt,
} from '../ast.js';
import { type PackageAst, SYS_PACKAGE } from '../package-ast.js';

export type TableKind = 'CDoc' | 'CRecord' | 'WDoc' | 'WRecord' | 'ODoc' | 'ORecord';

/** A package during analysis; `name` is its local name in the application. */
export interface Pkg {
  readonly ast: PackageAst;
  readonly path: string;
  name: string;
  readonly localNameToPkgPath: Map<string, string>;
}

export interface WsAddr {
  readonly ws: WorkspaceStmt;
  readonly pkg: Pkg;
}

export interface Resolved<T> {
  readonly stmt: T;
  readonly pkg: Pkg;
}

/** Reads a variable (DECLARE) value from outside the schema, overriding its DEFAULT. */
export type VariableResolver = (qname: string) => number | undefined;

export interface AnalyseOptions {
  readonly variables?: VariableResolver;
}

/** Columns a table grant names, per operation (`ALL` for `GRANT ALL(cols) ON TABLE`). */
export interface GrantFields {
  readonly op: OperationName | 'ALL';
  readonly fields: string[];
}

/** The result of analysing an application: everything the AppDef builder needs, keyed by syntax nodes. */
export class Analysis {
  appName = '';
  readonly packages: Pkg[] = [];
  readonly byPath = new Map<string, Pkg>();
  readonly localNameToFullPath = new Map<string, string>();
  readonly tableKind = new Map<TableStmt, TableKind>();
  readonly singleton = new Set<TableStmt>();
  readonly tableInherits = new Map<TableStmt, Resolved<TableStmt>>();
  readonly stmtWorkspace = new Map<AnyStatement, WsAddr>();
  readonly stmtPkg = new Map<AnyStatement, Pkg>();
  readonly alteredWorkspace = new Map<AlterWorkspaceStmt, WsAddr>();
  readonly inheritedWorkspaces = new Map<WorkspaceStmt, WorkspaceStmt[]>();
  readonly usedWorkspaces = new Map<WorkspaceStmt, WorkspaceStmt[]>();
  readonly wsPkg = new Map<WorkspaceStmt, Pkg>();
  readonly fieldSetType = new Map<TableItem, Resolved<TypeStmt>>();
  readonly fieldTypeType = new Map<FieldNode, Resolved<TypeStmt>>();
  readonly fieldTypeTable = new Map<FieldNode, Resolved<TableStmt>>();
  readonly refTargets = new Map<object, Resolved<TableStmt>[]>();
  readonly qnames = new Map<DefQName, string>();
  readonly rateCount = new Map<RateStmt, number>();
  readonly limitOps = new Map<LimitStmt, OperationName[]>();
  readonly grantOps = new Map<GrantStmt, OperationName[]>();
  readonly grantFields = new Map<GrantStmt, GrantFields[]>();
  readonly stateStorages = new Map<StateStorageNode, { storage: string; entities: string[] }>();
  readonly withTags = new Map<WithItem, string[]>();
  readonly commentOverride = new Map<AnyStatement, readonly string[]>();
  readonly viewResultOf = new Map<ViewStmt, string>();
  readonly engineOf = new Map<AnyStatement, 'BUILTIN' | 'WASM'>();

  qn(pkg: Pkg, name: string): string {
    return `${pkg.name}.${name}`;
  }
}

/** Where a statement is analysed from. */
export interface Ctx {
  readonly pkg: Pkg;
  /** The workspace lookups start from: the enclosing WORKSPACE, or the one an ALTER WORKSPACE alters. */
  readonly ws: WsAddr | undefined;
}

/** A name that cannot be resolved; reported at the position of the name being resolved. */
export class LookupError {
  constructor(readonly message: string) {}
}

export const maxFieldLength = 65535;

export function couldNotImport(path: string): string {
  return `could not import ${path}. Check if the package is parsed under exactly this name`;
}

export function basename(path: string): string {
  const parts = path.split('/');
  return parts[parts.length - 1] ?? '';
}

/** The import path a local package name stands for: an alias first, then a path ending in `/<name>`. */
export function qualifiedPackageName(name: string, imports: readonly ImportStmt[]): string {
  for (const imp of imports) if (imp.alias === name) return imp.path;
  const suffix = `/${name}`;
  for (const imp of imports) if (imp.path.endsWith(suffix) || imp.path === name) return imp.path;
  return '';
}

/** The kind a sys root table stands for (`sys.CDoc`, `sys.CSingleton`, …); undefined for any other table. */
export function sysTableKind(
  t: TableStmt,
  pkg: Pkg,
): { kind: TableKind; singleton: boolean } | undefined {
  if (pkg.path !== SYS_PACKAGE) return undefined;
  switch (t.name) {
    case 'CRecord':
    case 'ORecord':
    case 'WRecord':
    case 'CDoc':
    case 'ODoc':
    case 'WDoc':
      return { kind: t.name, singleton: false };
    case 'CSingleton':
      return { kind: 'CDoc', singleton: true };
    case 'WSingleton':
      return { kind: 'WDoc', singleton: true };
    default:
      return undefined;
  }
}

export function nestedKind(root: TableKind | undefined): TableKind | undefined {
  switch (root) {
    case 'CDoc':
    case 'CRecord':
      return 'CRecord';
    case 'ODoc':
    case 'ORecord':
      return 'ORecord';
    case 'WDoc':
    case 'WRecord':
      return 'WRecord';
    default:
      return undefined;
  }
}
