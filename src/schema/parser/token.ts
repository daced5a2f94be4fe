// Token kinds of the VSQL lexer. Most keywords are plain identifiers whose text the grammar checks, so that
// any keyword can still name a definition (as in the reference). Only the multi-word keywords and the few
// words the reference lexes greedily (TABLE, SELECT, EXECUTE, UNLOGGED) are kinds of their own.

export const T = {
  EOF: 0,
  Ident: 1,
  Int: 2,
  Float: 3,
  String: 4,
  Compare: 5,
  Plus: 6,
  Minus: 7,
  Mul: 8,
  Comma: 9,
  LParen: 10,
  RParen: 11,
  Semi: 12,
  LBracket: 13,
  RBracket: 14,
  Dot: 15,
  ArrayBrackets: 16,
  DefaultNextval: 17,
  NotNull: 18,
  Unlogged: 19,
  Execute: 20,
  Select: 21,
  ExtensionEngine: 22,
  OnCommand: 23,
  OnAllCommands: 24,
  WithTag: 25,
  OnQuery: 26,
  OnAllQueries: 27,
  OnView: 28,
  OnAllViews: 29,
  InsertOnWorkspace: 30,
  InsertOnAllWorkspacesWithTag: 31,
  OnAllTables: 32,
  OnTable: 33,
  PrimaryKey: 34,
  Table: 35,
} as const;

export type TokenType = (typeof T)[keyof typeof T];

export interface Token {
  readonly type: TokenType;
  /** The source text of the token (quotes included for strings and quoted identifiers). */
  readonly text: string;
  /** Offset of the first character in the source text. */
  readonly start: number;
  /** 1-based line and column (UTF-16 units) of the first character. */
  readonly line: number;
  readonly col: number;
}

/**
 * The keywords lexed as tokens of their own, in the order the lexer tries them: the first that matches
 * wins, as in the reference's lexer. Words are separated by any run of blanks; there is no word boundary
 * at the end (`TABLEX` lexes as `TABLE` then `X`, like the reference).
 */
export const WORD_TOKENS: readonly {
  readonly type: TokenType;
  readonly words: readonly string[];
}[] = [
  { type: T.DefaultNextval, words: ['DEFAULT', 'NEXTVAL'] },
  { type: T.NotNull, words: ['NOT', 'NULL'] },
  { type: T.Unlogged, words: ['UNLOGGED'] },
  { type: T.Execute, words: ['EXECUTE'] },
  { type: T.Select, words: ['SELECT'] },
  { type: T.ExtensionEngine, words: ['EXTENSION', 'ENGINE'] },
  { type: T.OnCommand, words: ['ON', 'COMMAND'] },
  { type: T.OnAllCommands, words: ['ON', 'ALL', 'COMMANDS'] },
  { type: T.WithTag, words: ['WITH', 'TAG'] },
  { type: T.OnQuery, words: ['ON', 'QUERY'] },
  { type: T.OnAllQueries, words: ['ON', 'ALL', 'QUERIES'] },
  { type: T.OnView, words: ['ON', 'VIEW'] },
  { type: T.OnAllViews, words: ['ON', 'ALL', 'VIEWS'] },
  { type: T.InsertOnWorkspace, words: ['INSERT', 'ON', 'WORKSPACE'] },
  {
    type: T.InsertOnAllWorkspacesWithTag,
    words: ['INSERT', 'ON', 'ALL', 'WORKSPACES', 'WITH', 'TAG'],
  },
  { type: T.OnAllTables, words: ['ON', 'ALL', 'TABLES'] },
  { type: T.OnTable, words: ['ON', 'TABLE'] },
  { type: T.PrimaryKey, words: ['PRIMARY', 'KEY'] },
  { type: T.Table, words: ['TABLE'] },
];

const punctuation: Readonly<Record<number, string>> = {
  [T.EOF]: 'end of file',
  [T.Ident]: 'identifier',
  [T.Int]: 'integer',
  [T.Float]: 'number',
  [T.String]: 'string',
  [T.Compare]: '=',
  [T.Plus]: '+',
  [T.Minus]: '-',
  [T.Mul]: '*',
  [T.Comma]: ',',
  [T.LParen]: '(',
  [T.RParen]: ')',
  [T.Semi]: ';',
  [T.LBracket]: '[',
  [T.RBracket]: ']',
  [T.Dot]: '.',
  [T.ArrayBrackets]: '[]',
};

const descriptions: readonly string[] = Object.values(T).map((type) => {
  const p = punctuation[type];
  if (p !== undefined) return type <= T.String ? p : `"${p}"`;
  const w = WORD_TOKENS.find((x) => x.type === type);
  return w === undefined ? `token ${type}` : `"${w.words.join(' ')}"`;
});

/** How a token kind is named in "expected ..." messages. */
export function describeType(type: TokenType): string {
  return descriptions[type] as string;
}
