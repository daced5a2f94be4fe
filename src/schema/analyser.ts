import {
  type AlterWorkspaceStmt,
  type AnyStatement,
  type ApplicationStmt,
  type CommandStmt,
  type DataTypeNode,
  type DeclareStmt,
  type DefQName,
  type DescriptorStmt,
  type FieldNode,
  type GrantStmt,
  type ImportStmt,
  type JobStmt,
  type LimitStmt,
  type NamedStatement,
  type OperationName,
  type Pos,
  type ProjectorStmt,
  type QueryStmt,
  qnameText,
  type RateStmt,
  type RoleStmt,
  type StateStorageNode,
  type StorageScopeName,
  type StorageStmt,
  type TableItem,
  type TableStmt,
  type TagStmt,
  type TypeStmt,
  type UseWorkspaceStmt,
  type ViewStmt,
  type WithItem,
  type WorkspaceStmt,
} from './ast.js';
import { isValidCron } from './cron.js';
import { errorAt, errorNoPos, type SchemaError } from './errors.js';
import { childStatements, isNamed, type PackageAst, SYS_PACKAGE } from './package-ast.js';

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

type Kind = NamedStatement['kind'];
type StmtOf<K extends Kind> = Extract<NamedStatement, { kind: K }>;

const maxFieldLength = 65535;

const undefinedMessage: Partial<Record<Kind, string>> = {
  Table: 'undefined table',
  Descriptor: 'undefined table',
  Command: 'undefined command',
  Query: 'undefined query',
  Tag: 'undefined tag',
  Role: 'undefined role',
  Type: 'undefined type',
  Workspace: 'undefined workspace',
  Projector: 'undefined projector',
  Rate: 'undefined rate',
  View: 'undefined view',
};

class LookupError {
  constructor(readonly message: string) {}
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
  readonly grantFields = new Map<GrantStmt, { op: OperationName | 'ALL'; fields: string[] }[]>();
  readonly stateStorages = new Map<StateStorageNode, { storage: string; entities: string[] }>();
  readonly withTags = new Map<WithItem, string[]>();
  readonly commentOverride = new Map<AnyStatement, readonly string[]>();
  readonly viewResultOf = new Map<ViewStmt, string>();
  readonly engineOf = new Map<AnyStatement, 'BUILTIN' | 'WASM'>();

  qn(pkg: Pkg, name: string): string {
    return `${pkg.name}.${name}`;
  }
}

interface Ctx {
  readonly pkg: Pkg;
  /** The workspace lookups start from: the enclosing WORKSPACE, or the one an ALTER WORKSPACE alters. */
  readonly ws: WsAddr | undefined;
}

export interface AnalyseOptions {
  readonly variables?: VariableResolver;
}

/**
 * Resolves names and runs the reference's semantic checks, in its pass order, so that errors come out
 * in the same order with the same text. Returns errors (never throws on bad input).
 */
export function analyse(
  packages: readonly PackageAst[],
  opts: AnalyseOptions = {},
): { analysis: Analysis; errors: SchemaError[] } {
  return new Analyser(packages, opts).run();
}

class Analyser {
  readonly a = new Analysis();
  readonly errors: SchemaError[] = [];
  private readonly indexCache = new Map<object, Map<string, NamedStatement>>();

  constructor(
    packages: readonly PackageAst[],
    private readonly opts: AnalyseOptions,
  ) {
    for (const p of packages) {
      const pkg: Pkg = { ast: p, path: p.path, name: '', localNameToPkgPath: new Map() };
      this.a.packages.push(pkg);
      this.a.byPath.set(p.path, pkg);
    }
  }

  private err(pos: Pos, message: string): void {
    this.errors.push(errorAt(pos, message));
  }

  run(): { analysis: Analysis; errors: SchemaError[] } {
    this.localNameRedeclarations();
    this.defineApp();
    this.walkAll((s, c) => {
      if (s.kind === 'Table') this.preAnalyseTable(s, c);
      else if (s.kind === 'AlterWorkspace') this.preAnalyseAlter(s, c);
    });
    if (this.errors.length > 0) return { analysis: this.a, errors: this.errors };
    this.walkAll((s, c) => this.pass1(s, c));
    this.walkAll((s, c) => {
      if (s.kind === 'Workspace') this.analyseWorkspace(s, c);
    });
    this.walkAll((s) => {
      if (s.kind === 'AlterWorkspace') {
        const w = this.a.alteredWorkspace.get(s);
        if (w !== undefined) this.includeChildWorkspaces(s.statements, w.ws);
      }
    });
    this.walkAll((s, c) => {
      if (s.kind === 'Workspace') {
        this.includeFromInherited(s, c);
        this.includeChildWorkspaces(s.statements, s);
      }
    });
    this.walkAll((s) => {
      if (s.kind === 'UseWorkspace') this.analyseUsedWorkspace(s);
    });
    this.walkAll((s, c) => {
      switch (s.kind) {
        case 'Grant':
        case 'Revoke':
          this.analyseGrant(s, c);
          break;
        case 'Table':
          this.analyseRefFields(s.items, c, this.a.tableKind.get(s));
          break;
        case 'Type':
          this.analyseRefFields(s.items, c, 'Object');
          break;
        case 'View':
          this.analyseViewRefFields(s, c);
          break;
      }
    });
    return { analysis: this.a, errors: this.errors };
  }

  // ---- iteration ----

  private walkAll(cb: (s: AnyStatement, c: Ctx) => void): void {
    for (const pkg of this.a.packages) {
      const root: Ctx = { pkg, ws: undefined };
      this.walk(childStatements(pkg.ast), root, cb);
    }
  }

  private walk(list: readonly AnyStatement[], c: Ctx, cb: (s: AnyStatement, c: Ctx) => void): void {
    for (const s of list) {
      cb(s, c);
      const children = childStatements(s);
      if (children.length === 0) continue;
      let inner = c;
      if (s.kind === 'Workspace') inner = { pkg: c.pkg, ws: { ws: s, pkg: c.pkg } };
      else if (s.kind === 'AlterWorkspace')
        inner = { pkg: c.pkg, ws: this.a.alteredWorkspace.get(s) };
      if (s.kind === 'RootExtEngine' || s.kind === 'WsExtEngine') {
        for (const e of s.statements) this.a.engineOf.set(e, s.engine);
      }
      this.walk(children, inner, cb);
    }
  }

