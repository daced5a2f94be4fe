// The schema context's public surface: compile VSQL packages into an AppDef.
import type { AppDef } from './appdef.js';
import { type CompileOptions, type CompileResult, compileSources } from './compile.js';
import type { PackageSource } from './compiler.js';
import { SYS_PACKAGE } from './package-ast.js';
import { builtinSysPackage } from './sys/sys-package.js';

export type { Analysis, VariableResolver } from './analyser/index.js';
export type * from './appdef.js';
export { AppDef, appDefFromJson, appDefToJson, recordKinds } from './appdef.js';
export { type AclDecision, isOperationAllowed, ROLE_SYSTEM, roleAncestors } from './appdef-acl.js';
export { filterMatches, filterText } from './appdef-filter.js';
export { SYS_PACKAGE_PATH, SYS_WORKSPACE } from './appdef-sys.js';
export type {
  DefQName,
  FileAst,
  Pos,
  RootStatement,
  TableStmt,
  WorkspaceStmt,
} from './ast.js';
export { type CompileOptions, type CompileResult, compileSources } from './compile.js';
export { analyseApp, type PackageSource, parsePackage, type SourceFile } from './compiler.js';
export { formatError, formatErrors, SchemaCompileError, type SchemaError } from './errors.js';
export { type PackageAst, SYS_PACKAGE } from './package-ast.js';
export { parseFile } from './parser/index.js';
export { builtinSysPackage } from './sys/sys-package.js';

/** A package to compile; the name used by the compatibility suite. */
export type CompileSource = PackageSource;

export interface CompileAppOptions extends CompileOptions {
  /** Replaces the built-in sys package (e.g. the reference's small test sys); `null` compiles without one. */
  readonly sys?: PackageSource | null;
}

/** Compiles an application's packages together with the built-in (or a given) sys package. */
export function compileApp(
  packages: readonly PackageSource[],
  opts: CompileAppOptions = {},
): CompileResult {
  const sys = opts.sys === undefined ? builtinSysPackage() : opts.sys;
  const rest = packages.filter((p) => p.path !== SYS_PACKAGE);
  return compileSources(sys === null ? rest : [sys, ...rest], opts);
}

export type { AppDef as AppDefinition };
