import type { Analysis, Pkg, Resolved, TableKind } from './analyser/index.js';
import {
  type AclRuleDef,
  AppDef,
  type ContainerDef,
  type DataKind,
  type FieldDef,
  type FilterDef,
  type Operation,
  recordKinds,
  type StructureDef,
  type StructureKind,
  type TypeDef,
  type TypeKind,
  type UniqueDef,
  type WorkspaceDef,
} from './appdef.js';
import { aclBuildErrors, type WrittenRule } from './appdef-acl-check.js';
import {
  implicitSysTypes,
  SYS_PACKAGE_PATH,
  SYS_WORKSPACE,
  SYS_WS_DESCRIPTOR,
} from './appdef-sys.js';
import { appDefValidationErrors } from './appdef-validate.js';
import type {
  AnyStatement,
  ArgNode,
  DataTypeNode,
  DescriptorStmt,
  FieldNode,
  GrantStmt,
  ProjectorStmt,
  StateStorageNode,
  TableItem,
  TableStmt,
  TypeStmt,
  ViewItem,
  ViewStmt,
  WorkspaceStmt,
} from './ast.js';
import { errorAt, errorNoPos, type SchemaError } from './errors.js';
import { childStatements, type PackageAst, SYS_PACKAGE } from './package-ast.js';

const canNotReferenceTo: Partial<Record<StructureKind | 'ViewRecord', readonly string[]>> = {
  WDoc: ['ODoc', 'ORecord'],
  WRecord: ['ODoc', 'ORecord'],
  CDoc: ['WDoc', 'WRecord', 'ODoc', 'ORecord'],
  CRecord: ['WDoc', 'WRecord', 'ODoc', 'ORecord'],
  ViewRecord: ['ODoc', 'ORecord'],
};

const defaultMaxLen = 255;
const maxNestedOccurs = 100;

interface MutableStructure {
  kind: StructureKind;
  name: string;
  workspace: string;
  comment: readonly string[];
  tags: string[];
  abstract: boolean;
  singleton: boolean;
  fields: FieldDef[];
  containers: ContainerDef[];
  uniques: UniqueDef[];
  uniqueField: string | null;
  names: Set<string>;
}

/** Builds the AppDef from an analysed application; reports the reference's build-stage errors. */
export function buildAppDef(a: Analysis): { appDef: AppDef | undefined; errors: SchemaError[] } {
  return new Builder(a).build();
}

class Builder {
  private readonly errors: SchemaError[] = [];
  private readonly types = new Map<string, TypeDef>();
  private readonly structures = new Map<string, MutableStructure>();
  private readonly wsTypes = new Map<string, string[]>();
  private readonly wsAcl = new Map<string, AclRuleDef[]>();
  private readonly writtenRules: WrittenRule[] = [];

  constructor(private readonly a: Analysis) {}

