// The parser's view of the token list: look-ahead, keyword tests, expectation tracking for error messages,
// and the syntax failure that unwinds to the nearest statement list, which records it and resynchronises.
import { type Ident, node, type Pos } from '../ast.js';
import { errorAt, type SchemaError } from '../errors.js';
import { docComment } from './doc-comment.js';
import { unquoteGo } from './go-string.js';
import { describeType, T, type Token, type TokenType } from './token.js';

/** Thrown on a syntax error; caught by the statement list being parsed (see `Cursor.recover`). */
export class SyntaxFailure extends Error {}

/** Far beyond real schemas, far below the stack's limit (about 2,000 nested workspaces or parentheses). */
const MAX_NESTING = 500;

export class Cursor {
  private i = 0;
  /** Expectations recorded at token index `expectedAt`: what would have been accepted there. */
  private expectedAt = -1;
  private readonly expected: string[] = [];
  readonly errors: SchemaError[] = [];
  /** Nesting depth of workspaces, tables and expressions: bounded so deep input cannot overflow the stack. */
  depth = 0;

  constructor(
    readonly fileName: string,
    private readonly text: string,
    private readonly tokens: readonly Token[],
  ) {}

  get index(): number {
    return this.i;
  }

  /** The token `k` places ahead (1 = the current one); EOF past the end. */
  peek(k = 1): Token {
    const t = this.tokens[this.i + k - 1];
    return t === undefined ? (this.tokens[this.tokens.length - 1] as Token) : t;
  }

  next(): Token {
    const t = this.peek();
    if (t.type !== T.EOF) this.i++;
    return t;
  }

  // ---- tests that record what was expected when they fail ----

  /** The current token is of `type`. */
  at(type: TokenType): boolean {
    if (this.peek().type === type) return true;
    this.expect_(describeType(type));
    return false;
  }

  /** The current token is the keyword `word` (keywords are identifiers with that exact text). */
  atKw(word: string): boolean {
    const t = this.peek();
    if (t.type === T.Ident && t.text === word) return true;
    this.expect_(`"${word}"`);
    return false;
  }

  /** Records that `what` (e.g. `a data type`) would have been accepted here. */
  expecting(what: string): void {
    this.expect_(what);
  }

  eat(type: TokenType): Token | undefined {
    return this.at(type) ? this.next() : undefined;
  }

  eatKw(word: string): Token | undefined {
    return this.atKw(word) ? this.next() : undefined;
  }

  consume(type: TokenType): Token {
    if (!this.at(type)) this.fail();
    return this.next();
  }

  consumeKw(word: string): Token {
    if (!this.atKw(word)) this.fail();
    return this.next();
  }

  /** An identifier (any keyword word is also one). */
  consumeIdent(): Token {
    return this.consume(T.Ident);
  }

  // ---- tests without expectations (look-ahead decisions) ----

  isKw(word: string, k = 1): boolean {
    const t = this.peek(k);
    return t.type === T.Ident && t.text === word;
  }

  is(type: TokenType, k = 1): boolean {
    return this.peek(k).type === type;
  }

  // ---- nodes ----

  pos(t: Token): Pos {
    return node({ file: this.fileName, line: t.line, col: t.col });
  }

  ident(t: Token): Ident {
    return node({ value: unquoteIdent(t.text), pos: this.pos(t) });
  }

  /** The doc comment written right before token `t` (which must be the current or an earlier token). */
  doc(t: Token): readonly string[] {
    const idx = this.indexOf(t);
    const prev = idx > 0 ? this.tokens[idx - 1] : undefined;
    const from = prev === undefined ? 0 : prev.start + prev.text.length;
    return docComment(this.text, from, t.start);
  }

  /** Index of token `t`, found by its offset (tokens are in offset order). */
  private indexOf(t: Token): number {
    let lo = 0;
    let hi = this.tokens.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const start = (this.tokens[mid] as Token).start;
      if (start === t.start) return mid;
      if (start < t.start) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  // ---- errors ----

  private expect_(what: string): void {
    if (this.expectedAt !== this.i) {
      this.expectedAt = this.i;
      this.expected.length = 0;
    }
    if (!this.expected.includes(what)) this.expected.push(what);
  }

  /** Records a syntax error at the current token, saying what was expected there. */
  report(): void {
    const t = this.peek();
    const got = t.type === T.EOF ? '<EOF>' : t.text;
    const exp = this.expectedAt === this.i ? this.expected : [];
    const suffix = exp.length === 0 ? '' : ` (expected ${listOf(exp)})`;
    this.errors.push(errorAt(this.pos(t), `unexpected token ${JSON.stringify(got)}${suffix}`));
  }

  /** Records a syntax error at the current token and unwinds to the enclosing statement list. */
  fail(): never {
    this.report();
    throw new SyntaxFailure();
  }

  /** Enters a nested construct starting at `t`; fails when nesting is deeper than any real schema needs. */
  enter(t: Token): void {
    if (++this.depth > MAX_NESTING)
      this.failAt(this.pos(t), `nesting deeper than ${MAX_NESTING} levels`);
  }

  leave(): void {
    this.depth--;
  }

  /** Records a syntax error with its own message (for rules the grammar alone cannot state). */
  failAt(pos: Pos, message: string): never {
    this.errors.push(errorAt(pos, message));
    throw new SyntaxFailure();
  }

  /**
   * After a failure in a statement that began at token index `start`: skips to the `;` that ends it or to
   * the `)` that closes the list it belongs to, counting parentheses from its start. A `;` inside
   * parentheses the statement left open at the failure also ends it (`Tags=(x;` lacks its `)`), but not
   * one in parentheses opened after it (the body of a workspace whose header failed). Never moves back.
   */
  recover(start: number): void {
    let depth = 0;
    for (let k = start; k < this.i; k++) {
      const type = (this.tokens[k] as Token).type;
      if (type === T.LParen) depth++;
      else if (type === T.RParen) depth--;
    }
    if (depth < 0) depth = 0;
    const openAtFailure = depth;
    // a failure at the statement's first token: skip at least that token, or the list would not advance
    if (this.i === start && !this.is(T.Semi) && !this.is(T.RParen)) {
      if (this.is(T.LParen)) depth++;
      this.next();
    }
    for (;;) {
      const t = this.peek();
      if (t.type === T.EOF) return;
      if (t.type === T.Semi && depth <= openAtFailure) return;
      if (t.type === T.RParen) {
        if (depth === 0) return;
        depth--;
      } else if (t.type === T.LParen) {
        depth++;
      }
      this.next();
    }
  }
}

function listOf(items: readonly string[]): string {
  if (items.length === 1) return items[0] as string;
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

export const unquoteIdent = (text: string): string =>
  text.charCodeAt(0) === 34 ? text.slice(1, -1) : text;

/** A string token's value (the lexer has checked its escapes). */
export const unquoteString = (text: string): string => unquoteGo(text) ?? text.slice(1, -1);
