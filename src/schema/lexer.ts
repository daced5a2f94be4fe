import { createToken, type IToken, Lexer, type TokenType } from 'chevrotain';

// Token order is priority (first match wins, like the reference's lexer): multi-word keywords and the few
// "greedy" words (TABLE, SELECT, EXECUTE, UNLOGGED) are their own tokens and are NOT identifiers.
// Every other keyword is an identifier whose text the grammar checks; identifiers are retyped to keyword
// token types after lexing (a map lookup is much cheaper than one regexp per keyword), and those keyword
// types belong to the Ident category so that any keyword is still a valid name.

const ws = '[ \\r\\n\\t]+';
const multiWord = (name: string, words: string): TokenType =>
  createToken({ name, pattern: new RegExp(words.split(' ').join(ws)), line_breaks: true });

export const WhiteSpace = createToken({
  name: 'WhiteSpace',
  pattern: /[ \t\r\n]+/,
  group: Lexer.SKIPPED,
  line_breaks: true,
});
export const BlockComment = createToken({
  name: 'BlockComment',
  pattern: /\/\*[\s\S]*?\*\//,
  group: Lexer.SKIPPED,
  line_breaks: true,
});
export const LineComment = createToken({
  name: 'LineComment',
  pattern: /--[^\r\n]*/,
  group: Lexer.SKIPPED,
});
export const ArrayBrackets = createToken({ name: 'ArrayBrackets', pattern: /\[\]/ });
export const FloatLit = createToken({ name: 'FloatLit', pattern: /[-+]?\d+\.\d+/ });
export const IntLit = createToken({ name: 'IntLit', pattern: /[-+]?\d+/ });
export const CompareOp = createToken({ name: 'CompareOp', pattern: /<>|!=|<=|>=|=|<|>/ });
export const Plus = createToken({ name: 'Plus', pattern: /\+/ });
export const Minus = createToken({ name: 'Minus', pattern: /-/ });
export const MulOp = createToken({ name: 'MulOp', pattern: /[*/%]/ });
export const Comma = createToken({ name: 'Comma', pattern: /,/ });
export const LParen = createToken({ name: 'LParen', pattern: /\(/ });
export const RParen = createToken({ name: 'RParen', pattern: /\)/ });
export const Semi = createToken({ name: 'Semi', pattern: /;/ });
export const LBracket = createToken({ name: 'LBracket', pattern: /\[/ });
export const RBracket = createToken({ name: 'RBracket', pattern: /\]/ });
export const Dot = createToken({ name: 'Dot', pattern: /\./ });
export const DEFAULTNEXTVAL = multiWord('DEFAULTNEXTVAL', 'DEFAULT NEXTVAL');
export const NOTNULL = multiWord('NOTNULL', 'NOT NULL');
export const UNLOGGED = createToken({ name: 'UNLOGGED', pattern: /UNLOGGED/ });
export const EXECUTE = createToken({ name: 'EXECUTE', pattern: /EXECUTE/ });
export const SELECT = createToken({ name: 'SELECT', pattern: /SELECT/ });
export const EXTENSIONENGINE = multiWord('EXTENSIONENGINE', 'EXTENSION ENGINE');
export const ONCOMMAND = multiWord('ONCOMMAND', 'ON COMMAND');
export const ONALLCOMMANDS = multiWord('ONALLCOMMANDS', 'ON ALL COMMANDS');
export const WITHTAG = multiWord('WITHTAG', 'WITH TAG');
export const ONQUERY = multiWord('ONQUERY', 'ON QUERY');
export const ONALLQUERIES = multiWord('ONALLQUERIES', 'ON ALL QUERIES');
export const ONVIEW = multiWord('ONVIEW', 'ON VIEW');
export const ONALLVIEWS = multiWord('ONALLVIEWS', 'ON ALL VIEWS');
export const INSERTONWORKSPACE = multiWord('INSERTONWORKSPACE', 'INSERT ON WORKSPACE');
export const INSERTONALLWORKSPACESWITHTAG = multiWord(
  'INSERTONALLWORKSPACESWITHTAG',
  'INSERT ON ALL WORKSPACES WITH TAG',
);
export const ONALLTABLES = multiWord('ONALLTABLES', 'ON ALL TABLES');
export const ONTABLE = multiWord('ONTABLE', 'ON TABLE');
export const PRIMARYKEY = multiWord('PRIMARYKEY', 'PRIMARY KEY');
export const TABLE = createToken({ name: 'TABLE', pattern: /TABLE/ });
export const StringLit = createToken({
  name: 'StringLit',
  pattern: /'(?:\\'|[^'])*'/,
  line_breaks: true,
});
export const Ident = createToken({
  name: 'Ident',
  pattern: /[a-zA-Z]\w{0,254}|"[a-zA-Z]\w{0,254}"/,
});

const keywordWords = [
  // statements and clauses
  'IMPORT',
  'SCHEMA',
  'AS',
  'APPLICATION',
  'USE',
  'DECLARE',
  'DEFAULT',
  'TEMPLATE',
  'OF',
  'WORKSPACE',
  'SOURCE',
  'ABSTRACT',
  'ALTERABLE',
  'POOL',
  'INHERITS',
  'DESCRIPTOR',
  'ALTER',
  'PUBLISHED',
  'ROLE',
  'TAG',
  'FEATURE',
  'TYPE',
  'CONSTRAINT',
  'UNIQUEFIELD',
  'UNIQUE',
  'CHECK',
  'VERIFIABLE',
  'WITH',
  'Comment',
  'Tags',
  'VIEW',
  'RESULT',
  'WASM',
  'BUILTIN',
  'FUNCTION',
  'RETURNS',
  'STORAGE',
  'GET',
  'GETBATCH',
  'READ',
  'INSERT',
  'UPDATE',
  'SCOPE',
  'COMMANDS',
  'QUERIES',
  'PROJECTORS',
  'JOBS',
  'ENTITY',
  'RECORD',
  'COMMAND',
  'QUERY',
  'STATE',
  'INTENTS',
  'SYNC',
  'PROJECTOR',
  'OR',
  'CRON',
  'AFTER',
  'PARAM',
  'ACTIVATE',
  'DEACTIVATE',
  'ON',
  'INCLUDING',
  'ERRORS',
  'JOB',
  'RATE',
  'PER',
  'APP',
  'PARTITION',
  'SUBJECT',
  'IP',
  'SECOND',
  'SECONDS',
  'MINUTE',
  'MINUTES',
  'HOUR',
  'HOURS',
  'DAY',
  'DAYS',
  'YEAR',
  'YEARS',
  'LIMIT',
  'EACH',
  'GRANT',
  'REVOKE',
  'TO',
  'FROM',
  'ALL',
  'AND',
  'NOT',
  'IS',
  'NULL',
  'BETWEEN',
  'IN',
  'TRUE',
  'FALSE',
  // lower-case words: data types and argument kinds
  'ref',
  'record',
  'any',
  'void',
  'varchar',
  'text',
  'character',
  'varying',
  'bytes',
  'varbinary',
  'binary',
  'tinyint',
  'int8',
  'smallint',
  'int16',
  'integer',
  'int',
  'int32',
  'bigint',
  'int64',
  'real',
  'float',
  'float32',
  'double',
  'precision',
  'float64',
  'timestamp',
  'money',
  'currency',
  'boolean',
  'bool',
  'large',
  'object',
  'blob',
  'qualified',
  'name',
  'qname',
] as const;

export type KeywordWord = (typeof keywordWords)[number];

/** Keyword token types by their text; each is also an `Ident`. */
export const KW: Readonly<Record<KeywordWord, TokenType>> = Object.freeze(
  Object.fromEntries(
    keywordWords.map((w) => [
      w,
      createToken({ name: `KW_${w}`, pattern: Lexer.NA, categories: [Ident] }),
    ]),
  ) as Record<KeywordWord, TokenType>,
);

const keywordByText = new Map<string, TokenType>(Object.entries(KW));

const lexedTokens: TokenType[] = [
  WhiteSpace,
  BlockComment,
  LineComment,
  ArrayBrackets,
  FloatLit,
  IntLit,
  CompareOp,
  Plus,
  Minus,
  MulOp,
  Comma,
  LParen,
  RParen,
  Semi,
  LBracket,
  RBracket,
  Dot,
  DEFAULTNEXTVAL,
  NOTNULL,
  UNLOGGED,
  EXECUTE,
  SELECT,
  EXTENSIONENGINE,
  ONCOMMAND,
  ONALLCOMMANDS,
  WITHTAG,
  ONQUERY,
  ONALLQUERIES,
  ONVIEW,
  ONALLVIEWS,
  INSERTONWORKSPACE,
  INSERTONALLWORKSPACESWITHTAG,
  ONALLTABLES,
  ONTABLE,
  PRIMARYKEY,
  TABLE,
  StringLit,
  Ident,
];

/** Every token type the parser must know (lexed ones plus the keyword types). */
export const allTokenTypes: readonly TokenType[] = [...lexedTokens, ...Object.values(KW)];

const vsqlLexer = new Lexer(lexedTokens, {
  positionTracking: 'full',
  ensureOptimizations: false,
  skipValidations: true,
});

export interface LexResult {
  readonly tokens: IToken[];
  /** The first lexer error, as the reference reports only that one. */
  readonly error:
    | { readonly line: number; readonly col: number; readonly message: string }
    | undefined;
}

export function tokenize(text: string): LexResult {
  const r = vsqlLexer.tokenize(text);
  const first = r.errors[0];
  if (first !== undefined) {
    const rest = [...text.slice(first.offset)];
    const sample = rest.length > 16 ? `${rest.slice(0, 16).join('')}...` : rest.join('');
    return {
      tokens: r.tokens,
      error: {
        line: first.line ?? 0,
        col: first.column ?? 0,
        message: `lexer: invalid input text ${JSON.stringify(sample)}`,
      },
    };
  }
  const tokens = r.tokens;
  const identIdx = Ident.tokenTypeIdx;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as IToken;
    if (t.tokenTypeIdx === identIdx) {
      const kw = keywordByText.get(t.image);
      if (kw !== undefined) {
        t.tokenType = kw;
        t.tokenTypeIdx = kw.tokenTypeIdx as number;
      }
    }
  }
  return { tokens, error: undefined };
}