  build(): { appDef: AppDef | undefined; errors: SchemaError[] } {
    const a = this.a;
    this.addImplicitSysTypes();
    this.eachStmt((s, pkg) => {
      if (s.kind === 'Tag')
        this.add({ kind: 'Tag', ...this.base(s, pkg, s.name), feature: s.feature });
    });
    this.eachStmt((s, pkg) => {
      if (s.kind === 'Type') this.buildType(s, pkg);
    });
    this.eachStmt((s, pkg) => {
      if (s.kind === 'Rate') this.buildRate(s, pkg);
    });
    this.eachStmt((s, pkg) => {
      if (s.kind === 'Table') this.buildTable(s, pkg);
    });
    this.eachStmt((s, pkg) => {
      if (s.kind === 'Workspace' && s.descriptor !== undefined)
        this.buildDescriptor(s.descriptor, pkg);
    });
    this.eachStmt((s, pkg) => {
      switch (s.kind) {
        case 'View':
          return this.buildView(s, pkg);
        case 'Command':
        case 'Query':
          return this.add({
            kind: s.kind,
            ...this.base(s, pkg, s.name),
            tags: this.tagsOf(s.with),
            engine: this.engine(s),
            states: this.storages(s.state),
            intents: s.kind === 'Command' ? this.storages(s.intents) : [],
            param: this.arg(s.param, pkg),
            unloggedParam: s.kind === 'Command' ? this.arg(s.unloggedParam, pkg) : null,
            result: this.arg(s.returns, pkg),
          });
        case 'Projector':
          return this.buildProjector(s, pkg);
        case 'Job':
          return this.add({
            kind: 'Job',
            ...this.base(s, pkg, s.name),
            engine: this.engine(s),
            states: this.storages(s.state),
            intents: this.storages(s.intents),
            cron: s.cron ?? '',
          });
        case 'Role':
          return this.add({ kind: 'Role', ...this.base(s, pkg, s.name), published: s.published });
        case 'Limit':
          return this.buildLimit(s, pkg);
        default:
          return;
      }
    });
    const workspaces: WorkspaceDef[] = [];
    this.eachStmt((s, pkg) => {
      if (s.kind === 'Workspace') workspaces.push(this.buildWorkspace(s, pkg));
    });
    if (!workspaces.some((w) => w.name === SYS_WORKSPACE)) workspaces.push(implicitSysWorkspace());
    this.buildAclRules();
    if (this.errors.length > 0) return { appDef: undefined, errors: this.errors };
    for (const [name, st] of this.structures) {
      const { names: _names, ...rest } = st;
      this.types.set(name, { ...rest, tags: [...rest.tags] });
    }
    const types = [...this.types.values()].sort((x, y) =>
      x.name < y.name ? -1 : x.name > y.name ? 1 : 0,
    );
    const finalWs = workspaces
      .map((w) => ({
        ...w,
        types: [...(this.wsTypes.get(w.name) ?? [])].sort(),
        acl: this.wsAcl.get(w.name) ?? [],
      }))
      .sort((x, y) => (x.name < y.name ? -1 : 1));
    const wsByName = new Map(finalWs.map((w) => [w.name, w]));
    const aclErrors = aclBuildErrors(this.writtenRules, this.types, wsByName);
    if (aclErrors.length > 0) return { appDef: undefined, errors: aclErrors };
    // the reference validates the AppDef when it is built, after all of the above
    const invalid = appDefValidationErrors(this.types, wsByName);
    if (invalid.length > 0) return { appDef: undefined, errors: invalid };
    // the AppDef always has the sys package, under the reference's path
    const packages = [...a.localNameToFullPath].map(([localName, path]) => ({ localName, path }));
    packages.push({ localName: SYS_PACKAGE, path: SYS_PACKAGE_PATH });
    packages.sort((x, y) => (x.localName < y.localName ? -1 : 1));
    return {
      appDef: new AppDef({ version: 1, name: a.appName, packages, workspaces: finalWs, types }),
      errors: [],
    };
  }

  /** The types the reference's AppDef has in sys.Workspace before any VSQL (sys data types and more). */
  private addImplicitSysTypes(): void {
    for (const t of implicitSysTypes()) this.add(t);
  }

  // ---- iteration and helpers ----

  private eachStmt(cb: (s: AnyStatement, pkg: Pkg) => void): void {
    for (const pkg of this.a.packages) {
      const walk = (list: readonly AnyStatement[]): void => {
        for (const s of list) {
          cb(s, pkg);
          walk(childStatements(s));
        }
      };
      walk(childStatements(pkg.ast as PackageAst));
    }
  }

  private wsName(s: AnyStatement): string {
    const w = this.a.stmtWorkspace.get(s);
    return w === undefined ? `${SYS_PACKAGE}.Workspace` : this.a.qn(w.pkg, w.ws.name);
  }

  private comments(s: AnyStatement): readonly string[] {
    return this.a.commentOverride.get(s) ?? s.comments;
  }

  private base(s: AnyStatement, pkg: Pkg, name: string) {
    return {
      name: this.a.qn(pkg, name),
      workspace: this.wsName(s),
      comment: this.comments(s),
      tags: [] as string[],
    };
  }

  private tagsOf(
    items: readonly { comment: string | undefined; tags: readonly unknown[] }[],
  ): string[] {
    const out: string[] = [];
    for (const item of items) out.push(...(this.a.withTags.get(item as never) ?? []));
    return out;
  }

  private add(t: TypeDef): void {
    this.types.set(t.name, t);
    this.registerInWorkspace(t.workspace, t.name);
  }

  private registerInWorkspace(ws: string, name: string): void {
    let list = this.wsTypes.get(ws);
    if (list === undefined) {
      list = [];
      this.wsTypes.set(ws, list);
    }
    list.push(name);
  }

  private engine(s: AnyStatement): 'BuiltIn' | 'WASM' {
    return this.a.engineOf.get(s) === 'WASM' ? 'WASM' : 'BuiltIn';
  }

