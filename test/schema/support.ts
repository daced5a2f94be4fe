// Shared helpers for the per-construct and per-check compiler tests: compile one VSQL file as package
// `github.com/company/pkg` (local name `pkg`, the reference parser tests' convention) together with the
// built-in sys package, and hand back either the AppDef or the `file:line:col: message` error lines.
import assert from 'node:assert/strict';
import {
  type AppDef,
  type CompileAppOptions,
  type CompileResult,
  compileApp,
  formatError,
  type PackageSource,
  type StructureDef,
  type TypeDef,
  type WorkspaceDef,
} from '../../src/schema/index.js';

/** The package path of the single-file helpers; its local name in the application is `pkg`. */
export const PKG = 'github.com/company/pkg';
/** The file name of the single-file helpers; error lines start with `file.vsql:`. */
export const FILE = 'file.vsql';

/** Joins lines with '\n' so that element i (0-based) is line i + 1 of the source. */
export function lines(...ls: readonly string[]): string {
  return ls.join('\n');
}

/** A package of one or more files. */
export function pkg(path: string, files: Readonly<Record<string, string>>): PackageSource {
  return { path, files: Object.entries(files).map(([name, text]) => ({ name, text })) };
}

/** Compiles one file as package `pkg` with the built-in sys package. Never asserts. */
export function compile(text: string, opts: CompileAppOptions = {}): CompileResult {
  return compileApp([pkg(PKG, { [FILE]: text })], opts);
}

/** Formatted error lines (`file:line:col: message`, or the bare message when it has no position). */
export function errorLines(r: CompileResult): string[] {
  return r.errors.map(formatError);
}

/** Compiles one file and returns its error lines; asserts that compilation failed without an AppDef. */
export function errorsOf(text: string, opts: CompileAppOptions = {}): string[] {
  const r = compile(text, opts);
  assert.ok(r.errors.length > 0, 'expected compile errors, got none');
  assert.ok(r.appDef === undefined, 'no AppDef is built when there are errors');
  return errorLines(r);
}

/** Asserts the exact, complete list of error lines of one file. */
export function assertErrors(text: string, expected: readonly string[]): void {
  assert.deepEqual(errorsOf(text), expected);
}

/** Compiles packages (the built-in sys is added) and returns the AppDef; asserts there are no errors. */
export function buildPackages(
  packages: readonly PackageSource[],
  opts: CompileAppOptions = {},
): AppDef {
  const r = compileApp(packages, opts);
  assert.deepEqual(errorLines(r), [], 'expected no compile errors');
  assert.ok(r.appDef !== undefined);
  return r.appDef;
}

/** Compiles one file and returns the AppDef; asserts there are no errors. */
export function build(text: string, opts: CompileAppOptions = {}): AppDef {
  return buildPackages([pkg(PKG, { [FILE]: text })], opts);
}

/** `APPLICATION test(); WORKSPACE W ( <body> );` on one line, for tests that do not look at positions. */
export function inWorkspace(body: string): string {
  return `APPLICATION test(); WORKSPACE W (${body});`;
}

/** A type of the AppDef; fails the test when it is missing. */
export function typeOf(app: AppDef, qname: string): TypeDef {
  const t = app.type(qname);
  assert.ok(t !== undefined, `type ${qname} not found`);
  return t;
}

/** The TypeDef variants whose kind may be K (FunctionDef is both 'Command' and 'Query'). */
export type TypeDefOfKind<
  K extends TypeDef['kind'],
  T extends TypeDef = TypeDef,
> = T extends unknown ? (K extends T['kind'] ? T : never) : never;

/** A type of the given kind; fails the test when it is missing or of another kind. */
export function typeOfKind<K extends TypeDef['kind']>(
  app: AppDef,
  qname: string,
  kind: K,
): TypeDefOfKind<K> {
  const t = typeOf(app, qname);
  assert.equal(t.kind, kind, `kind of ${qname}`);
  return t as TypeDefOfKind<K>;
}

/** A structure (table, descriptor or TYPE); fails the test when it is missing. */
export function structureOf(app: AppDef, qname: string): StructureDef {
  const s = app.structure(qname);
  assert.ok(s !== undefined, `structure ${qname} not found`);
  return s;
}

/** A workspace; fails the test when it is missing. */
export function workspaceOf(app: AppDef, qname: string): WorkspaceDef {
  const w = app.workspace(qname);
  assert.ok(w !== undefined, `workspace ${qname} not found`);
  return w;
}

/** The names of a structure's fields that are written in VSQL (system fields left out). */
export function userFields(s: StructureDef): string[] {
  return s.fields.filter((f) => !f.system).map((f) => f.name);
}

/** One field of a structure; fails the test when it is missing. */
export function fieldOf(s: StructureDef, name: string): StructureDef['fields'][number] {
  const f = s.fields.find((x) => x.name === name);
  assert.ok(f !== undefined, `field ${name} not found in ${s.name}`);
  return f;
}

/**
 * Asserts that a syntax error is reported at `line:col` of `file.vsql` with the `unexpected token` prefix
 * (the full text of syntax messages is allowed to change; their position and prefix are not).
 */
export function assertSyntaxErrorAt(text: string, line: number, col: number): void {
  const r = compile(text);
  assert.ok(r.appDef === undefined, 'expected a syntax error, but the source compiled');
  const first = r.errors[0];
  assert.ok(first !== undefined, 'expected a syntax error');
  assert.deepEqual(
    { file: first.file, line: first.line, col: first.col },
    { file: FILE, line, col },
    `position of: ${formatError(first)}`,
  );
  assert.match(first.message, /^unexpected token\b/, formatError(first));
}