  // ---- name lookup (the reference's order: current workspace, inherited ones, sys.Workspace, package root) ----

  private index(coll: WorkspaceStmt | PackageAst): Map<string, NamedStatement> {
    let idx = this.indexCache.get(coll);
    if (idx !== undefined) return idx;
    const built = new Map<string, NamedStatement>();
    const visit = (s: AnyStatement): void => {
      if (isNamed(s)) {
        const key = `${s.kind}:${s.name}`;
        if (!built.has(key)) built.set(key, s);
      }
      if (s.kind !== 'Workspace') for (const ch of childStatements(s)) visit(ch);
      if (s.kind === 'Table') {
        for (const item of s.items) if (item.kind === 'NestedTable') visit(item.table);
      }
    };
    for (const s of childStatements(coll)) visit(s);
    idx = built;
    this.indexCache.set(coll, idx);
    return idx;
  }

  private findPackage(pkgName: string, c: Ctx): Pkg {
    const name = pkgName.trim();
    if (name === '' || name === c.pkg.name) return c.pkg;
    if (name === SYS_PACKAGE) {
      const sys = this.a.byPath.get(SYS_PACKAGE);
      if (sys === undefined) throw new LookupError(couldNotImport(SYS_PACKAGE));
      return sys;
    }
    const path = qualifiedPackageName(name, c.pkg.ast.imports);
    if (path === '') throw new LookupError(`${name} undefined`);
    const target = this.a.byPath.get(path);
    if (target === undefined) throw new LookupError(couldNotImport(path));
    return target;
  }

  /** Returns the statement or undefined; throws LookupError for package-level failures. */
  private lookup<K extends Kind>(fn: DefQName, c: Ctx, kind: K): Resolved<StmtOf<K>> | undefined {
    const key = `${kind}:${fn.name}`;
    const isTag = kind === 'Tag';
    let target: Pkg;
    try {
      target = this.findPackage(fn.pkg, c);
    } catch (e) {
      // tags from other packages are simply not found, before any package error is considered
      if (isTag && e instanceof LookupError) return undefined;
      throw e;
    }
    if (isTag && target !== c.pkg) return undefined;
    const found = (s: NamedStatement | undefined, pkg: Pkg): Resolved<StmtOf<K>> | undefined =>
      s === undefined ? undefined : { stmt: s as StmtOf<K>, pkg };
    const ws = c.ws;
    if (ws !== undefined) {
      const hit = this.index(ws.ws).get(key);
      if (hit !== undefined) return found(hit, target);
      if (kind !== 'Workspace' && !isTag) {
        const chain: WorkspaceStmt[] = [];
        let result: Resolved<StmtOf<K>> | undefined;
        const lookInInherited = (iws: WorkspaceStmt): void => {
          if (chain.includes(iws)) return;
          chain.push(iws);
          for (const dq of iws.inherits) {
            const base = this.resolve(dq, c, 'Workspace');
            lookInInherited(base.stmt);
            if (result !== undefined) return;
            if (base.pkg === target) {
              const h = this.index(base.stmt).get(key);
              if (h !== undefined) result = found(h, target);
            }
          }
        };
        lookInInherited(ws.ws);
        if (result !== undefined) return result;
        const sys = this.a.byPath.get(SYS_PACKAGE);
        if (sys === undefined) throw new LookupError(couldNotImport(SYS_PACKAGE));
        const sysWs = this.index(sys.ast).get('Workspace:Workspace');
        if (sysWs !== undefined && sys === target) {
          const h = this.index(sysWs as WorkspaceStmt).get(key);
          if (h !== undefined) return found(h, target);
        }
      }
    }
    return found(this.index(target.ast).get(key), target);
  }

  /** Like lookup, but a missing statement is a LookupError with the kind's "undefined" message. */
  private resolve<K extends Kind>(fn: DefQName, c: Ctx, kind: K): Resolved<StmtOf<K>> {
    const r = this.lookup(fn, c, kind);
    if (r === undefined) {
      const m = undefinedMessage[kind];
      throw new LookupError(
        m === undefined ? `${qnameText(fn)} undefined` : `${m}: ${qnameText(fn)}`,
      );
    }
    return r;
  }

  /** Resolves and runs `then`; any LookupError (from either) is reported at `fn`'s position. */
  private resolveOrReport<K extends Kind>(
    fn: DefQName,
    c: Ctx,
    kind: K,
    then?: (r: Resolved<StmtOf<K>>) => void,
    pos: Pos = fn.pos,
  ): Resolved<StmtOf<K>> | undefined {
    try {
      const r = this.resolve(fn, c, kind);
      then?.(r);
      return r;
    } catch (e) {
      if (e instanceof LookupError) {
        this.err(pos, e.message);
        return undefined;
      }
      throw e;
    }
  }

  private tryLookup<K extends Kind>(
    fn: DefQName,
    c: Ctx,
    kind: K,
  ): { r: Resolved<StmtOf<K>> | undefined; error: string | undefined } {
    try {
      return { r: this.lookup(fn, c, kind), error: undefined };
    } catch (e) {
      if (e instanceof LookupError) return { r: undefined, error: e.message };
      throw e;
    }
  }

  // ---- application ----

  private localNameRedeclarations(): void {
    const localNames = new Map<string, string>();
    for (const pkg of this.a.packages) {
      for (const imp of pkg.ast.imports) {
        const local = imp.alias ?? basename(imp.path);
        const known = localNames.get(imp.path);
        if (known === undefined) localNames.set(imp.path, local);
        else if (known !== local) {
          this.err(imp.pos, `local package name ${known} was redeclared as ${local}`);
        }
      }
    }
  }

