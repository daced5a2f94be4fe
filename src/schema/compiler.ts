import { type Analysis, analyse, type VariableResolver } from './analyser/index.js';
import type { FileAst } from './ast.js';
import { errorNoPos, type SchemaError } from './errors.js';
import { buildPackageAst, type PackageAst } from './package-ast.js';
import { parseFile } from './parser/index.js';

export interface SourceFile {
  readonly name: string;
  readonly text: string;
}

export interface PackageSource {
  /** Full package path, e.g. `github.com/company/pkg`; the built-in package's path is `sys`. */
  readonly path: string;
  readonly files: readonly SourceFile[];
}

/** Parses the files of one package and merges them; reports syntax errors and duplicate names. */
export function parsePackage(src: PackageSource): {
  pkg: PackageAst | undefined;
  errors: SchemaError[];
} {
  const files: FileAst[] = [];
  const errors: SchemaError[] = [];
  for (const f of src.files) {
    const r = parseFile(f.name, f.text);
    if (r.ast !== undefined) files.push(r.ast);
    errors.push(...r.errors);
  }
  if (files.length === 0) errors.push(errorNoPos('no valid schema files'));
  if (errors.length > 0) return { pkg: undefined, errors };
  const built = buildPackageAst(src.path, files);
  return { pkg: built.pkg, errors: built.errors };
}

export interface AnalyseAppResult {
  readonly analysis: Analysis | undefined;
  readonly packages: readonly PackageAst[];
  readonly errors: readonly SchemaError[];
}

/**
 * Parses and analyses an application given as packages in the caller's order (the sys package is one of
 * them). Stages run like the reference's: parse + duplicate names per package, then the application.
 */
export function analyseApp(
  sources: readonly PackageSource[],
  opts: { readonly variables?: VariableResolver } = {},
): AnalyseAppResult {
  const packages: PackageAst[] = [];
  const errors: SchemaError[] = [];
  for (const src of sources) {
    const r = parsePackage(src);
    errors.push(...r.errors);
    if (r.pkg !== undefined) packages.push(r.pkg);
  }
  if (errors.length > 0) return { analysis: undefined, packages, errors };
  const r = analyse(packages, opts);
  return { analysis: r.analysis, packages, errors: r.errors };
}
