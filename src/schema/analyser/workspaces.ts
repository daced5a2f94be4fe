// Workspaces: ALTER targets, INHERITS chains, descriptors, child and used workspaces.
import type {
  AlterWorkspaceStmt,
  AnyStatement,
  DefQName,
  UseWorkspaceStmt,
  WorkspaceStmt,
} from '../ast.js';
import { qnameText } from '../ast.js';
import { SYS_PACKAGE } from '../package-ast.js';
import { type Ctx, couldNotImport, LookupError } from './model.js';
import type { Resolver } from './resolve.js';
import { analyseFieldSets, analyseFields, analyseNestedTables } from './tables.js';

/** Pre-analysis: what an ALTER WORKSPACE alters (its statements are looked up from there). */
export function preAnalyseAlter(r: Resolver, s: AlterWorkspaceStmt, c: Ctx): void {
  r.resolveOrReport(s.name, c, 'Workspace', (w) => {
    r.a.alteredWorkspace.set(s, { ws: w.stmt, pkg: w.pkg });
    if (!w.stmt.alterable && w.pkg !== c.pkg) {
      throw new LookupError(`workspace ${qnameText(s.name)} is not alterable`);
    }
  });
}

/** Pass 1: USE WORKSPACE names a non-abstract workspace of the current package. */
export function analyseUseWorkspace(r: Resolver, u: UseWorkspaceStmt, c: Ctx): void {
  const fn: DefQName = { pkg: c.pkg.name, name: u.workspace.value, pos: u.workspace.pos };
  r.resolveOrReport(
    fn,
    c,
    'Workspace',
    (w) => {
      if (w.stmt.abstract) throw new LookupError(`use of abstract workspace ${u.workspace.value}`);
      r.usedTargets.set(u, w.stmt);
    },
    u.workspace.pos,
  );
}

/** Pass 2: the INHERITS chain (abstract bases, no cycles), the descriptor, GRANT after REVOKE. */
export function analyseWorkspace(r: Resolver, v: WorkspaceStmt, c: Ctx): void {
  const inherited: WorkspaceStmt[] = [];
  r.a.inheritedWorkspaces.set(v, inherited);
  for (const inh of v.inherits) {
    const chain: DefQName[] = [];
    const check = (qn: DefQName): void => {
      const w = r.resolve(qn, c, 'Workspace');
      if (!w.stmt.abstract) throw new LookupError('base workspace must be abstract');
      if (chain.some((x) => x === qn)) throw new LookupError('circular reference in INHERITS');
      chain.push(qn);
      for (const base of w.stmt.inherits) check(base);
      inherited.push(w.stmt);
    };
    try {
      check(inh);
    } catch (e) {
      if (e instanceof LookupError) {
        r.err(inh.pos, e.message);
        return;
      }
      throw e;
    }
  }
  const d = v.descriptor;
  if (d !== undefined && !d.implicit) {
    const wc: Ctx = { pkg: c.pkg, ws: { ws: v, pkg: c.pkg } };
    if (v.abstract) r.err(d.pos, 'abstract workspace cannot have a descriptor');
    analyseNestedTables(r, d.items, 'CDoc', wc);
    analyseFields(r, d.items, wc, true);
    analyseFieldSets(r, d.items, wc);
  }
  if (d !== undefined) r.a.stmtWorkspace.set(d, { ws: v, pkg: c.pkg });
  let revokeFound = false;
  for (const s of v.statements) {
    if (s.kind === 'Revoke') revokeFound = true;
    if (s.kind === 'Grant' && revokeFound)
      r.err(s.pos, 'GRANT follows REVOKE in the same container');
  }
}

/** Pass 4: walks the bases again; explicit inheritance from sys.Workspace is reported here. */
export function includeFromInherited(r: Resolver, ws: WorkspaceStmt, c: Ctx): void {
  const sys = r.a.byPath.get(SYS_PACKAGE);
  if (sys === undefined) {
    r.err(ws.pos, couldNotImport(SYS_PACKAGE));
    return;
  }
  const sysWs = r.index(sys.ast).get('Workspace:Workspace');
  const added: WorkspaceStmt[] = [];
  // base names resolve from where the workspace is declared, as in the reference
  const inner = c;
  const add = (w: WorkspaceStmt): void => {
    added.push(w);
    for (const inh of w.inherits) {
      let base: WorkspaceStmt;
      try {
        base = r.resolve(inh, inner, 'Workspace').stmt;
        if (base === sysWs)
          throw new LookupError('explicit inheritance from sys.Workspace not allowed');
      } catch (e) {
        if (e instanceof LookupError) {
          r.err(w.pos, e.message);
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

/** Workspaces declared inside a workspace (or an ALTER of it) are used by it. */
export function includeChildWorkspaces(
  r: Resolver,
  statements: readonly AnyStatement[],
  ws: WorkspaceStmt,
): void {
  for (const s of statements) {
    if (s.kind === 'Workspace') usedOf(r, ws).push(s);
  }
}

/** Pass 5: a USE WORKSPACE adds its target to the workspace it is written in. */
export function analyseUsedWorkspace(r: Resolver, u: UseWorkspaceStmt): void {
  const ws = r.a.stmtWorkspace.get(u);
  const used = r.usedTargets.get(u);
  if (ws !== undefined && used !== undefined) usedOf(r, ws.ws).push(used);
}

function usedOf(r: Resolver, ws: WorkspaceStmt): WorkspaceStmt[] {
  let list = r.a.usedWorkspaces.get(ws);
  if (list === undefined) {
    list = [];
    r.a.usedWorkspaces.set(ws, list);
  }
  return list;
}