  private defineApp(): void {
    let app: ApplicationStmt | undefined;
    let appPkg: Pkg | undefined;
    for (const pkg of this.a.packages) {
      let found: ApplicationStmt | undefined;
      for (const s of pkg.ast.statements) {
        if (s.kind !== 'Application') continue;
        if (found !== undefined) {
          this.err(s.pos, 'redefinition of application');
          return;
        }
        found = s;
      }
      if (found !== undefined) {
        if (app !== undefined) {
          this.err(found.pos, 'redefinition of application');
          return;
        }
        app = found;
        appPkg = pkg;
      }
    }
    if (app === undefined || appPkg === undefined) {
      this.errors.push(errorNoPos('application not defined'));
      return;
    }
    this.a.appName = app.name;
    appPkg.name = basename(appPkg.path);
    const names = new Set<string>([appPkg.name]);
    for (const use of app.uses) {
      if (names.has(use.value)) {
        this.err(use.pos, 'package with the same name already included in application');
        continue;
      }
      names.add(use.value);
      const path = qualifiedPackageName(use.value, appPkg.ast.imports);
      if (path === '') {
        this.err(use.pos, `${use.value} undefined`);
        continue;
      }
      const pkg = this.a.byPath.get(path);
      if (pkg === undefined) {
        this.err(use.pos, couldNotImport(path));
        continue;
      }
      pkg.name = use.value;
    }
    for (const pkg of this.a.packages) {
      if (pkg.path === SYS_PACKAGE) {
        pkg.name = SYS_PACKAGE;
        continue;
      }
      if (pkg.name === '') {
        this.errors.push(
          errorNoPos(
            `application does not define use of package ${pkg.path}. Check if the package is defined in IMPORT SCHEMA and parsed under the same name`,
          ),
        );
        continue;
      }
      this.a.localNameToFullPath.set(pkg.name, pkg.path);
    }
  }

  // ---- pre-analysis ----

  private preAnalyseTable(t: TableStmt, c: Ctx): void {
    try {
      const { kind, singleton } = this.tableKindOf(t, c.pkg, c);
      this.a.tableKind.set(t, kind);
      if (singleton) this.a.singleton.add(t);
    } catch (e) {
      if (e instanceof LookupError) this.err(t.pos, e.message);
      else throw e;
    }
  }

  private tableKindOf(t: TableStmt, pkg: Pkg, c: Ctx): { kind: TableKind; singleton: boolean } {
    const own = sysTableKind(t, pkg);
    if (own !== undefined) return own;
    const chain: { t: TableStmt; pkg: Pkg }[] = [];
    let cur: TableStmt = t;
    while (cur.inherits !== undefined) {
      const r = this.lookup(cur.inherits, c, 'Table');
      if (r === undefined) break;
      if (chain.some((n) => n.pkg === r.pkg && n.t.name === r.stmt.name)) {
        throw new LookupError('circular reference in INHERITS');
      }
      chain.push({ t: r.stmt, pkg: r.pkg });
      cur = r.stmt;
    }
    for (const n of chain) {
      const k = sysTableKind(n.t, n.pkg);
      if (k !== undefined) return k;
    }
    throw new LookupError('undefined table kind');
  }

  private preAnalyseAlter(s: AlterWorkspaceStmt, c: Ctx): void {
    this.resolveOrReport(s.name, c, 'Workspace', (r) => {
      this.a.alteredWorkspace.set(s, { ws: r.stmt, pkg: r.pkg });
      if (!r.stmt.alterable && r.pkg !== c.pkg) {
        throw new LookupError(`workspace ${qnameText(s.name)} is not alterable`);
      }
    });
  }

  // ---- pass 1 ----

  private pass1(s: AnyStatement, c: Ctx): void {
    if (c.ws !== undefined) this.a.stmtWorkspace.set(s, c.ws);
    this.a.stmtPkg.set(s, c.pkg);
    switch (s.kind) {
      case 'Import':
        this.analyseImport(s, c);
        return;
      case 'Command':
        this.analyseCommand(s, c);
        return;
      case 'Query':
        this.analyseQuery(s, c);
        return;
      case 'Projector':
        this.analyseProjector(s, c);
        return;
      case 'Job':
        this.analyseJob(s, c);
        return;
      case 'Table':
        this.analyseTable(s, c);
        return;
      case 'Type':
        this.analyseType(s, c);
        return;
      case 'View':
        this.analyseView(s, c);
        return;
      case 'UseWorkspace':
        this.analyseUseWorkspace(s, c);
        return;
      case 'Storage':
        if (c.pkg.path !== SYS_PACKAGE)
          this.err(s.pos, 'storages are only declared in sys package');
        return;
      case 'Rate':
        this.analyseRate(s, c);
        return;
      case 'Limit':
        this.analyseLimit(s, c);
        return;
      case 'Workspace':
        this.a.wsPkg.set(s, c.pkg);
        return;
      default:
        return;
    }
  }

  private analyseImport(imp: ImportStmt, c: Ctx): void {
    const local = imp.alias ?? basename(imp.path);
    if (!/^(?:[a-zA-Z]\w{0,254}|"[a-zA-Z]\w{0,254}")$/.test(local)) {
      this.err(imp.pos, `invalid local package name ${local}`);
      return;
    }
    if (local === c.pkg.name) {
      this.err(imp.pos, `conflict: local package name ${local} equal to current package name`);
      return;
    }
    const used = c.pkg.localNameToPkgPath.get(local);
    if (used !== undefined) {
      if (used !== imp.path)
        this.err(imp.pos, `local package name ${local} already used for ${used}`);
    } else {
      c.pkg.localNameToPkgPath.set(local, imp.path);
    }
  }

  private typeOrTable(qn: DefQName, c: Ctx): void {
    const typ = this.tryLookup(qn, c, 'Type');
    if (typ.error !== undefined) {
      this.err(qn.pos, typ.error);
      return;
    }
    if (typ.r !== undefined) {
      this.a.qnames.set(qn, this.a.qn(typ.r.pkg, typ.r.stmt.name));
      return;
    }
    const tbl = this.tryLookup(qn, c, 'Table');
    if (tbl.error !== undefined) this.err(qn.pos, tbl.error);
    else if (tbl.r === undefined) this.err(qn.pos, `undefined type or table: ${qnameText(qn)}`);
    else this.a.qnames.set(qn, this.a.qn(tbl.r.pkg, tbl.r.stmt.name));
  }

