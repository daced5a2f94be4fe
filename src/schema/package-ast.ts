import type {
  AnyStatement,
  DescriptorStmt,
  FileAst,
  ImportStmt,
  NamedStatement,
  RootStatement,
  TableStmt,
} from './ast.js';
import { errorAt, type SchemaError } from './errors.js';

/** All files of one package merged, as the analyser sees it. */
export interface PackageAst {
  /** The full package path, e.g. `github.com/company/pkg`; the built-in package is `sys`. */
  readonly path: string;
  readonly files: readonly FileAst[];
  readonly imports: readonly ImportStmt[];
  readonly statements: readonly RootStatement[];
}

export const SYS_PACKAGE = 'sys';

export function isNamed(s: AnyStatement): s is NamedStatement {
  switch (s.kind) {
    case 'Import':
    case 'Application':
    case 'AlterWorkspace':
    case 'RootExtEngine':
    case 'WsExtEngine':
    case 'UseWorkspace':
    case 'Grant':
    case 'Revoke':
      return false;
    default:
      return true;
  }
}

/** Children of a statement that the reference walks as a collection (tables' fields are not statements here). */
export function childStatements(s: AnyStatement | PackageAst): readonly AnyStatement[] {
  if ('path' in s && 'files' in s) return [...s.imports, ...s.statements];
  switch (s.kind) {
    case 'Workspace':
      return s.descriptor === undefined ? s.statements : [s.descriptor, ...s.statements];
    case 'AlterWorkspace':
      return s.statements;
    case 'RootExtEngine':
    case 'WsExtEngine':
      return s.statements;
    default:
      return [];
  }
}

/** Merges the files of one package and reports names declared twice anywhere in it. */
export function buildPackageAst(
  path: string,
  files: readonly FileAst[],
): { pkg: PackageAst; errors: SchemaError[] } {
  const pkg: PackageAst = Object.freeze({
    path,
    files,
    imports: files.flatMap((f) => f.imports),
    statements: files.flatMap((f) => f.statements),
  });
  const errors: SchemaError[] = [];
  const seen = new Set<string>();
  const check = (s: AnyStatement): void => {
    if (isNamed(s)) {
      if (seen.has(s.name)) errors.push(errorAt(s.pos, `redefinition of ${s.name}`));
      else seen.add(s.name);
    }
    if (s.kind === 'Table') checkNested(s);
  };
  const checkNested = (t: TableStmt): void => {
    for (const item of t.items) {
      if (item.kind === 'NestedTable') check(item.table);
    }
  };
  const walk = (list: readonly AnyStatement[]): void => {
    for (const s of list) {
      check(s);
      walk(childStatements(s));
    }
  };
  walk(childStatements(pkg));
  return { pkg, errors };
}

export type { DescriptorStmt };
