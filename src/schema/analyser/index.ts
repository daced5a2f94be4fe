// The VSQL analyser: resolves names and runs the reference's semantic checks, in its pass order, so that
// errors come out in the same order with the same text. Each concern lives in its own module; this one
// only runs the passes.
import type { AnyStatement } from '../ast.js';
import type { SchemaError } from '../errors.js';
import type { PackageAst } from '../package-ast.js';
import { SYS_PACKAGE } from '../package-ast.js';
import { analyseGrant } from './acl.js';
import { analyseImport, defineApp, localNameRedeclarations } from './app.js';
import { analyseCommand, analyseJob, analyseProjector, analyseQuery } from './extensions.js';
import type { AnalyseOptions, Analysis, Ctx } from './model.js';
import { analyseLimit, analyseRate } from './rates.js';
import { Resolver } from './resolve.js';
import { analyseRefFields, analyseTable, analyseType, preAnalyseTable } from './tables.js';
import { analyseView, analyseViewRefFields } from './views.js';
import {
  analyseUsedWorkspace,
  analyseUseWorkspace,
  analyseWorkspace,
  includeChildWorkspaces,
  includeFromInherited,
  preAnalyseAlter,
} from './workspaces.js';

export type {
  AnalyseOptions,
  Ctx,
  GrantFields,
  Pkg,
  Resolved,
  TableKind,
  VariableResolver,
  WsAddr,
} from './model.js';
export { Analysis, basename, nestedKind, qualifiedPackageName } from './model.js';

/**
 * Resolves names and runs the reference's semantic checks. Returns errors (never throws on bad input).
 */
export function analyse(
  packages: readonly PackageAst[],
  opts: AnalyseOptions = {},
): { analysis: Analysis; errors: SchemaError[] } {
  const r = new Resolver(packages, opts);
  run(r);
  return { analysis: r.a, errors: r.errors };
}

function run(r: Resolver): void {
  localNameRedeclarations(r);
  defineApp(r);
  r.walkAll((s, c) => {
    if (s.kind === 'Table') preAnalyseTable(r, s, c);
    else if (s.kind === 'AlterWorkspace') preAnalyseAlter(r, s, c);
  });
  if (r.errors.length > 0) return;
  r.walkAll((s, c) => pass1(r, s, c));
  r.walkAll((s, c) => {
    if (s.kind === 'Workspace') analyseWorkspace(r, s, c);
  });
  r.walkAll((s) => {
    if (s.kind === 'AlterWorkspace') {
      const w = r.a.alteredWorkspace.get(s);
      if (w !== undefined) includeChildWorkspaces(r, s.statements, w.ws);
    }
  });
  r.walkAll((s, c) => {
    if (s.kind === 'Workspace') {
      includeFromInherited(r, s, c);
      includeChildWorkspaces(r, s.statements, s);
    }
  });
  r.walkAll((s) => {
    if (s.kind === 'UseWorkspace') analyseUsedWorkspace(r, s);
  });
  r.walkAll((s, c) => {
    switch (s.kind) {
      case 'Grant':
      case 'Revoke':
        analyseGrant(r, s, c);
        break;
      case 'Table':
        analyseRefFields(r, s.items, c, r.a.tableKind.get(s));
        break;
      case 'Type':
        analyseRefFields(r, s.items, c, 'Object');
        break;
      case 'View':
        analyseViewRefFields(r, s, c);
        break;
    }
  });
}

function pass1(r: Resolver, s: AnyStatement, c: Ctx): void {
  if (c.ws !== undefined) r.a.stmtWorkspace.set(s, c.ws);
  r.a.stmtPkg.set(s, c.pkg);
  switch (s.kind) {
    case 'Import':
      analyseImport(r, s, c);
      return;
    case 'Command':
      analyseCommand(r, s, c);
      return;
    case 'Query':
      analyseQuery(r, s, c);
      return;
    case 'Projector':
      analyseProjector(r, s, c);
      return;
    case 'Job':
      analyseJob(r, s, c);
      return;
    case 'Table':
      analyseTable(r, s, c);
      return;
    case 'Type':
      analyseType(r, s, c);
      return;
    case 'View':
      analyseView(r, s, c);
      return;
    case 'UseWorkspace':
      analyseUseWorkspace(r, s, c);
      return;
    case 'Storage':
      if (c.pkg.path !== SYS_PACKAGE) r.err(s.pos, 'storages are only declared in sys package');
      return;
    case 'Rate':
      analyseRate(r, s, c);
      return;
    case 'Limit':
      analyseLimit(r, s, c);
      return;
    case 'Workspace':
      r.a.wsPkg.set(s, c.pkg);
      return;
    default:
      return;
  }
}