  private analyseCommand(cmd: CommandStmt, c: Ctx): void {
    if (cmd.param?.kind === 'Def') this.typeOrTable(cmd.param, c);
    if (cmd.unloggedParam?.kind === 'Def') this.typeOrTable(cmd.unloggedParam, c);
    if (cmd.returns?.kind === 'Def') this.typeOrTable(cmd.returns, c);
    this.analyseWith(cmd.with, cmd, c);
    this.checkStorages(cmd.state, c, 'COMMANDS', 'state');
    this.checkStorages(cmd.intents, c, 'COMMANDS', 'intents');
  }

  private analyseQuery(q: QueryStmt, c: Ctx): void {
    if (q.param?.kind === 'Def') {
      const p = q.param;
      this.resolveOrReport(p, c, 'Type', (r) =>
        this.a.qnames.set(p, this.a.qn(r.pkg, r.stmt.name)),
      );
    }
    if (q.returns === undefined) this.err(q.pos, 'query must have a return type');
    else if (q.returns.kind === 'Def') {
      const p = q.returns;
      this.resolveOrReport(p, c, 'Type', (r) =>
        this.a.qnames.set(p, this.a.qn(r.pkg, r.stmt.name)),
      );
    }
    this.analyseWith(q.with, q, c);
    this.checkStorages(q.state, c, 'QUERIES', 'state');
  }

  private checkStorages(
    list: readonly StateStorageNode[],
    c: Ctx,
    scope: StorageScopeName,
    what: 'state' | 'intents',
  ): void {
    for (const key of list) {
      this.resolveOrReport(key.storage, c, 'Storage', (r) => {
        const entities = this.checkStorageEntity(key, r.stmt, c);
        const ops: readonly string[] =
          what === 'state' ? ['GET', 'GETBATCH', 'READ'] : ['INSERT', 'UPDATE'];
        const ok = r.stmt.ops.some((o) => ops.includes(o.op) && o.scopes.includes(scope));
        if (!ok) {
          throw new LookupError(
            `this kind of extension cannot use storage ${qnameText(key.storage)} in the ${what}`,
          );
        }
        this.a.stateStorages.set(key, { storage: this.a.qn(r.pkg, key.storage.name), entities });
      });
    }
  }

  private checkStorageEntity(key: StateStorageNode, st: StorageStmt, c: Ctx): string[] {
    const entities: string[] = [];
    if (st.entityRecord) {
      if (key.entities.length === 0)
        throw new LookupError(`storage ${qnameText(key.storage)} requires entity`);
      for (const e of key.entities) {
        const r = this.resolve(e, c, 'Table');
        if (r.stmt.abstract)
          throw new LookupError(`projector refers to abstract table ${qnameText(e)}`);
        entities.push(this.a.qn(r.pkg, e.name));
      }
    }
    if (st.entityView) {
      if (key.entities.length === 0)
        throw new LookupError(`storage ${qnameText(key.storage)} requires entity`);
      for (const e of key.entities) {
        const r = this.resolve(e, c, 'View');
        entities.push(this.a.qn(r.pkg, r.stmt.name));
      }
    }
    return entities;
  }

  private analyseProjector(p: ProjectorStmt, c: Ctx): void {
    for (const trigger of p.triggers) {
      if (trigger.cron !== undefined)
        this.err(p.pos, 'scheduled projector deprecated; use jobs instead');
      for (const q of trigger.qnames) {
        if (trigger.tableActions.length > 0) {
          const wd = this.tryLookup(q, c, 'Descriptor');
          if (wd.error !== undefined) {
            this.err(q.pos, wd.error);
            continue;
          }
          if (wd.r !== undefined) {
            this.a.qnames.set(q, this.a.qn(wd.r.pkg, wd.r.stmt.name));
            continue;
          }
          this.resolveOrReport(q, c, 'Table', (r) => {
            const sysRecord =
              r.pkg.path === SYS_PACKAGE &&
              (r.stmt.name === 'CRecord' || r.stmt.name === 'WRecord');
            if (r.stmt.abstract && !sysRecord) {
              throw new LookupError(`projector refers to abstract table ${qnameText(q)}`);
            }
            const k = this.tableKindOf(r.stmt, r.pkg, c);
            if (k.kind === 'ODoc' && trigger.tableActions.some((a) => a !== 'INSERT')) {
              throw new LookupError('only INSERT allowed for ODoc or ORecord');
            }
            this.a.qnames.set(q, this.a.qn(r.pkg, r.stmt.name));
          });
        } else if (trigger.execute?.withParam === true) {
          const typ = this.tryLookup(q, c, 'Type');
          if (typ.error !== undefined) {
            this.err(q.pos, typ.error);
            continue;
          }
          let pkg = typ.r?.pkg;
          if (typ.r === undefined) {
            const odoc = this.tryLookup(q, c, 'Table');
            if (odoc.error !== undefined) {
              this.err(q.pos, odoc.error);
              continue;
            }
            if (odoc.r === undefined || this.a.tableKind.get(odoc.r.stmt) !== 'ODoc') {
              this.err(q.pos, `undefined type or ODoc: ${qnameText(q)}`);
              continue;
            }
            pkg = odoc.r.pkg;
          }
          if (pkg !== undefined) this.a.qnames.set(q, this.a.qn(pkg, q.name));
        } else {
          this.resolveOrReport(q, c, 'Command', (r) =>
            this.a.qnames.set(q, this.a.qn(r.pkg, r.stmt.name)),
          );
        }
      }
    }
    this.checkStorages(p.state, c, 'PROJECTORS', 'state');
    this.checkStorages(p.intents, c, 'PROJECTORS', 'intents');
  }

  private analyseJob(j: JobStmt, c: Ctx): void {
    const ws = c.ws;
    if (ws === undefined || ws.ws.name !== 'AppWorkspaceWS' || ws.pkg.name !== SYS_PACKAGE) {
      this.err(j.pos, 'JOB is only allowed in AppWorkspaceWS');
    }
    if (j.cron === undefined || j.cron === '') {
      this.err(j.pos, 'job without cron schedule is not allowed');
      return;
    }
    if (!isValidCron(j.cron)) this.err(j.pos, `invalid cron schedule: ${j.cron}`);
    this.checkStorages(j.state, c, 'JOBS', 'state');
    this.checkStorages(j.intents, c, 'JOBS', 'intents');
  }

