// The VSQL parser: a hand-written lexer and recursive-descent parser with the reference grammar's rules.
// It reports every syntax error of a file (each failing statement is skipped to its end) and never throws
// on bad input.
import { type FileAst, node } from '../ast.js';
import { errorAt, type SchemaError } from '../errors.js';
import { Cursor } from './cursor.js';
import { fileBody } from './file.js';
import { tokenize } from './lexer.js';

export { type LexResult, tokenize } from './lexer.js';

export interface ParseResult {
  /** The syntax tree, when the file has no syntax error. */
  readonly ast: FileAst | undefined;
  readonly errors: readonly SchemaError[];
}

export function parseFile(fileName: string, text: string): ParseResult {
  const lexed = tokenize(text);
  if (lexed.error !== undefined) {
    const { line, col, message } = lexed.error;
    return { ast: undefined, errors: [errorAt({ file: fileName, line, col }, message)] };
  }
  const p = new Cursor(fileName, text, lexed.tokens);
  const body = fileBody(p);
  if (p.errors.length > 0) return { ast: undefined, errors: p.errors };
  return {
    ast: node({
      kind: 'File' as const,
      fileName,
      imports: body.imports,
      statements: body.statements,
    }),
    errors: [],
  };
}
