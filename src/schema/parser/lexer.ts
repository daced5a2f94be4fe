// A hand-written scanner with the reference lexer's rules: at each position the token kinds are tried in a
// fixed order and the first that matches wins (not the longest), identifiers are ASCII and at most 255
// characters, and the first character no rule accepts is a lexer error that ends the file.
import { unquoteGo } from './go-string.js';
import { T, type Token, type TokenType, WORD_TOKENS } from './token.js';

export interface LexError {
  readonly line: number;
  readonly col: number;
  readonly message: string;
}

export interface LexResult {
  /** Ends with an EOF token placed just after the last real token. */
  readonly tokens: Token[];
  readonly error: LexError | undefined;
}

const MAX_IDENT = 255;

// Character classes by code, built once: 1 letter, 2 digit, 4 underscore.
const cls = new Uint8Array(128);
for (let c = 65; c <= 90; c++) cls[c] = 1;
for (let c = 97; c <= 122; c++) cls[c] = 1;
for (let c = 48; c <= 57; c++) cls[c] = 2;
cls[95] = 4;
const isLetter = (c: number): boolean => c < 128 && cls[c] === 1;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isWordChar = (c: number): boolean => c < 128 && cls[c] !== 0;
const isBlank = (c: number): boolean => c === 32 || c === 10 || c === 13 || c === 9;

// Word tokens grouped by their first letter, so most identifiers are checked against none or a few.
const wordTokensByFirst = new Map<number, (typeof WORD_TOKENS)[number][]>();
for (const w of WORD_TOKENS) {
  const c = (w.words[0] as string).charCodeAt(0);
  const list = wordTokensByFirst.get(c) ?? [];
  list.push(w);
  wordTokensByFirst.set(c, list);
}