  private analyseWith(items: readonly WithItem[], stmt: AnyStatement, c: Ctx): void {
    let comment: string | undefined;
    for (const item of items) {
      if (item.comment !== undefined) comment = item.comment;
      const tags: string[] = [];
      for (const tag of item.tags) {
        this.resolveOrReport(tag, c, 'Tag', (r) => tags.push(this.a.qn(r.pkg, r.stmt.name)));
      }
      this.a.withTags.set(item, tags);
    }
    if (comment !== undefined) this.a.commentOverride.set(stmt, comment.split('\n'));
  }

  private analyseTable(t: TableStmt, c: Ctx): void {
    this.analyseWith(t.with, t, c);
    this.analyseNestedTables(t.items, this.a.tableKind.get(t), c);
    this.analyseFieldSets(t.items, c);
    this.analyseFields(t.items, c, true);
    if (t.inherits !== undefined) {
      this.resolveOrReport(t.inherits, c, 'Table', (r) => {
        if (!r.stmt.abstract) throw new LookupError('base table must be abstract');
        this.a.tableInherits.set(t, r);
      });
    }
  }

  private analyseType(t: TypeStmt, c: Ctx): void {
    for (const item of t.items) {
      if (item.kind === 'NestedTable') this.err(item.pos, 'nested tables not supported in types');
    }
    this.analyseFieldSets(t.items, c);
    this.analyseFields(t.items, c, false);
  }

  private analyseNestedTables(
    items: readonly TableItem[],
    rootKind: TableKind | undefined,
    c: Ctx,
  ): void {
    for (const item of items) {
      if (item.kind !== 'NestedTable') continue;
      const nested = item.table;
      if (nested.abstract) {
        this.err(item.pos, `nested abstract table ${nested.name}`);
        return;
      }
      const expected = nestedKind(rootKind);
      if (expected === undefined) {
        this.err(item.pos, `unexpected root table kind ${rootKind ?? 0}`);
        return;
      }
      if (nested.inherits === undefined) {
        this.a.tableKind.set(nested, expected);
      } else {
        try {
          const k = this.tableKindOf(nested, c.pkg, c);
          this.a.tableKind.set(nested, k.kind);
          if (k.singleton) this.a.singleton.add(nested);
          if (k.kind !== expected) {
            this.err(item.pos, 'incorrect nested table kind');
            return;
          }
        } catch (e) {
          if (e instanceof LookupError) {
            this.err(item.pos, e.message);
            return;
          }
          throw e;
        }
      }
      if (c.ws !== undefined) this.a.stmtWorkspace.set(nested, c.ws);
      this.a.stmtPkg.set(nested, c.pkg);
      this.analyseWith(nested.with, nested, c);
      this.analyseNestedTables(nested.items, rootKind, c);
    }
  }

  private analyseFieldSets(items: readonly TableItem[], c: Ctx): void {
    for (const item of items) {
      if (item.kind === 'FieldSet') {
        this.resolveOrReport(item.type, c, 'Type', (r) => this.a.fieldSetType.set(item, r));
      }
      if (item.kind === 'NestedTable') this.analyseFieldSets(item.table.items, c);
    }
  }

  private lookupField(items: readonly TableItem[], name: string, c: Ctx): boolean {
    let found = false;
    for (const item of items) {
      if ((item.kind === 'Field' || item.kind === 'RefField') && item.name === name) return true;
      if (item.kind === 'FieldSet') {
        const r = this.resolveOrReport(item.type, c, 'Type', undefined, item.pos);
        if (r === undefined) return false;
        found = this.lookupField(r.stmt.items, name, c);
      }
    }
    return found;
  }

  private analyseDataType(dt: DataTypeNode, c: Ctx, isTable: boolean): void {
    void c;
    if (dt.type === 'blob' && !isTable) this.err(dt.pos, 'BLOB field only allowed in table');
    if (
      (dt.type === 'varchar' || dt.type === 'bytes') &&
      dt.maxLen !== undefined &&
      dt.maxLen > maxFieldLength
    ) {
      this.err(dt.pos, `maximum field length is ${maxFieldLength}`);
    }
  }

  private analyseFields(items: readonly TableItem[], c: Ctx, isTable: boolean): void {
    const inUniques: string[] = [];
    const constraintNames = new Set<string>();
    for (const item of items) {
      if (item.kind === 'Field') {
        const f = item;
        if (f.checkRegexp !== undefined) {
          if (f.type.kind === 'DataType' && f.type.type === 'varchar') {
            try {
              new RegExp(f.checkRegexp.value, 'u');
            } catch (e) {
              this.err(f.checkRegexp.pos, `CHECK regexp error:  ${(e as Error).message}`);
            }
          } else {
            this.err(f.checkRegexp.pos, 'regexp CHECK only available for varchar field');
          }
        }
        if (f.type.kind === 'DataType') {
          this.analyseDataType(f.type, c, isTable);
        } else if (!isTable) {
          const ref = f.type;
          const r = this.resolveOrReport(ref, c, 'Type');
          if (r === undefined) continue;
          this.a.fieldTypeType.set(f, r);
        } else {
          const ref = f.type;
          try {
            const r = this.resolve(ref, c, 'Table');
            if (r.stmt.abstract) throw new LookupError(`nested abstract table ${qnameText(ref)}`);
            const k = this.a.tableKind.get(r.stmt);
            if (k !== 'CRecord' && k !== 'ORecord' && k !== 'WRecord') {
              throw new LookupError(`${qnameText(ref)} type not supported`);
            }
            this.a.fieldTypeTable.set(f, r);
          } catch (e) {
            if (!(e instanceof LookupError)) throw e;
            const msg =
              e.message === `undefined table: ${qnameText(ref)}`
                ? `undefined data type or table: ${qnameText(ref)}`
                : e.message;
            this.err(ref.pos, msg);
            continue;
          }
        }
      }
      if (item.kind === 'NestedTable') this.analyseFields(item.table.items, c, true);
      if (item.kind === 'Constraint') {
        if (item.name !== '') {
          if (constraintNames.has(item.name)) {
            this.err(item.pos, `redefinition of ${item.name}`);
            continue;
          }
          constraintNames.add(item.name);
        }
        if (item.uniqueField !== undefined) {
          if (!this.lookupField(items, item.uniqueField, c)) {
            this.err(item.pos, `undefined field ${item.uniqueField}`);
          }
        } else if (item.unique !== undefined) {
          for (const field of item.unique) {
            for (const f of inUniques) {
              if (f === field) this.err(item.pos, `field ${field} already in unique constraint`);
            }
            if (!this.lookupField(items, field, c)) {
              this.err(item.pos, `undefined field ${field}`);
              continue;
            }
            inUniques.push(field);
          }
        }
      }
    }
  }

