// Statement lists, the reference's `stmt (';' stmt)* [';']` inside files, workspaces and extension
// engines. A statement that fails is recorded by the cursor and skipped, so one run reports the syntax
// errors of every statement, not only the first.
import { type Cursor, SyntaxFailure } from './cursor.js';
import { T, type Token } from './token.js';

/** `)` , `;` or the end of the file: after a `;`, the list is over. */
export const isListEnd = (t: Token): boolean =>
  t.type === T.RParen || t.type === T.Semi || t.type === T.EOF;

/**
 * Parses a statement list into `out`, up to the `)` or end of file that closes it. `starts` says (and
 * records as expected, when it says no) whether a statement begins at the current token; `parse` parses
 * one. A missing `;` between two statements is reported and the second statement still parsed; any other
 * stray token is reported and skipped to the next `;`, so errors stay inside the list they occur in.
 */
export function statementList<S>(
  p: Cursor,
  starts: (p: Cursor) => boolean,
  parse: (p: Cursor) => S,
  out: S[],
): void {
  if (starts(p)) parseOne(p, parse, out);
  for (;;) {
    if (p.at(T.Semi)) {
      p.next();
      if (isListEnd(p.peek())) {
        // `;;` is not a list's end: the grammar allows one trailing `;` only
        if (p.is(T.Semi)) p.report();
        else return;
      } else {
        parseOne(p, parse, out);
        continue;
      }
    }
    if (p.is(T.RParen) || p.is(T.EOF)) return;
    p.report();
    if (starts(p)) parseOne(p, parse, out);
    else p.recover(p.index);
  }
}

/** Parses one statement into `out`; when it fails, the error is recorded and the statement skipped. */
export function parseOne<S>(p: Cursor, parse: (p: Cursor) => S, out: S[]): void {
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
