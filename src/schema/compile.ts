import type { VariableResolver } from './analyser/index.js';
import type { AppDef } from './appdef.js';
import { buildAppDef } from './appdef-builder.js';
import { analyseApp, type PackageSource } from './compiler.js';
import type { SchemaError } from './errors.js';

export interface CompileResult {
  readonly appDef: AppDef | undefined;
  readonly errors: readonly SchemaError[];
}

export interface CompileOptions {
  readonly variables?: VariableResolver;
}

/**
 * Compiles packages given in the caller's order (include the sys package yourself; `compileApp` adds the
 * built-in one). Never throws on bad input: the result holds either an AppDef or errors.
 */
export function compileSources(
  sources: readonly PackageSource[],
  opts: CompileOptions = {},
): CompileResult {
  const analysed = analyseApp(sources, opts);
  if (analysed.errors.length > 0 || analysed.analysis === undefined) {
    return { appDef: undefined, errors: analysed.errors };
  }
  const built = buildAppDef(analysed.analysis);
  return { appDef: built.appDef, errors: built.errors };
}