  private analyseView(v: ViewStmt, c: Ctx): void {
    let pk: Extract<ViewStmt['items'][number], { kind: 'PrimaryKey' }> | undefined;
    const fields = new Map<string, number>();
    v.items.forEach((item, i) => {
      switch (item.kind) {
        case 'PrimaryKey':
          if (pk !== undefined) this.err(item.pos, 'redefinition of primary key');
          else pk = item;
          break;
        case 'ViewField':
          if (fields.has(item.name.value))
            this.err(item.name.pos, `redefinition of ${item.name.value}`);
          else fields.set(item.name.value, i);
          this.analyseDataType(item.type, c, false);
          break;
        case 'ViewRefField':
          if (fields.has(item.name.value))
            this.err(item.name.pos, `redefinition of ${item.name.value}`);
          else fields.set(item.name.value, i);
          break;
        case 'ViewRecordField':
          if (c.pkg.path !== SYS_PACKAGE)
            this.err(item.pos, 'record fields are only allowed in sys package');
          fields.set(item.name.value, i);
          break;
      }
    });
    if (pk === undefined) {
      this.err(v.pos, 'primary key not defined');
      return;
    }
    // an unknown key field is still checked as the view's first item, as the reference does
    const itemAt = (name: string) => v.items[fields.get(name) ?? 0];
    for (const f of pk.partition) {
      if (!fields.has(f.value)) this.err(f.pos, `undefined field ${f.value}`);
      const item = itemAt(f.value);
      if (item?.kind === 'ViewRecordField')
        this.err(f.pos, `record field ${f.value} not supported in partition key`);
      if (item?.kind === 'ViewField') {
        if (item.type.type === 'varchar')
          this.err(f.pos, `varchar field ${f.value} not supported in partition key`);
        if (item.type.type === 'bytes')
          this.err(f.pos, `bytes field ${f.value} not supported in partition key`);
      }
    }
    if (pk.clustering.length === 0) {
      this.err(pk.pos, 'clustering columns not defined');
      return;
    }
    const clustering = pk.clustering;
    clustering.forEach((f, i) => {
      const last = i === clustering.length - 1;
      if (!fields.has(f.value)) this.err(f.pos, `undefined field ${f.value}`);
      const item = itemAt(f.value);
      if (item?.kind === 'ViewRecordField')
        this.err(f.pos, `record field ${f.value} not supported in partition key`);
      if (item?.kind === 'ViewField') {
        if (item.type.type === 'varchar' && !last) {
          this.err(f.pos, `varchar field ${f.value} can only be the last one in clustering key`);
        }
        if (item.type.type === 'bytes' && !last) {
          this.err(f.pos, `bytes field ${f.value} can only be the last one in clustering key`);
        }
      }
    });
    let producer: Resolved<ProjectorStmt> | Resolved<JobStmt> | undefined;
    const asProjector = this.tryLookup(v.resultOf, c, 'Projector');
    if (asProjector.error !== undefined) {
      this.err(v.resultOf.pos, asProjector.error);
      return;
    }
    if (asProjector.r !== undefined) producer = asProjector.r;
    else {
      const asJob = this.tryLookup(v.resultOf, c, 'Job');
      if (asJob.error !== undefined || asJob.r === undefined) {
        this.err(v.resultOf.pos, asJob.error ?? `${qnameText(v.resultOf)} undefined`);
        return;
      }
      producer = asJob.r;
    }
    this.a.viewResultOf.set(v, this.a.qn(producer.pkg, producer.stmt.name));
    let declared = false;
    for (const intent of producer.stmt.intents) {
      if (declared) break;
      const st = this.tryLookup(intent.storage, c, 'Storage');
      if (st.r?.stmt.entityView !== true) continue;
      declared = intent.entities.some(
        (e) => e.name === v.name && (e.pkg === c.pkg.name || e.pkg === ''),
      );
    }
    if (!declared) {
      this.err(v.resultOf.pos, `${producer.stmt.name} does not declare intent for view ${v.name}`);
      return;
    }
    this.analyseWith(v.with, v, c);
  }

  private analyseUseWorkspace(u: UseWorkspaceStmt, c: Ctx): void {
    const fn: DefQName = { pkg: c.pkg.name, name: u.workspace.value, pos: u.workspace.pos };
    this.resolveOrReport(
      fn,
      c,
      'Workspace',
      (r) => {
        if (r.stmt.abstract)
          throw new LookupError(`use of abstract workspace ${u.workspace.value}`);
        usedTargets.set(u, r.stmt);
      },
      u.workspace.pos,
    );
  }

  private analyseRate(r: RateStmt, c: Ctx): void {
    if (r.variable !== undefined) {
      const v = r.variable;
      this.resolveOrReport(v, c, 'Declare', (d) => {
        const decl: DeclareStmt = d.stmt;
        const external = this.opts.variables?.(this.a.qn(d.pkg, decl.name));
        const count = external ?? decl.defaultValue;
        if (count <= 0) throw new LookupError('positive value only allowed');
        this.a.rateCount.set(r, count);
      });
    } else if (r.count !== undefined) {
      this.a.rateCount.set(r, r.count);
    }
  }