// The reference's own comment rules, tried in its order, decide which comment block documents a statement:
// only a block that starts on a fresh line (`\n` right before it) counts, and the last such block wins.
const preStmtComment = /(?:(?:[\n\r]+\s*--[^\n]*)+)|(?:[\n\r]\s*\/\*[\s\S]*?\*\/)/y;
const multilineComment = /\/\*[\s\S]*?\*\//y;
const plainComment = /\s*--[^\r\n]*/y;
const whitespace = /[ \r\n\t]+/y;

export function docComment(text: string, from: number, to: number): readonly string[] {
  let pos = from;
  let last: string | undefined;
  while (pos < to) {
    preStmtComment.lastIndex = pos;
    const m = preStmtComment.exec(text);
    if (m !== null && m.index === pos) {
      last = m[0];
      pos += m[0].length;
      continue;
    }
    let advanced = false;
    for (const re of [multilineComment, plainComment, whitespace]) {
      re.lastIndex = pos;
      const mm = re.exec(text);
      if (mm !== null && mm.index === pos && mm[0].length > 0) {
        pos += mm[0].length;
        advanced = true;
        break;
      }
    }
    if (!advanced) break;
  }
  if (last === undefined) return [];
  return cleanComment(last);
}

function cleanComment(raw: string): readonly string[] {
  let s = raw.trim();
  const multi = s.startsWith('/*');
  if (multi) {
    s = s.slice(2);
    if (s.endsWith('*/')) s = s.slice(0, -2);
  }
  const out: string[] = [];
  for (const line of s.split('\n')) {
    let t = line.trim();
    if (!multi && t.startsWith('--')) t = t.slice(2).trim();
    if (t.length > 0) out.push(t);
  }
  return out;
}
