// The VSQL syntax tree: readonly, `kind`-discriminated nodes built by small frozen factories.
// The analyser never mutates nodes; what it learns is kept in its own side tables.

export interface Pos {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

export interface Ident {
  readonly value: string;
  readonly pos: Pos;
}

/** `[pkg.]name` as written; `pkg` is '' when unqualified. */
export interface DefQName {
  readonly pkg: string;
  readonly name: string;
  readonly pos: Pos;
}

export function qnameText(q: DefQName): string {
  return q.pkg === '' ? q.name : `${q.pkg}.${q.name}`;
}

export type ScalarTypeName =
  | 'varchar'
  | 'bytes'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'float32'
  | 'float64'
  | 'timestamp'
  | 'currency'
  | 'bool'
  | 'blob'
  | 'qname';

export interface DataTypeNode {
  readonly kind: 'DataType';
  readonly type: ScalarTypeName;
  readonly maxLen: number | undefined;
  readonly pos: Pos;
}

/** A field type is either a scalar data type or a reference to a TYPE/TABLE by name. */
export type FieldType = DataTypeNode | ({ readonly kind: 'TypeRef' } & DefQName);

export interface Comments {
  readonly comments: readonly string[];
}

export interface FieldNode extends Comments {
  readonly kind: 'Field';
  readonly name: string;
  readonly pos: Pos;
  readonly type: FieldType;
  readonly notNull: boolean;
  readonly verifiable: boolean;
  readonly defaultInt: number | undefined;
  readonly defaultString: string | undefined;
  readonly checkRegexp: { readonly value: string; readonly pos: Pos } | undefined;
  readonly checkExpr: Expr | undefined;
}

export interface RefFieldNode extends Comments {
  readonly kind: 'RefField';
  readonly name: string;
  readonly pos: Pos;
  readonly refs: readonly DefQName[];
  readonly notNull: boolean;
}

export interface ConstraintNode extends Comments {
  readonly kind: 'Constraint';
  readonly name: string;
  readonly pos: Pos;
  readonly uniqueField: string | undefined;
  readonly unique: readonly string[] | undefined;
  readonly check: Expr | undefined;
}

export interface NestedTableNode {
  readonly kind: 'NestedTable';
  readonly name: string;
  readonly pos: Pos;
  readonly table: TableStmt;
}

export interface FieldSetNode {
  readonly kind: 'FieldSet';
  readonly type: DefQName;
  readonly pos: Pos;
}

export type TableItem = FieldNode | RefFieldNode | ConstraintNode | NestedTableNode | FieldSetNode;

export interface WithItem {
  readonly comment: string | undefined;
  readonly tags: readonly DefQName[];
}

interface StmtBase extends Comments {
  readonly pos: Pos;
}

export interface ImportStmt extends StmtBase {
  readonly kind: 'Import';
  readonly path: string;
  readonly alias: string | undefined;
}

export interface ApplicationStmt extends StmtBase {
  readonly kind: 'Application';
  readonly name: string;
  readonly uses: readonly Ident[];
}

export interface DeclareStmt extends StmtBase {
  readonly kind: 'Declare';
  readonly name: string;
  readonly dataType: string;
  readonly defaultValue: number;
}

export interface TemplateStmt extends StmtBase {
  readonly kind: 'Template';
  readonly name: string;
  readonly workspace: DefQName;
  readonly source: string;
}

export interface RoleStmt extends StmtBase {
  readonly kind: 'Role';
  readonly name: string;
  readonly published: boolean;
}

export interface TagStmt extends StmtBase {
  readonly kind: 'Tag';
  readonly name: string;
  readonly feature: string;
}

export type EngineKind = 'BUILTIN' | 'WASM';

export interface FunctionStmt extends StmtBase {
  readonly kind: 'Function';
  readonly name: string;
  readonly params: readonly { readonly name: string | undefined; readonly type: FieldType }[];
  readonly returns: FieldType | { readonly kind: 'Void' };
}

export type StorageOpName = 'GET' | 'GETBATCH' | 'READ' | 'INSERT' | 'UPDATE';
export type StorageScopeName = 'COMMANDS' | 'QUERIES' | 'PROJECTORS' | 'JOBS';

export interface StorageStmt extends StmtBase {
  readonly kind: 'Storage';
  readonly name: string;
  readonly ops: readonly {
    readonly op: StorageOpName;
    readonly scopes: readonly StorageScopeName[];
  }[];
  readonly entityRecord: boolean;
  readonly entityView: boolean;
}

export interface StateStorageNode {
  readonly storage: DefQName;
  readonly entities: readonly DefQName[];
}

/** `any`, `void` or a named TYPE/TABLE used as a function argument or result. */
export type ArgNode =
  | { readonly kind: 'Any' }
  | { readonly kind: 'Void' }
  | ({ readonly kind: 'Def' } & DefQName);

export interface CommandStmt extends StmtBase {
  readonly kind: 'Command';
  readonly name: string;
  readonly param: ArgNode | undefined;
  readonly unloggedParam: ArgNode | undefined;
  readonly state: readonly StateStorageNode[];
  readonly intents: readonly StateStorageNode[];
  readonly returns: ArgNode | undefined;
  readonly with: readonly WithItem[];
}

export interface QueryStmt extends StmtBase {
  readonly kind: 'Query';
  readonly name: string;
  readonly param: ArgNode | undefined;
  readonly state: readonly StateStorageNode[];
  readonly returns: ArgNode | undefined;
  readonly with: readonly WithItem[];
}

export type TableActionName = 'INSERT' | 'UPDATE' | 'ACTIVATE' | 'DEACTIVATE';

export interface TriggerNode {
  readonly cron: string | undefined;
  readonly execute: { readonly withParam: boolean } | undefined;
  readonly tableActions: readonly TableActionName[];
  readonly qnames: readonly DefQName[];
}

export interface ProjectorStmt extends StmtBase {
  readonly kind: 'Projector';
  readonly name: string;
  readonly sync: boolean;
  readonly triggers: readonly TriggerNode[];
  readonly state: readonly StateStorageNode[];
  readonly intents: readonly StateStorageNode[];
  readonly includingErrors: boolean;
}

export interface JobStmt extends StmtBase {
  readonly kind: 'Job';
  readonly name: string;
  readonly cron: string | undefined;
  readonly state: readonly StateStorageNode[];
  readonly intents: readonly StateStorageNode[];
}

export interface RootExtEngineStmt extends StmtBase {
  readonly kind: 'RootExtEngine';
  readonly engine: EngineKind;
  readonly statements: readonly (FunctionStmt | StorageStmt)[];
}

export type ExtensionStmt = FunctionStmt | ProjectorStmt | JobStmt | CommandStmt | QueryStmt;

export interface WsExtEngineStmt extends StmtBase {
  readonly kind: 'WsExtEngine';
  readonly engine: EngineKind;
  readonly statements: readonly ExtensionStmt[];
}

export interface TableStmt extends StmtBase {
  readonly kind: 'Table';
  readonly name: string;
  readonly abstract: boolean;
  readonly inherits: DefQName | undefined;
  readonly items: readonly TableItem[];
  readonly with: readonly WithItem[];
}

export interface TypeStmt extends StmtBase {
  readonly kind: 'Type';
  readonly name: string;
  readonly items: readonly TableItem[];
}

export interface DescriptorStmt extends StmtBase {
  readonly kind: 'Descriptor';
  /** Empty when written without a name; the workspace then names it `<Workspace>Descriptor`. */
  readonly name: string;
  readonly items: readonly TableItem[];
  readonly implicit: boolean;
}

export interface PrimaryKeyNode {
  readonly kind: 'PrimaryKey';
  readonly pos: Pos;
  readonly partition: readonly Ident[];
  readonly clustering: readonly Ident[];
}

export interface ViewFieldNode extends Comments {
  readonly kind: 'ViewField';
  readonly name: Ident;
  readonly pos: Pos;
  readonly type: DataTypeNode;
  readonly notNull: boolean;
}

export interface ViewRefFieldNode extends Comments {
  readonly kind: 'ViewRefField';
  readonly name: Ident;
  readonly pos: Pos;
  readonly refs: readonly DefQName[];
  readonly notNull: boolean;
}

export interface ViewRecordFieldNode extends Comments {
  readonly kind: 'ViewRecordField';
  readonly name: Ident;
  readonly pos: Pos;
  readonly notNull: boolean;
}

export type ViewItem = PrimaryKeyNode | ViewFieldNode | ViewRefFieldNode | ViewRecordFieldNode;

export interface ViewStmt extends StmtBase {
  readonly kind: 'View';
  readonly name: string;
  readonly items: readonly ViewItem[];
  readonly resultOf: DefQName;
  readonly with: readonly WithItem[];
}

export interface UseWorkspaceStmt extends StmtBase {
  readonly kind: 'UseWorkspace';
  readonly workspace: Ident;
}

export type RateUnit = 'SECOND' | 'MINUTE' | 'HOUR' | 'DAY' | 'YEAR';

export interface RateStmt extends StmtBase {
  readonly kind: 'Rate';
  readonly name: string;
  readonly count: number | undefined;
  readonly variable: DefQName | undefined;
  readonly unitAmount: number | undefined;
  readonly unit: RateUnit;
  readonly objectScope: 'AppPartition' | 'Workspace' | undefined;
  readonly subjectScope: 'Subject' | 'IP' | undefined;
}

export type OperationName = 'SELECT' | 'INSERT' | 'UPDATE' | 'ACTIVATE' | 'DEACTIVATE' | 'EXECUTE';
export type LimitTargetKind = 'COMMAND' | 'QUERY' | 'TABLE' | 'VIEW';

export interface LimitStmt extends StmtBase {
  readonly kind: 'Limit';
  readonly name: string;
  readonly actions: readonly { readonly op: OperationName; readonly pos: Pos }[];
  readonly single: { readonly target: LimitTargetKind; readonly name: DefQName } | undefined;
  readonly all:
    | { readonly target: LimitTargetKind; readonly tag: DefQName | undefined }
    | undefined;
  readonly each:
    | { readonly target: LimitTargetKind; readonly tag: DefQName | undefined }
    | undefined;
  readonly rate: DefQName;
}

export interface GrantColumn {
  /** `sys.ID` and friends are kept with their `sys.` prefix. */
  readonly name: string;
  readonly sys: boolean;
  readonly pos: Pos;
}

export type TableOpName = 'SELECT' | 'INSERT' | 'UPDATE' | 'ACTIVATE' | 'DEACTIVATE';

export interface GrantTableAction {
  readonly op: TableOpName;
  readonly columns: readonly GrantColumn[];
  readonly pos: Pos;
}

export type GrantTarget =
  | { readonly kind: 'Command'; readonly name: DefQName }
  | { readonly kind: 'AllCommands'; readonly tag: DefQName | undefined }
  | { readonly kind: 'Query'; readonly name: DefQName }
  | { readonly kind: 'AllQueries'; readonly tag: DefQName | undefined }
  | { readonly kind: 'View'; readonly name: DefQName; readonly columns: readonly Ident[] }
  | { readonly kind: 'AllViews'; readonly tag: DefQName | undefined }
  | {
      readonly kind: 'Table';
      readonly name: DefQName;
      /** `ALL [(cols)]` when defined; otherwise the per-operation list. */
      readonly all: { readonly columns: readonly Ident[] } | undefined;
      readonly actions: readonly GrantTableAction[];
    }
  | {
      readonly kind: 'AllTables';
      readonly all: boolean;
      readonly actions: readonly GrantTableAction[];
      readonly tag: DefQName | undefined;
    }
  | { readonly kind: 'Role'; readonly name: DefQName };

export interface GrantStmt extends StmtBase {
  readonly kind: 'Grant' | 'Revoke';
  readonly target: GrantTarget;
  readonly role: DefQName;
}

export interface WorkspaceStmt extends StmtBase {
  readonly kind: 'Workspace';
  readonly name: string;
  readonly abstract: boolean;
  readonly alterable: boolean;
  readonly pool: boolean;
  readonly inherits: readonly DefQName[];
  readonly descriptor: DescriptorStmt | undefined;
  readonly statements: readonly WorkspaceStatement[];
}

export interface AlterWorkspaceStmt extends StmtBase {
  readonly kind: 'AlterWorkspace';
  readonly name: DefQName;
  readonly statements: readonly WorkspaceStatement[];
}

export type WorkspaceStatement =
  | RateStmt
  | ViewStmt
  | UseWorkspaceStmt
  | RoleStmt
  | TagStmt
  | WsExtEngineStmt
  | WorkspaceStmt
  | TableStmt
  | TypeStmt
  | LimitStmt
  | GrantStmt;

export type RootStatement =
  | TemplateStmt
  | RoleStmt
  | RootExtEngineStmt
  | WorkspaceStmt
  | AlterWorkspaceStmt
  | ApplicationStmt
  | DeclareStmt;

export interface FileAst {
  readonly kind: 'File';
  readonly fileName: string;
  readonly imports: readonly ImportStmt[];
  readonly statements: readonly RootStatement[];
}

export type Expr =
  | { readonly kind: 'Binary'; readonly op: string; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'Not'; readonly operand: Expr }
  | { readonly kind: 'IsNull'; readonly not: boolean; readonly operand: Expr }
  | { readonly kind: 'Between'; readonly operand: Expr; readonly start: Expr; readonly end: Expr }
  | { readonly kind: 'In'; readonly operand: Expr; readonly list: readonly Expr[] }
  | { readonly kind: 'Literal'; readonly value: string | number | boolean | null }
  | {
      readonly kind: 'Symbol';
      readonly name: DefQName;
      readonly args: readonly Expr[] | undefined;
    };

/** Freezes a node; the syntax tree is built only through this. */
export function node<T extends object>(value: T): Readonly<T> {
  return Object.freeze(value);
}

/** Statements that carry a name the package-wide duplicate check and the lookups see. */
export type NamedStatement =
  | WorkspaceStmt
  | TypeStmt
  | DescriptorStmt
  | TemplateStmt
  | RoleStmt
  | TagStmt
  | DeclareStmt
  | ProjectorStmt
  | JobStmt
  | RateStmt
  | LimitStmt
  | StorageStmt
  | FunctionStmt
  | CommandStmt
  | QueryStmt
  | TableStmt
  | ViewStmt;

export type AnyStatement =
  | ImportStmt
  | RootStatement
  | WorkspaceStatement
  | ExtensionStmt
  | StorageStmt
  | DescriptorStmt;