  private analyseLimit(l: LimitStmt, c: Ctx): void {
    const rate = l.rate;
    this.resolveOrReport(rate, c, 'Rate', (r) =>
      this.a.qnames.set(rate, this.a.qn(r.pkg, r.stmt.name)),
    );
    const ops: OperationName[] = [];
    this.a.limitOps.set(l, ops);
    const allowed = (set: readonly OperationName[]): void => {
      if (l.actions.length === 0) {
        ops.push(...set);
        return;
      }
      // checked in the reference's fixed order per action
      for (const a of l.actions) {
        if (!set.includes(a.op)) this.err(a.pos, `operation ${a.op} not allowed`);
        else ops.push(a.op);
      }
    };
    const tableOps: OperationName[] = ['INSERT', 'UPDATE', 'SELECT', 'ACTIVATE', 'DEACTIVATE'];
    const opsFor = (t: string): OperationName[] =>
      t === 'COMMAND' || t === 'QUERY' ? ['EXECUTE'] : t === 'VIEW' ? ['SELECT'] : tableOps;
    if (l.single !== undefined) {
      const q = l.single.name;
      const kind = ({ COMMAND: 'Command', QUERY: 'Query', VIEW: 'View', TABLE: 'Table' } as const)[
        l.single.target
      ];
      this.resolveOrReport(q, c, kind, (r) => {
        this.a.qnames.set(q, this.a.qn(r.pkg, r.stmt.name));
        allowed(opsFor(l.single?.target ?? ''));
      });
    }
    for (const group of [l.all, l.each]) {
      if (group === undefined) continue;
      allowed(opsFor(group.target));
      const tag = group.tag;
      if (tag !== undefined) {
        this.resolveOrReport(tag, c, 'Tag', (r) =>
          this.a.qnames.set(tag, this.a.qn(r.pkg, r.stmt.name)),
        );
      }
    }
  }

  // ---- pass 2: workspaces ----

  private analyseWorkspace(v: WorkspaceStmt, c: Ctx): void {
    const inherited: WorkspaceStmt[] = [];
    this.a.inheritedWorkspaces.set(v, inherited);
    for (const inh of v.inherits) {
      const chain: DefQName[] = [];
      const check = (qn: DefQName): void => {
        const r = this.resolve(qn, c, 'Workspace');
        if (!r.stmt.abstract) throw new LookupError('base workspace must be abstract');
        if (chain.some((x) => x === qn)) throw new LookupError('circular reference in INHERITS');
        chain.push(qn);
        for (const w of r.stmt.inherits) check(w);
        inherited.push(r.stmt);
      };
      try {
        check(inh);
      } catch (e) {
        if (e instanceof LookupError) {
          this.err(inh.pos, e.message);
          return;
        }
        throw e;
      }
    }
    const d = v.descriptor;
    if (d !== undefined && !d.implicit) {
      const wc: Ctx = { pkg: c.pkg, ws: { ws: v, pkg: c.pkg } };
      if (v.abstract) this.err(d.pos, 'abstract workspace cannot have a descriptor');
      this.analyseNestedTables(d.items, 'CDoc', wc);
      this.analyseFields(d.items, wc, true);
      this.analyseFieldSets(d.items, wc);
    }
    if (d !== undefined) this.a.stmtWorkspace.set(d, { ws: v, pkg: c.pkg });
    let revokeFound = false;
    for (const s of v.statements) {
      if (s.kind === 'Revoke') revokeFound = true;
      if (s.kind === 'Grant' && revokeFound)
        this.err(s.pos, 'GRANT follows REVOKE in the same container');
    }
  }

  private includeFromInherited(ws: WorkspaceStmt, c: Ctx): void {
    const sys = this.a.byPath.get(SYS_PACKAGE);
    if (sys === undefined) {
      this.err(ws.pos, couldNotImport(SYS_PACKAGE));
      return;
    }
    const sysWs = this.index(sys.ast).get('Workspace:Workspace');
    const added: WorkspaceStmt[] = [];
    // base names resolve from where the workspace is declared, as in the reference
    const inner = c;
    const add = (w: WorkspaceStmt): void => {
      added.push(w);
      for (const inh of w.inherits) {
        let base: WorkspaceStmt;
        try {
          base = this.resolve(inh, inner, 'Workspace').stmt;
          if (base === sysWs)
            throw new LookupError('explicit inheritance from sys.Workspace not allowed');
        } catch (e) {
          if (e instanceof LookupError) {
            this.err(w.pos, e.message);
            return;
          }
          throw e;
        }
        if (added.includes(base)) return;
        add(base);
        added.push(base);
      }
    };
    add(ws);
  }

  private includeChildWorkspaces(statements: readonly AnyStatement[], ws: WorkspaceStmt): void {
    for (const s of statements) {
      if (s.kind === 'Workspace') this.usedOf(ws).push(s);
    }
  }

  private usedOf(ws: WorkspaceStmt): WorkspaceStmt[] {
    let list = this.a.usedWorkspaces.get(ws);
    if (list === undefined) {
      list = [];
      this.a.usedWorkspaces.set(ws, list);
    }
    return list;
  }

  private analyseUsedWorkspace(u: UseWorkspaceStmt): void {
    const ws = this.a.stmtWorkspace.get(u);
    const used = usedTargets.get(u);
    if (ws !== undefined && used !== undefined) this.usedOf(ws.ws).push(used);
  }

  // ---- pass 6: grants and references ----