  private storages(list: readonly StateStorageNode[]) {
    return list.map((s) => {
      const r = this.a.stateStorages.get(s);
      return {
        storage: r?.storage ?? `${s.storage.pkg}.${s.storage.name}`,
        entities: r?.entities ?? [],
      };
    });
  }

  private arg(arg: ArgNode | undefined, pkg: Pkg): string | null {
    if (arg === undefined || arg.kind === 'Void') return null;
    if (arg.kind === 'Any') return 'sys.ANY';
    return this.a.qnames.get(arg) ?? `${arg.pkg === '' ? pkg.name : arg.pkg}.${arg.name}`;
  }

  // ---- structures ----

  private newStructure(
    kind: StructureKind,
    name: string,
    ws: string,
    comment: readonly string[],
  ): MutableStructure {
    const s: MutableStructure = {
      kind,
      name,
      workspace: ws,
      comment,
      tags: [],
      abstract: false,
      singleton: false,
      fields: systemFields(kind),
      containers: [],
      uniques: [],
      uniqueField: null,
      names: new Set(),
    };
    this.structures.set(name, s);
    this.registerInWorkspace(ws, name);
    return s;
  }

  private buildType(t: TypeStmt, pkg: Pkg): void {
    const st = this.newStructure(
      'Object',
      this.a.qn(pkg, t.name),
      this.wsName(t),
      this.comments(t),
    );
    this.addItems(st, pkg, t.items);
  }

  private buildTable(t: TableStmt, pkg: Pkg): void {
    const name = this.a.qn(pkg, t.name);
    if (this.structures.has(name)) return;
    const kind = this.a.tableKind.get(t);
    if (kind === undefined) return;
    const st = this.newStructure(kind, name, this.wsName(t), this.comments(t));
    const fill = (tbl: TableStmt): void => {
      const base = this.a.tableInherits.get(tbl);
      if (base !== undefined) fill(base.stmt);
      this.addItems(st, pkg, tbl.items);
    };
    fill(t);
    st.singleton = this.a.singleton.has(t);
    st.abstract = t.abstract;
    st.tags.push(...this.tagsOf(t.with));
  }

  private buildDescriptor(d: DescriptorStmt, pkg: Pkg): void {
    if (d.name === '') return;
    const name = this.a.qn(pkg, d.name);
    if (this.structures.has(name)) return;
    const st = this.newStructure('CDoc', name, this.wsName(d), this.comments(d));
    this.addItems(st, pkg, d.items);
    st.singleton = true;
  }

  private checkName(st: MutableStructure, name: string, pos: FieldNode['pos']): boolean {
    if (st.names.has(name)) {
      this.errors.push(errorAt(pos, `redefinition of ${name}`));
      return false;
    }
    st.names.add(name);
    return true;
  }

  private addItems(st: MutableStructure, pkg: Pkg, items: readonly TableItem[]): void {
    let unnamed = 0;
    const uniqueNames = new Map<TableItem, string>();
    for (const item of items) {
      if (item.kind === 'Constraint' && item.unique !== undefined && item.name === '') {
        unnamed++;
        uniqueNames.set(item, String(unnamed).padStart(2, '0'));
      }
    }
    for (const item of items) {
      switch (item.kind) {
        case 'RefField': {
          if (!this.checkName(st, item.name, item.pos)) break;
          const targets = this.a.refTargets.get(item) ?? [];
          if (!this.checkReferences(st, targets, item.pos)) break;
          st.fields.push(
            field(item.name, 'RecordID', item.notNull, {
              refs: targets.map((r) => this.a.qn(r.pkg, r.stmt.name)),
              comment: item.comments,
            }),
          );
          break;
        }
        case 'Field':
          this.addField(st, item);
          break;
        case 'Constraint': {
          const has = (f: string): boolean => st.fields.some((x) => x.name === f && !x.system);
          if (item.uniqueField !== undefined) {
            if (!has(item.uniqueField)) {
              this.errors.push(errorAt(item.pos, `undefined field ${item.uniqueField}`));
              break;
            }
            st.uniqueField = item.uniqueField;
          } else if (item.unique !== undefined) {
            const missing = item.unique.find((f) => !has(f));
            if (missing !== undefined) {
              this.errors.push(errorAt(item.pos, `undefined field ${missing}`));
              break;
            }
            const uname = item.name !== '' ? item.name : (uniqueNames.get(item) ?? '');
            st.uniques.push({ name: `${st.name}$uniques$${uname}`, fields: [...item.unique] });
          }
          break;
        }
        case 'NestedTable': {
          if (!this.checkName(st, item.name, item.pos)) break;
          const nested = item.table;
          const kind = this.a.tableKind.get(nested);
          if (kind === undefined) {
            this.errors.push(errorAt(nested.pos, 'undefined table kind'));
            break;
          }
          const qn = this.a.qn(pkg, nested.name);
          if (!this.structures.has(qn)) {
            const ns = this.newStructure(kind, qn, this.wsName(nested), this.comments(nested));
            this.addItems(ns, pkg, nested.items);
            ns.tags.push(...this.tagsOf(nested.with));
          }
          st.containers.push({
            name: item.name,
            type: qn,
            minOccurs: 0,
            maxOccurs: maxNestedOccurs,
          });
          break;
        }
        case 'FieldSet': {
          const t = this.a.fieldSetType.get(item);
          if (t !== undefined) this.addItems(st, t.pkg, t.stmt.items);
          break;
        }
      }
    }
  }