export function tokenize(text: string): LexResult {
  const tokens: Token[] = [];
  const n = text.length;
  let pos = 0;
  let line = 1;
  let lineStart = 0;
  // where the last real token ended: the EOF token is placed there
  let endLine = 1;
  let endCol = 1;

  /** Advances line bookkeeping over text[from, to). */
  const countLines = (from: number, to: number): void => {
    for (let k = from; k < to; k++) {
      if (text.charCodeAt(k) === 10) {
        line++;
        lineStart = k + 1;
      }
    }
  };

  const push = (type: TokenType, end: number): void => {
    const tokLine = line;
    const col = pos - lineStart + 1;
    tokens.push({ type, text: text.slice(pos, end), start: pos, line: tokLine, col });
    if (type === T.String || type >= T.DefaultNextval) countLines(pos, end);
    pos = end;
    endLine = line;
    endCol = pos - lineStart + 1;
  };

  /** End offset of `words` separated by blanks at `at`, or -1. */
  const matchWords = (at: number, words: readonly string[]): number => {
    let k = at;
    for (let w = 0; w < words.length; w++) {
      const word = words[w] as string;
      if (w > 0) {
        const blankStart = k;
        while (k < n && isBlank(text.charCodeAt(k))) k++;
        if (k === blankStart) return -1;
      }
      if (!text.startsWith(word, k)) return -1;
      k += word.length;
    }
    return k;
  };

  while (pos < n) {
    const c = text.charCodeAt(pos);

    if (isBlank(c)) {
      const from = pos;
      while (pos < n && isBlank(text.charCodeAt(pos))) pos++;
      countLines(from, pos);
      continue;
    }
    if (c === 47 /* / */ && text.charCodeAt(pos + 1) === 42 /* * */) {
      const close = text.indexOf('*/', pos + 2);
      if (close >= 0) {
        countLines(pos, close + 2);
        pos = close + 2;
        continue;
      }
      // unterminated: not a comment, so `/` is an operator, as with the reference's regexp rules
    }
    if (c === 45 /* - */ && text.charCodeAt(pos + 1) === 45) {
      while (pos < n && text.charCodeAt(pos) !== 10 && text.charCodeAt(pos) !== 13) pos++;
      continue;
    }
    if (c === 91 /* [ */ && text.charCodeAt(pos + 1) === 93) {
      push(T.ArrayBrackets, pos + 2);
      continue;
    }
    if (isDigit(c) || ((c === 43 || c === 45) && isDigit(text.charCodeAt(pos + 1)))) {
      let k = pos + 1;
      while (k < n && isDigit(text.charCodeAt(k))) k++;
      if (text.charCodeAt(k) === 46 /* . */ && isDigit(text.charCodeAt(k + 1))) {
        k += 2;
        while (k < n && isDigit(text.charCodeAt(k))) k++;
        push(T.Float, k);
      } else {
        push(T.Int, k);
      }
      continue;
    }
    switch (c) {
      case 60: // <
        push(
          T.Compare,
          text.charCodeAt(pos + 1) === 62 || text.charCodeAt(pos + 1) === 61 ? pos + 2 : pos + 1,
        );
        continue;
      case 62: // >
        push(T.Compare, text.charCodeAt(pos + 1) === 61 ? pos + 2 : pos + 1);
        continue;
      case 33: // !
        if (text.charCodeAt(pos + 1) === 61) {
          push(T.Compare, pos + 2);
          continue;
        }
        break;
      case 61:
        push(T.Compare, pos + 1);
        continue;
      case 43:
        push(T.Plus, pos + 1);
        continue;
      case 45:
        push(T.Minus, pos + 1);
        continue;
      case 42:
      case 47:
      case 37:
        push(T.Mul, pos + 1);
        continue;
      case 44:
        push(T.Comma, pos + 1);
        continue;
      case 40:
        push(T.LParen, pos + 1);
        continue;
      case 41:
        push(T.RParen, pos + 1);
        continue;
      case 59:
        push(T.Semi, pos + 1);
        continue;
      case 91:
        push(T.LBracket, pos + 1);
        continue;
      case 93:
        push(T.RBracket, pos + 1);
        continue;
      case 46:
        push(T.Dot, pos + 1);
        continue;
    }
    if (isLetter(c)) {
      const candidates = wordTokensByFirst.get(c);
      if (candidates !== undefined) {
        let matched = false;
        for (const w of candidates) {
          const end = matchWords(pos, w.words);
          if (end >= 0) {
            push(w.type, end);
            matched = true;
            break;
          }
        }
        if (matched) continue;
      }
      let k = pos + 1;
      const max = pos + MAX_IDENT;
      while (k < n && k < max && isWordChar(text.charCodeAt(k))) k++;
      push(T.Ident, k);
      continue;
    }
    if (c === 39 /* ' */) {
      const end = stringEnd(text, pos);
      if (end >= 0) {
        // checked here, as the reference unquotes every string token before parsing
        const literal = text.slice(pos, end);
        if (unquoteGo(literal) === undefined) {
          const message = `invalid quoted string ${JSON.stringify(literal)}: invalid syntax`;
          return { tokens, error: { line, col: pos - lineStart + 1, message } };
        }
        push(T.String, end);
        continue;
      }
    }
    if (c === 34 /* " */ && isLetter(text.charCodeAt(pos + 1))) {
      let k = pos + 2;
      const max = pos + 1 + MAX_IDENT;
      while (k < n && k < max && isWordChar(text.charCodeAt(k))) k++;
      if (text.charCodeAt(k) === 34) {
        push(T.Ident, k + 1);
        continue;
      }
    }
    return { tokens, error: invalidInput(text, pos, line, pos - lineStart + 1) };
  }
  tokens.push({ type: T.EOF, text: '<EOF>', start: n, line: endLine, col: endCol });
  return { tokens, error: undefined };
}

/**
 * End of the string literal starting at `start`, or -1. Like the reference's `'(\\'|[^'])*'`: `\'` is an
 * escaped quote, but if the text ends before a closing quote, the last `\'` closes the string instead.
 */
function stringEnd(text: string, start: number): number {
  let lastEscaped = -1;
  for (let k = start + 1; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c === 92 /* \ */ && text.charCodeAt(k + 1) === 39) {
      lastEscaped = k + 1;
      k++;
    } else if (c === 39) {
      return k + 1;
    }
  }
  return lastEscaped < 0 ? -1 : lastEscaped + 1;
}

function invalidInput(text: string, pos: number, line: number, col: number): LexError {
  const rest = [...text.slice(pos, pos + 64)];
  const sample = rest.length > 16 ? `${rest.slice(0, 16).join('')}...` : rest.join('');
  return { line, col, message: `lexer: invalid input text ${JSON.stringify(sample)}` };
}
