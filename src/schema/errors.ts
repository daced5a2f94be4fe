import type { Pos } from './ast.js';

/** One compile problem: where it is (when known) and the reference's message text. */
export interface SchemaError {
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly col: number | undefined;
  readonly message: string;
}

export function errorAt(pos: Pos, message: string): SchemaError {
  return Object.freeze({ file: pos.file, line: pos.line, col: pos.col, message });
}

export function errorNoPos(message: string): SchemaError {
  return Object.freeze({ file: undefined, line: undefined, col: undefined, message });
}

/** `file:line:col: message`, the form the reference prints and tests compare. */
export function formatError(e: SchemaError): string {
  return e.file === undefined ? e.message : `${e.file}:${e.line}:${e.col}: ${e.message}`;
}

export function formatErrors(errors: readonly SchemaError[]): string {
  return errors.map(formatError).join('\n');
}

/** Thrown only by callers that want an exception (e.g. the sys package loader); the compiler returns errors. */
export class SchemaCompileError extends Error {
  readonly errors: readonly SchemaError[];
  constructor(errors: readonly SchemaError[]) {
    super(formatErrors(errors));
    this.name = 'SchemaCompileError';
    this.errors = errors;
  }
}