  private checkReferences(
    st: MutableStructure,
    targets: readonly Resolved<TableStmt>[],
    pos: FieldNode['pos'],
  ): boolean {
    for (const r of targets) {
      const qn = this.a.qn(r.pkg, r.stmt.name);
      if (!this.structures.has(qn)) this.buildTable(r.stmt, r.pkg);
      const target = this.structures.get(qn);
      if (target === undefined) continue;
      if (canNotReferenceTo[st.kind]?.includes(target.kind) === true) {
        this.errors.push(
          errorAt(pos, `table ${st.name} can not reference to ${target.kind} «${qn}»`),
        );
        return false;
      }
    }
    return true;
  }

  private addField(st: MutableStructure, f: FieldNode): void {
    if (f.type.kind === 'DataType') {
      if (!this.checkName(st, f.name, f.pos)) return;
      st.fields.push(
        dataField(
          f.name,
          f.type,
          f.notNull,
          f.verifiable,
          f.checkRegexp?.value ?? null,
          f.comments,
        ),
      );
      return;
    }
    if (st.kind === 'Object') {
      const t = this.a.fieldTypeType.get(f);
      if (t === undefined) return;
      st.containers.push({
        name: f.name,
        type: this.a.qn(t.pkg, t.stmt.name),
        minOccurs: f.notNull ? 1 : 0,
        maxOccurs: 1,
      });
      return;
    }
    const t = this.a.fieldTypeTable.get(f);
    if (t === undefined) return;
    const qn = this.a.qn(t.pkg, t.stmt.name);
    if (!this.structures.has(qn)) this.buildTable(t.stmt, t.pkg);
    const target = this.structures.get(qn);
    const expected = nestedKindOf(st.kind);
    if (target === undefined || expected === undefined) {
      this.errors.push(errorAt(f.pos, 'incorrect nested table kind'));
      return;
    }
    if (target.kind !== expected) {
      // the reference appends this one without a position (impl_build.go addTableFieldToTable)
      this.errors.push(errorNoPos('incorrect nested table kind'));
      return;
    }
    st.containers.push({ name: f.name, type: qn, minOccurs: 0, maxOccurs: maxNestedOccurs });
  }

  // ---- views, extensions, rates ----

  private buildView(v: ViewStmt, pkg: Pkg): void {
    const byName = new Map<string, ViewItem>();
    let pk: Extract<ViewItem, { kind: 'PrimaryKey' }> | undefined;
    for (const item of v.items) {
      if (item.kind === 'PrimaryKey') pk ??= item;
      else byName.set(item.name.value, item);
    }
    const toField = (item: ViewItem): FieldDef | undefined => {
      switch (item.kind) {
        case 'ViewField':
          return dataField(item.name.value, item.type, item.notNull, false, null, item.comments);
        case 'ViewRefField':
          return field(item.name.value, 'RecordID', item.notNull, {
            refs: (this.a.refTargets.get(item) ?? []).map((r) => this.a.qn(r.pkg, r.stmt.name)),
            comment: item.comments,
          });
        case 'ViewRecordField':
          return field(item.name.value, 'Record', item.notNull, { comment: item.comments });
        default:
          return undefined;
      }
    };
    const keyNames = new Set<string>();
    // partition key fields are required, clustering columns are not (as the reference's view key)
    const pick = (names: readonly { value: string }[], required: boolean): FieldDef[] =>
      names.flatMap((n) => {
        keyNames.add(n.value);
        const item = byName.get(n.value);
        const f = item === undefined ? undefined : toField(item);
        return f === undefined ? [] : [{ ...f, required }];
      });
    const partitionKey = pick(pk?.partition ?? [], true);
    const clusteringColumns = pick(pk?.clustering ?? [], false);
    const value = [
      field('sys.QName', 'QName', true, { system: true }),
      ...v.items.flatMap((item) => {
        if (item.kind === 'PrimaryKey' || keyNames.has(item.name.value)) return [];
        const f = toField(item);
        return f === undefined ? [] : [f];
      }),
    ];
    this.add({
      kind: 'ViewRecord',
      ...this.base(v, pkg, v.name),
      tags: this.tagsOf(v.with),
      partitionKey,
      clusteringColumns,
      value,
    });
  }

