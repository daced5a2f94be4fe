// The application definition: typed, immutable, fully resolved. Its data is plain JSON-compatible values,
// so `appDefToJson` is the data itself and `appDefFromJson` rebuilds the same AppDef (lookups included).

export type RecordKind = 'CDoc' | 'CRecord' | 'WDoc' | 'WRecord' | 'ODoc' | 'ORecord';
export type StructureKind = RecordKind | 'Object';
export type TypeKind =
  | 'Data'
  | StructureKind
  | 'ViewRecord'
  | 'Command'
  | 'Query'
  | 'Projector'
  | 'Job'
  | 'Role'
  | 'Tag'
  | 'Rate'
  | 'Limit';

export type DataKind =
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'float32'
  | 'float64'
  | 'bytes'
  | 'string'
  | 'QName'
  | 'bool'
  | 'RecordID'
  | 'Record'
  | 'Event';

export type Operation =
  | 'Insert'
  | 'Update'
  | 'Activate'
  | 'Deactivate'
  | 'Select'
  | 'Execute'
  | 'ExecuteWithParam'
  | 'Inherits';

export type EngineKind = 'BuiltIn' | 'WASM';

export interface FieldDef {
  readonly name: string;
  readonly data: DataKind;
  readonly required: boolean;
  /** System fields (`sys.ID`, …) are added by the model, not written in VSQL. */
  readonly system: boolean;
  readonly verifiable: boolean;
  readonly refs: readonly string[];
  readonly maxLen: number | null;
  readonly pattern: string | null;
  readonly comment: readonly string[];
}

export interface ContainerDef {
  readonly name: string;
  readonly type: string;
  readonly minOccurs: number;
  readonly maxOccurs: number;
}

export interface UniqueDef {
  readonly name: string;
  readonly fields: readonly string[];
}

export type FilterDef =
  | { readonly kind: 'QNames'; readonly names: readonly string[] }
  | {
      readonly kind: 'Types';
      readonly types: readonly TypeKind[];
      readonly workspace: string | null;
    }
  | { readonly kind: 'Tags'; readonly tags: readonly string[] }
  | { readonly kind: 'And' | 'Or'; readonly filters: readonly FilterDef[] };

export interface StorageUseDef {
  readonly storage: string;
  readonly entities: readonly string[];
}

interface TypeBase {
  readonly name: string;
  readonly workspace: string;
  readonly comment: readonly string[];
  readonly tags: readonly string[];
}

export interface StructureDef extends TypeBase {
  readonly kind: StructureKind;
  readonly abstract: boolean;
  readonly singleton: boolean;
  readonly fields: readonly FieldDef[];
  readonly containers: readonly ContainerDef[];
  readonly uniques: readonly UniqueDef[];
  readonly uniqueField: string | null;
}

export interface ViewDef extends TypeBase {
  readonly kind: 'ViewRecord';
  readonly partitionKey: readonly FieldDef[];
  readonly clusteringColumns: readonly FieldDef[];
  readonly value: readonly FieldDef[];
}

/** A named data type; the AppDef has one system data type per data kind (`sys.int32`, `sys.string`, …). */
export interface DataDef extends TypeBase {
  readonly kind: 'Data';
  readonly dataKind: DataKind;
  /** The data type this one narrows; null for the system data types. */
  readonly ancestor: string | null;
}

interface ExtensionBase extends TypeBase {
  readonly engine: EngineKind;
  readonly states: readonly StorageUseDef[];
  readonly intents: readonly StorageUseDef[];
}

export interface FunctionDef extends ExtensionBase {
  readonly kind: 'Command' | 'Query';
  readonly param: string | null;
  readonly unloggedParam: string | null;
  readonly result: string | null;
}

export interface ProjectorDef extends ExtensionBase {
  readonly kind: 'Projector';
  readonly sync: boolean;
  readonly wantErrors: boolean;
  readonly events: readonly { readonly ops: readonly Operation[]; readonly filter: FilterDef }[];
}

export interface JobDef extends ExtensionBase {
  readonly kind: 'Job';
  readonly cron: string;
}

export interface RoleDef extends TypeBase {
  readonly kind: 'Role';
  readonly published: boolean;
}

export interface TagDef extends TypeBase {
  readonly kind: 'Tag';
  readonly feature: string;
}

export type RateScope = 'AppPartition' | 'Workspace' | 'User' | 'IP';

export interface RateDef extends TypeBase {
  readonly kind: 'Rate';
  readonly count: number;
  readonly periodMs: number;
  readonly scopes: readonly RateScope[];
}

export interface LimitDef extends TypeBase {
  readonly kind: 'Limit';
  readonly ops: readonly Operation[];
  readonly option: 'ALL' | 'EACH';
  readonly filter: FilterDef;
  readonly rate: string;
}

export type TypeDef =
  | DataDef
  | StructureDef
  | ViewDef
  | FunctionDef
  | ProjectorDef
  | JobDef
  | RoleDef
  | TagDef
  | RateDef
  | LimitDef;

export interface AclRuleDef {
  readonly ops: readonly Operation[];
  readonly policy: 'Allow' | 'Deny';
  readonly filter: FilterDef;
  readonly fields: readonly string[];
  readonly principal: string;
  readonly comment: readonly string[];
}

