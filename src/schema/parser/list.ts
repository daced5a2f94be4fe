// Statement lists, the reference's `stmt (';' stmt)* [';']` inside files, workspaces and extension
// engines. A statement that fails is recorded by the cursor and skipped, so one run reports the syntax
// errors of every statement, not only the first.
import { type Cursor, SyntaxFailure } from './cursor.js';
import { T, type Token } from './token.js';

/** `)` , `;` or the end of the file: after a `;`, the list is over. */
export const isListEnd = (t: Token): boolean =>
  t.type === T.RParen || t.type === T.Semi || t.type === T.EOF;

/**
 * Parses a statement list into `out`. `starts` says (and records as expected, when it says no) whether a
 * statement begins at the current token; `parse` parses one; `continues` (at a `;`) whether another
 * statement follows it.
 */
export function statementList<S>(
  p: Cursor,
  starts: (p: Cursor) => boolean,
  parse: (p: Cursor) => S,
  out: S[],
  continues: (p: Cursor) => boolean = (c) => !isListEnd(c.peek(2)),
): void {
  if (starts(p)) parseOne(p, parse, out);
  while (p.at(T.Semi) && continues(p)) {
    p.next();
    parseOne(p, parse, out);
  }
  p.eat(T.Semi);
}

function parseOne<S>(p: Cursor, parse: (p: Cursor) => S, out: S[]): void {
  const start = p.index;
  const depth = p.depth;
  try {
    out.push(parse(p));
  } catch (e) {
    if (!(e instanceof SyntaxFailure)) throw e;
    p.depth = depth;
    p.recover(start);
  }
}