  private buildProjector(p: ProjectorStmt, pkg: Pkg): void {
    const events: { ops: Operation[]; filter: FilterDef }[] = [];
    for (const t of p.triggers) {
      if (t.cron !== undefined) continue;
      const ops: Operation[] = [];
      if (t.execute !== undefined) ops.push(t.execute.withParam ? 'ExecuteWithParam' : 'Execute');
      else {
        const order: [string, Operation][] = [
          ['INSERT', 'Insert'],
          ['UPDATE', 'Update'],
          ['ACTIVATE', 'Activate'],
          ['DEACTIVATE', 'Deactivate'],
        ];
        for (const [k, op] of order) if (t.tableActions.includes(k as never)) ops.push(op);
      }
      const names: string[] = [];
      const types: TypeKind[] = [];
      for (const q of t.qnames) {
        const qn = this.a.qnames.get(q) ?? `${q.pkg === '' ? pkg.name : q.pkg}.${q.name}`;
        if (qn === 'sys.CRecord') types.push('CDoc', 'CRecord');
        else if (qn === 'sys.WRecord') types.push('WDoc', 'WRecord');
        else if (qn === 'sys.ODoc') types.push('ODoc');
        else names.push(qn);
      }
      const filters: FilterDef[] = [];
      if (names.length > 0) filters.push({ kind: 'QNames', names });
      if (types.length > 0) filters.push({ kind: 'Types', types, workspace: null });
      const filter =
        filters.length === 1 ? (filters[0] as FilterDef) : { kind: 'Or' as const, filters };
      events.push({ ops, filter });
    }
    this.add({
      kind: 'Projector',
      ...this.base(p, pkg, p.name),
      engine: this.engine(p),
      states: this.storages(p.state),
      intents: this.storages(p.intents),
      sync: p.sync,
      wantErrors: p.includingErrors,
      events,
    });
  }

  private buildRate(r: Extract<AnyStatement, { kind: 'Rate' }>, pkg: Pkg): void {
    const unitMs = {
      SECOND: 1000,
      MINUTE: 60_000,
      HOUR: 3_600_000,
      DAY: 86_400_000,
      YEAR: 365 * 86_400_000,
    }[r.unit];
    const scopes: ('AppPartition' | 'Workspace' | 'User' | 'IP')[] = [
      r.objectScope ?? 'AppPartition',
    ];
    if (r.subjectScope !== undefined) scopes.push(r.subjectScope === 'Subject' ? 'User' : 'IP');
    this.add({
      kind: 'Rate',
      ...this.base(r, pkg, r.name),
      count: this.a.rateCount.get(r) ?? 0,
      periodMs: (r.unitAmount ?? 1) * unitMs,
      scopes,
    });
  }

