// Name resolution: the state every pass shares, and the reference's lookup order
// (current workspace, inherited ones, sys.Workspace, package root).
import {
  type AnyStatement,
  type DefQName,
  type NamedStatement,
  type Pos,
  qnameText,
  type UseWorkspaceStmt,
  type WorkspaceStmt,
} from '../ast.js';
import { errorAt, type SchemaError } from '../errors.js';
import { childStatements, isNamed, type PackageAst, SYS_PACKAGE } from '../package-ast.js';
import {
  type AnalyseOptions,
  Analysis,
  type Ctx,
  couldNotImport,
  LookupError,
  type Pkg,
  qualifiedPackageName,
  type Resolved,
} from './model.js';

export type Kind = NamedStatement['kind'];
export type StmtOf<K extends Kind> = Extract<NamedStatement, { kind: K }>;

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

/** The analysis under way: its result, its errors, and the lookups every pass uses. */
export class Resolver {
  readonly a = new Analysis();
  readonly errors: SchemaError[] = [];
  /** USE WORKSPACE targets, found in pass 1 and attached to the using workspace in pass 5. */
  readonly usedTargets = new Map<UseWorkspaceStmt, WorkspaceStmt>();
  private readonly indexCache = new Map<object, Map<string, NamedStatement>>();

  constructor(
    packages: readonly PackageAst[],
    readonly opts: AnalyseOptions,
  ) {
    for (const p of packages) {
      const pkg: Pkg = { ast: p, path: p.path, name: '', localNameToPkgPath: new Map() };
      this.a.packages.push(pkg);
      this.a.byPath.set(p.path, pkg);
    }
  }

  err(pos: Pos, message: string): void {
    this.errors.push(errorAt(pos, message));
  }

  // ---- iteration ----

  walkAll(cb: (s: AnyStatement, c: Ctx) => void): void {
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

  // ---- lookup ----

  /** Named statements of a workspace or a package root, by `kind:name`; never descends into nested workspaces. */
  index(coll: WorkspaceStmt | PackageAst): Map<string, NamedStatement> {
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

  findPackage(pkgName: string, c: Ctx): Pkg {
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
  lookup<K extends Kind>(fn: DefQName, c: Ctx, kind: K): Resolved<StmtOf<K>> | undefined {
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
  resolve<K extends Kind>(fn: DefQName, c: Ctx, kind: K): Resolved<StmtOf<K>> {
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
  resolveOrReport<K extends Kind>(
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

  tryLookup<K extends Kind>(
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
}