  private analyseGrant(g: GrantStmt, c: Ctx): void {
    const ops: OperationName[] = [];
    this.a.grantOps.set(g, ops);
    const role = g.role;
    this.resolveOrReport(role, c, 'Role', (r) =>
      this.a.qnames.set(role, this.a.qn(r.pkg, r.stmt.name)),
    );
    const t = g.target;
    const setQ = (q: DefQName, pkg: Pkg, name: string): void => {
      this.a.qnames.set(q, this.a.qn(pkg, name));
    };
    const tag = (q: DefQName | undefined, op: OperationName): void => {
      if (q === undefined) {
        ops.push(op);
        return;
      }
      this.resolveOrReport(q, c, 'Tag', (r) => {
        ops.push(op);
        setQ(q, r.pkg, r.stmt.name);
      });
    };
    switch (t.kind) {
      case 'Role':
        this.resolveOrReport(t.name, c, 'Role', (r) => {
          setQ(t.name, r.pkg, r.stmt.name);
          ops.push('INHERITS' as OperationName);
        });
        break;
      case 'Command':
        this.resolveOrReport(t.name, c, 'Command', (r) => {
          setQ(t.name, r.pkg, r.stmt.name);
          ops.push('EXECUTE');
        });
        break;
      case 'Query':
        this.resolveOrReport(t.name, c, 'Query', (r) => {
          setQ(t.name, r.pkg, r.stmt.name);
          ops.push('EXECUTE');
        });
        break;
      case 'View':
        this.resolveOrReport(t.name, c, 'View', (r) => {
          setQ(t.name, r.pkg, r.stmt.name);
          ops.push('SELECT');
          const names = new Set<string>();
          for (const item of r.stmt.items) {
            if (item.kind === 'ViewField' || item.kind === 'ViewRefField')
              names.add(item.name.value);
          }
          for (const col of t.columns) {
            if (!names.has(col.value)) this.err(col.pos, `undefined field ${col.value}`);
          }
          this.a.grantFields.set(g, [{ op: 'SELECT', fields: t.columns.map((x) => x.value) }]);
        });
        break;
      case 'AllCommands':
      case 'AllQueries':
        tag(t.tag, 'EXECUTE');
        break;
      case 'AllViews':
        tag(t.tag, 'SELECT');
        break;
      case 'AllTables':
        if (t.tag !== undefined) {
          const q = t.tag;
          this.resolveOrReport(q, c, 'Tag', (r) => {
            for (const a of t.actions) ops.push(a.op);
            setQ(q, r.pkg, r.stmt.name);
          });
        } else {
          for (const a of t.actions) ops.push(a.op);
        }
        break;
      case 'Table':
        this.analyseTableGrant(g, t, c);
        break;
    }
  }

  private analyseTableGrant(
    g: GrantStmt,
    t: Extract<GrantStmt['target'], { kind: 'Table' }>,
    c: Ctx,
  ): void {
    let items: readonly TableItem[];
    let resolved: { pkg: Pkg; name: string };
    const asTable = this.tryLookup(t.name, c, 'Table');
    if (asTable.r !== undefined) {
      items = asTable.r.stmt.items;
      resolved = { pkg: asTable.r.pkg, name: asTable.r.stmt.name };
    } else {
      const missing = asTable.error ?? `undefined table: ${qnameText(t.name)}`;
      if (asTable.error !== undefined) {
        this.err(t.name.pos, missing);
        return;
      }
      const asDesc = this.tryLookup(t.name, c, 'Descriptor');
      if (asDesc.r === undefined) {
        this.err(t.name.pos, asDesc.error ?? missing);
        return;
      }
      const d: DescriptorStmt = asDesc.r.stmt;
      items = d.items;
      resolved = { pkg: asDesc.r.pkg, name: d.name };
    }
    this.a.qnames.set(t.name, this.a.qn(resolved.pkg, resolved.name));
    const hasColumn = (name: string): boolean =>
      items.some(
        (f) =>
          (f.kind === 'Field' && f.name === name) ||
          (f.kind === 'RefField' && f.name === name) ||
          (f.kind === 'NestedTable' && f.name === name),
      );
    const fields: { op: OperationName | 'ALL'; fields: string[] }[] = [];
    if (t.all !== undefined) {
      const cols: string[] = [];
      for (const col of t.all.columns) {
        if (!hasColumn(col.value)) {
          this.err(col.pos, `undefined field ${col.value}`);
          return;
        }
        cols.push(col.value);
      }
      fields.push({ op: 'ALL', fields: cols });
    } else {
      for (const a of t.actions) {
        const cols: string[] = [];
        for (const col of a.columns) {
          if (!col.sys) {
            if (!hasColumn(col.name)) {
              this.err(col.pos, `undefined field ${col.name}`);
              return;
            }
          }
          cols.push(col.name);
        }
        const existing = fields.find((f) => f.op === a.op);
        if (existing === undefined) fields.push({ op: a.op, fields: cols });
        else existing.fields.push(...cols);
      }
    }
    this.a.grantFields.set(g, fields);
  }

  private analyseRefFields(
    items: readonly TableItem[],
    c: Ctx,
    kind: TableKind | 'Object' | undefined,
  ): void {
    for (const item of items) {
      if (item.kind === 'RefField') {
        const targets: Resolved<TableStmt>[] = [];
        this.a.refTargets.set(item, targets);
        for (const ref of item.refs) {
          this.resolveOrReport(ref, c, 'Table', (r) => {
            if (r.stmt.abstract)
              throw new LookupError(`reference to abstract table ${qnameText(ref)}`);
            const tk = this.a.tableKind.get(r.stmt);
            if ((kind === 'CRecord' || kind === 'CDoc') && (tk === 'WRecord' || tk === 'WDoc')) {
              throw new LookupError(`${qnameText(ref)}: reference to WDoc/WRecord`);
            }
            targets.push(r);
          });
        }
      }
      if (item.kind === 'NestedTable')
        this.analyseRefFields(item.table.items, c, this.a.tableKind.get(item.table));
    }
  }

  private analyseViewRefFields(v: ViewStmt, c: Ctx): void {
    for (const item of v.items) {
      if (item.kind !== 'ViewRefField') continue;
      const targets: Resolved<TableStmt>[] = [];
      this.a.refTargets.set(item, targets);
      for (const ref of item.refs) {
        this.resolveOrReport(ref, c, 'Table', (r) => {
          if (r.stmt.abstract)
            throw new LookupError(`reference to abstract table ${qnameText(ref)}`);
          targets.push(r);
        });
      }
    }
  }
}

const usedTargets = new WeakMap<UseWorkspaceStmt, WorkspaceStmt>();

function couldNotImport(path: string): string {
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

function sysTableKind(t: TableStmt, pkg: Pkg): { kind: TableKind; singleton: boolean } | undefined {
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

export type { RoleStmt, TagStmt };