  private buildLimit(l: Extract<AnyStatement, { kind: 'Limit' }>, pkg: Pkg): void {
    const typesFor = (t: string): TypeKind[] =>
      t === 'COMMAND'
        ? ['Command']
        : t === 'QUERY'
          ? ['Query']
          : t === 'VIEW'
            ? ['ViewRecord']
            : [...recordKinds];
    let option: 'ALL' | 'EACH' = 'EACH';
    let filter: FilterDef;
    const group = l.all ?? l.each;
    if (group !== undefined) {
      option = l.all !== undefined ? 'ALL' : 'EACH';
      const types: FilterDef = { kind: 'Types', types: typesFor(group.target), workspace: null };
      filter =
        group.tag !== undefined
          ? {
              kind: 'And',
              filters: [
                types,
                { kind: 'Tags', tags: [this.a.qnames.get(group.tag) ?? group.tag.name] },
              ],
            }
          : types;
    } else {
      const single = l.single;
      const qn = single === undefined ? '' : (this.a.qnames.get(single.name) ?? single.name.name);
      filter = {
        kind: 'And',
        filters: [
          { kind: 'Types', types: typesFor(single?.target ?? 'TABLE'), workspace: null },
          { kind: 'QNames', names: [qn] },
        ],
      };
    }
    this.add({
      kind: 'Limit',
      ...this.base(l, pkg, l.name),
      ops: (this.a.limitOps.get(l) ?? []).map(toOperation),
      option,
      filter,
      rate: this.a.qnames.get(l.rate) ?? l.rate.name,
    });
  }

  // ---- workspaces and ACL ----

  private buildWorkspace(w: WorkspaceStmt, pkg: Pkg): WorkspaceDef {
    const name = this.a.qn(pkg, w.name);
    const ancestors = (this.a.inheritedWorkspaces.get(w) ?? []).map((x) => this.wsQName(x));
    if (ancestors.length === 0 && name !== SYS_WORKSPACE) ancestors.push(SYS_WORKSPACE);
    let descriptor =
      w.descriptor !== undefined && w.descriptor.name !== ''
        ? this.a.qn(pkg, w.descriptor.name)
        : null;
    // sys.Workspace keeps the descriptor the AppDef gives it unless VSQL declares one
    if (name === SYS_WORKSPACE && descriptor === null) descriptor = SYS_WS_DESCRIPTOR;
    return {
      name,
      abstract: w.abstract,
      descriptor,
      ancestors: [...new Set(ancestors)],
      usedWorkspaces: [
        ...new Set((this.a.usedWorkspaces.get(w) ?? []).map((x) => this.wsQName(x))),
      ],
      types: [],
      acl: [],
      comment: this.comments(w),
    };
  }

  private wsQName(w: WorkspaceStmt): string {
    const p = this.a.wsPkg.get(w);
    return p === undefined ? w.name : this.a.qn(p, w.name);
  }

  /**
   * Writes the rules in the reference's order (impl_build.go grantsAndRevokes): for each workspace, the
   * statements of every workspace it inherits, then its own (GRANTs, then REVOKEs); then ALTER WORKSPACE
   * blocks. A rule is written into the workspace its statement belongs to, so an inherited workspace gets
   * its rules again for each workspace that inherits it; they apply there through the ancestor chain.
   */
  private buildAclRules(): void {
    const apply = (statements: readonly AnyStatement[]): void => {
      for (const kind of ['Grant', 'Revoke'] as const) {
        for (const s of statements) if (s.kind === kind) this.buildAcl(s);
      }
    };
    this.eachStmt((s) => {
      if (s.kind !== 'Workspace') return;
      for (const inherited of this.a.inheritedWorkspaces.get(s) ?? []) apply(inherited.statements);
      apply(s.statements);
    });
    this.eachStmt((s) => {
      if (s.kind === 'AlterWorkspace') apply(s.statements);
    });
  }