export interface WorkspaceDef {
  readonly name: string;
  readonly abstract: boolean;
  readonly descriptor: string | null;
  /** Every workspace but sys.Workspace has ancestors: the ones it INHERITS (transitively), else sys.Workspace. */
  readonly ancestors: readonly string[];
  readonly usedWorkspaces: readonly string[];
  /** The types declared in this workspace (its local types). */
  readonly types: readonly string[];
  /**
   * The rules written in this workspace, in the reference's order: a workspace's GRANTs then REVOKEs; a
   * workspace that others INHERIT gets its rules once more for each of them (the reference re-applies an
   * inherited workspace's statements to that workspace); rules of ALTER WORKSPACE blocks come last. The
   * rules in force in a workspace are those of its ancestors, then its own: see `AppDef.aclRules`.
   */
  readonly acl: readonly AclRuleDef[];
  readonly comment: readonly string[];
}

export interface AppDefJson {
  readonly version: 1;
  readonly name: string;
  readonly packages: readonly { readonly localName: string; readonly path: string }[];
  readonly workspaces: readonly WorkspaceDef[];
  readonly types: readonly TypeDef[];
}

export const recordKinds: readonly RecordKind[] = [
  'CDoc',
  'CRecord',
  'WDoc',
  'WRecord',
  'ODoc',
  'ORecord',
];

export class AppDef {
  readonly data: AppDefJson;
  private readonly typeIndex: ReadonlyMap<string, TypeDef>;
  private readonly wsIndex: ReadonlyMap<string, WorkspaceDef>;
  // A true private field: a cache, not part of what two equal AppDefs compare.
  readonly #visible = new Map<string, ReadonlySet<string>>();

  constructor(data: AppDefJson) {
    this.data = deepFreeze(data);
    this.typeIndex = new Map(data.types.map((t) => [t.name, t]));
    this.wsIndex = new Map(data.workspaces.map((w) => [w.name, w]));
  }

  get name(): string {
    return this.data.name;
  }

  type(qname: string): TypeDef | undefined {
    return this.typeIndex.get(qname);
  }

  workspace(qname: string): WorkspaceDef | undefined {
    return this.wsIndex.get(qname);
  }

  types(): readonly TypeDef[] {
    return this.data.types;
  }

  workspaces(): readonly WorkspaceDef[] {
    return this.data.workspaces;
  }

  structure(qname: string): StructureDef | undefined {
    const t = this.typeIndex.get(qname);
    return t !== undefined && (t.kind === 'Object' || recordKinds.includes(t.kind as RecordKind))
      ? (t as StructureDef)
      : undefined;
  }

  packageLocalName(path: string): string | undefined {
    return this.data.packages.find((p) => p.path === path)?.localName;
  }

  /**
   * The types visible in a workspace: its own and its ancestors' (recursively), sorted by name, as the
   * reference's `IWorkspace.Types()` (used workspaces are not types here).
   */
  workspaceTypes(workspace: string): readonly TypeDef[] {
    const names = new Set<string>();
    const seen = new Set<string>();
    const visit = (w: string): void => {
      const ws = this.wsIndex.get(w);
      if (ws === undefined || seen.has(w)) return;
      seen.add(w);
      for (const a of ws.ancestors) visit(a);
      for (const t of ws.types) names.add(t);
    };
    visit(workspace);
    return [...names]
      .sort()
      .map((n) => this.typeIndex.get(n))
      .filter((t): t is TypeDef => t !== undefined);
  }

  /**
   * The ACL rules in force in a workspace, in the order they are evaluated (later rules override earlier
   * ones): each ancestor's, depth first and each workspace once, then the workspace's own. This is how
   * the rules of an inherited workspace (and of sys.Workspace) apply in the workspaces that inherit it.
   */
  aclRules(workspace: string): readonly AclRuleDef[] {
    const out: AclRuleDef[] = [];
    const seen = new Set<string>();
    const visit = (w: string): void => {
      const ws = this.wsIndex.get(w);
      if (ws === undefined || seen.has(w)) return;
      seen.add(w);
      for (const a of ws.ancestors) visit(a);
      out.push(...ws.acl);
    };
    visit(workspace);
    return out;
  }

  /** The type as seen from a workspace: its own types, then its ancestors' (recursively). */
  workspaceType(workspace: string, qname: string): TypeDef | undefined {
    return this.visibleTypes(workspace).has(qname) ? this.typeIndex.get(qname) : undefined;
  }

  /** The names of the types a workspace sees, computed once per workspace: processors ask per request. */
  private visibleTypes(workspace: string): ReadonlySet<string> {
    let names = this.#visible.get(workspace);
    if (names === undefined) {
      const out = new Set<string>();
      const seen = new Set<string>();
      const visit = (w: string): void => {
        const ws = this.wsIndex.get(w);
        if (ws === undefined || seen.has(w)) return;
        seen.add(w);
        for (const t of ws.types) out.add(t);
        for (const a of ws.ancestors) visit(a);
      };
      visit(workspace);
      names = out;
      this.#visible.set(workspace, names);
    }
    return names;
  }
}

export function appDefToJson(app: AppDef): AppDefJson {
  return app.data;
}

/** Reads the JSON form back; throws a TypeError when the value is not an AppDef JSON of this version. */
export function appDefFromJson(json: unknown): AppDef {
  if (typeof json !== 'object' || json === null)
    throw new TypeError('AppDef JSON must be an object');
  const o = json as Partial<AppDefJson>;
  if (
    o.version !== 1 ||
    typeof o.name !== 'string' ||
    !Array.isArray(o.types) ||
    !Array.isArray(o.workspaces)
  ) {
    throw new TypeError('not an AppDef JSON (version 1)');
  }
  return new AppDef(structuredClone(o as AppDefJson));
}

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
  }
  return v;
}