  private buildAcl(g: GrantStmt): void {
    const ws = this.wsName(g);
    const t = g.target;
    const q = (n: { pkg: string; name: string }): string => this.a.qnames.get(n as never) ?? n.name;
    const policy = g.kind === 'Grant' ? 'Allow' : 'Deny';
    const principal = q(g.role);
    const comment = this.comments(g);
    const rules: AclRuleDef[] = [];
    const push = (
      ops: readonly Operation[],
      filter: FilterDef,
      fields: readonly string[] = [],
    ): void => {
      rules.push({ ops: [...ops], policy, filter, fields: [...fields], principal, comment });
    };
    const tagged = (
      types: TypeKind[],
      tag: { pkg: string; name: string } | undefined,
    ): FilterDef =>
      tag === undefined
        ? { kind: 'Types', types, workspace: ws }
        : {
            kind: 'And',
            filters: [
              { kind: 'Types', types, workspace: null },
              { kind: 'Tags', tags: [q(tag)] },
            ],
          };
    const allTableOps: Operation[] = ['Select', 'Insert', 'Update'];
    switch (t.kind) {
      case 'Role':
        push(['Inherits'], { kind: 'QNames', names: [q(t.name)] });
        break;
      case 'Command':
      case 'Query':
        push(['Execute'], { kind: 'QNames', names: [q(t.name)] });
        break;
      case 'View':
        push(
          ['Select'],
          { kind: 'QNames', names: [q(t.name)] },
          t.columns.map((c) => c.value),
        );
        break;
      case 'AllCommands':
        push(['Execute'], tagged(['Command'], t.tag));
        break;
      case 'AllQueries':
        push(['Execute'], tagged(['Query'], t.tag));
        break;
      case 'AllViews':
        push(['Select'], tagged(['ViewRecord'], t.tag));
        break;
      case 'AllTables':
        push(
          t.all ? allTableOps : t.actions.map((x) => toOperation(x.op)),
          tagged([...recordKinds], t.tag),
        );
        break;
      case 'Table': {
        const filter: FilterDef = { kind: 'QNames', names: [q(t.name)] };
        for (const f of this.a.grantFields.get(g) ?? []) {
          push(f.op === 'ALL' ? allTableOps : [toOperation(f.op)], filter, f.fields);
        }
        break;
      }
    }
    let list = this.wsAcl.get(ws);
    if (list === undefined) {
      list = [];
      this.wsAcl.set(ws, list);
    }
    list.push(...rules);
    for (const rule of rules) this.writtenRules.push({ workspace: ws, rule, pos: g.pos });
  }
}

/** sys.Workspace when no sys package declares it: the reference's AppDef always has it. */
function implicitSysWorkspace(): WorkspaceDef {
  return {
    name: SYS_WORKSPACE,
    abstract: false,
    descriptor: SYS_WS_DESCRIPTOR,
    ancestors: [],
    usedWorkspaces: [],
    types: [],
    acl: [],
    comment: [],
  };
}

function toOperation(op: string): Operation {
  return (op.charAt(0) + op.slice(1).toLowerCase()) as Operation;
}

function nestedKindOf(kind: StructureKind): TableKind | undefined {
  switch (kind) {
    case 'CDoc':
    case 'CRecord':
      return 'CRecord';
    case 'WDoc':
    case 'WRecord':
      return 'WRecord';
    case 'ODoc':
    case 'ORecord':
      return 'ORecord';
    default:
      return undefined;
  }
}

function field(
  name: string,
  data: DataKind,
  required: boolean,
  extra: Partial<
    Pick<FieldDef, 'refs' | 'comment' | 'system' | 'verifiable' | 'maxLen' | 'pattern'>
  > = {},
): FieldDef {
  return {
    name,
    data,
    required,
    system: extra.system ?? false,
    verifiable: extra.verifiable ?? false,
    refs: extra.refs ?? [],
    maxLen: extra.maxLen ?? null,
    pattern: extra.pattern ?? null,
    comment: extra.comment ?? [],
  };
}

const dataKindOf: Record<DataTypeNode['type'], DataKind> = {
  varchar: 'string',
  bytes: 'bytes',
  int8: 'int8',
  int16: 'int16',
  int32: 'int32',
  int64: 'int64',
  float32: 'float32',
  float64: 'float64',
  timestamp: 'int64',
  currency: 'int64',
  bool: 'bool',
  blob: 'RecordID',
  qname: 'QName',
};

function dataField(
  name: string,
  t: DataTypeNode,
  required: boolean,
  verifiable: boolean,
  pattern: string | null,
  comment: readonly string[],
): FieldDef {
  const variable = t.type === 'varchar' || t.type === 'bytes';
  return field(name, dataKindOf[t.type], required, {
    verifiable,
    comment,
    refs: t.type === 'blob' ? ['sys.BLOB'] : [],
    maxLen: variable ? (t.maxLen ?? defaultMaxLen) : null,
    pattern: t.type === 'varchar' ? pattern : null,
  });
}

function systemFields(kind: StructureKind): FieldDef[] {
  const f = (name: string, data: DataKind, required = true): FieldDef =>
    field(name, data, required, { system: true });
  const out = [f('sys.QName', 'QName')];
  if (kind === 'Object') return out;
  out.push(f('sys.ID', 'RecordID'));
  if (kind === 'CRecord' || kind === 'WRecord' || kind === 'ORecord') {
    out.push(f('sys.ParentID', 'RecordID'), f('sys.Container', 'string'));
  }
  if (kind !== 'ODoc' && kind !== 'ORecord') out.push(f('sys.IsActive', 'bool', false));
  return out;
}

export type { StructureDef };
