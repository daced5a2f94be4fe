// q.sys.SqlQuery (core.md §7, http-api.md §3.10): a read-only SQL-ish select over the records,
// views and logs of one workspace, as the reference's pkg/sys/sqlquery does it. Each result row is
// the JSON text of one record, view row or event, rendered as the reference renders it with Go's
// encoding/json (keys sorted, bytes as base64, `<`, `>` and `&` escaped).
//
// A query has two layers, as in the reference: a DML prefix that names the source (an optional
// application and workspace, the table QName and an optional `.<ID or offset>` suffix), then a
// MySQL-like select over that source, parsed here by a small recursive-descent parser that keeps
// the reference parser's node names for its error messages (`unsupported expression:
// *sqlparser.AndExpr`).
import { recordValue } from '../../extensions/record-value.js';
import { badRequest, forbidden, type ProcessorError } from '../../processors/processor-error.js';
import type {
  AppDef,
  DataKind,
  FieldDef,
  StructureDef,
  TypeDef,
  ViewDef,
} from '../../schema/index.js';
import {
  type AppStructs,
  type DbEvent,
  FIRST_APP_WSID_BASE,
  MAIN_CLUSTER_ID,
  newWsid,
  type ObjectNode,
  type RecordRow,
} from '../../structs/index.js';

export interface SqlSources {
  readonly app: AppDef;
  readonly structs: AppStructs;
  /** The workspace the query runs in. */
  readonly wsid: number;
  /** The application's partition count: the PLog read is that of partition `wsid % partitions`. */
  readonly partitions: number;
  /**
   * The application's qualified name (`owner/app`). A query that names this application runs
   * here; one that names another is refused. Without it every application prefix is refused.
   */
  readonly appQName?: string;
}

/** How many events a `sys.plog` / `sys.wlog` select returns without a `limit`. */
export const SQL_QUERY_DEFAULT_LIMIT = 100;

/**
 * Runs one `q.sys.SqlQuery` query and yields the `Result` of each row: the row's JSON text.
 * Errors surface while iterating, as ProcessorErrors: 400 for a bad or unsupported query or a
 * missing record, 403 for a query that names another workspace or application.
 */
export function sqlQuery(src: SqlSources, query: string): AsyncIterable<string> {
  return run(src, query);
}

// ---------------------------------------------------------------------------------------------
// The DML prefix (the reference's pkg/dml): operation, [app.] [workspace.] pkg.Entity [.N] rest
// ---------------------------------------------------------------------------------------------

// The reference matches the whole query with one regular expression,
//   select\s+.+\s+from\s+ [owner.app.] [wsid. | aN. | "login".] pkg.Entity [.N] (\s+.*)?
// in Go's linear-time engine. A backtracking engine takes polynomial time on it (minutes for a
// query of 20,000 spaces), so the same match is made here by hand: the last ` from ` after which
// a source follows wins, as the greedy `.+` makes it win there. Keywords are case-insensitive and
// names may have one letter (the reference wants two).

const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const DIGITS = /^\d+$/;

type WorkspaceRef =
  | { readonly kind: 'wsid'; readonly id: number }
  | { readonly kind: 'appWSNum'; readonly num: number }
  | { readonly kind: 'login'; readonly login: string };

interface DmlOp {
  readonly app: string | undefined;
  readonly workspace: WorkspaceRef | undefined;
  /** The `.N` suffix: a record ID, or the first offset of a log; 0 when absent. */
  readonly entityId: number;
  /** The select over the source, without the application, workspace and `.N` parts. */
  readonly cleanSql: string;
}

function parseDml(query: string): DmlOp {
  const invalid = (): ProcessorError => badRequest(`invalid query format: ${query}`);
  const q = query.replace(/^\s+/, '');
  if (!/^select\s/i.test(q)) {
    if (/^(\w+\s+)?(update|insert)(\s|$)/i.test(q))
      throw badRequest(`'select' operation is expected`);
    throw invalid();
  }
  // `select`, whitespace, at least one character, whitespace: `from` starts at 9 at the earliest.
  const froms = [...q.matchAll(/(?<=\s)from(?=\s)/gi)].map((m) => m.index).filter((i) => i >= 9);
  for (let k = froms.length - 1; k >= 0; k--) {
    const at = froms[k] ?? 0;
    const source = parseSource(q.slice(at + 4).replace(/^\s+/, ''));
    if (source === undefined) continue;
    const { app, workspace, qname, id, rest } = source;
    let entityId = 0;
    if (id !== undefined) {
      entityId = parseUint(id);
      if (entityId === 0) throw badRequest('provided offset or ID must not be 0');
    }
    const opText = q.slice(0, at + 4);
    return { app, workspace, entityId, cleanSql: `${opText} ${qname} ${rest.trim()}`.trim() };
  }
  throw invalid();
}

/** `[owner.app.] [wsid. | aN. | "login".] pkg.Entity [.N]` and the rest of the query, if it is one. */
function parseSource(text: string):
  | {
      app: string | undefined;
      workspace: WorkspaceRef | undefined;
      qname: string;
      id: string | undefined;
      rest: string;
    }
  | undefined {
  const head = /^\S+/.exec(text)?.[0] ?? '';
  const rest = text.slice(head.length);
  let app: string | undefined;
  let workspace: WorkspaceRef | undefined;
  let parts: string[];
  const q1 = head.indexOf('"');
  if (q1 >= 0) {
    const q2 = head.lastIndexOf('".');
    if (q2 <= q1) return undefined;
    const prefix = head.slice(0, q1).split('.');
    if (
      prefix.length === 3 &&
      prefix[2] === '' &&
      NAME.test(prefix[0] ?? '') &&
      NAME.test(prefix[1] ?? '')
    ) {
      app = `${prefix[0]}.${prefix[1]}`;
    } else if (q1 !== 0) return undefined;
    workspace = { kind: 'login', login: head.slice(q1 + 1, q2) };
    parts = head.slice(q2 + 2).split('.');
  } else {
    parts = head.split('.');
  }
  const id = parts.length >= 3 && DIGITS.test(parts.at(-1) ?? '') ? parts.pop() : undefined;
  if (workspace === undefined && (parts.length === 3 || parts.length === 5)) {
    const ws = parts.at(-3) ?? '';
    if (DIGITS.test(ws)) workspace = { kind: 'wsid', id: parseUint(ws) };
    else if (/^a\d+$/i.test(ws)) workspace = { kind: 'appWSNum', num: parseUint(ws.slice(1)) };
    else return undefined;
    parts.splice(-3, 1);
  }
  if (app === undefined && parts.length === 4) app = parts.splice(0, 2).join('.');
  if (parts.length !== 2 || !parts.every((p) => NAME.test(p))) return undefined;
  if (app !== undefined && !app.split('.').every((p) => NAME.test(p))) return undefined;
  return { app, workspace, qname: parts.join('.'), id, rest };
}

/** Refuses a query that names another application or workspace (authorization comes later). */
function checkTarget(src: SqlSources, op: DmlOp): void {
  if (op.app !== undefined) {
    const named = op.app.replace('.', '/');
    if (src.appQName === undefined || named !== src.appQName) {
      throw forbidden('reading another application is not allowed here');
    }
  }
  const ws = op.workspace;
  if (ws === undefined) return;
  let wsid: number | undefined;
  if (ws.kind === 'wsid') wsid = ws.id;
  else if (ws.kind === 'appWSNum') wsid = newWsid(MAIN_CLUSTER_ID, FIRST_APP_WSID_BASE + ws.num);
  if (wsid !== src.wsid) throw forbidden('reading another workspace is not allowed here');
}

// ---------------------------------------------------------------------------------------------
// The select: a small MySQL-like parser
// ---------------------------------------------------------------------------------------------

type Expr =
  | { readonly t: 'ColName'; readonly qualifier: string; readonly name: string }
  | { readonly t: 'SQLVal'; readonly kind: 'int' | 'float' | 'str'; readonly val: string }
  | { readonly t: 'NullVal' }
  | { readonly t: 'BoolVal'; readonly val: boolean }
  | { readonly t: 'FuncExpr'; readonly name: string; readonly args: readonly Expr[] }
  | { readonly t: 'AndExpr' | 'OrExpr'; readonly left: Expr; readonly right: Expr }
  | { readonly t: 'NotExpr' | 'ParenExpr'; readonly expr: Expr }
  | { readonly t: 'ComparisonExpr'; readonly op: string; readonly left: Expr; readonly right: Expr }
  | {
      readonly t: 'RangeCond';
      readonly op: string;
      readonly left: Expr;
      readonly from: Expr;
      readonly to: Expr;
    }
  | { readonly t: 'IsExpr'; readonly op: string; readonly expr: Expr }
  | { readonly t: 'BinaryExpr'; readonly op: string; readonly left: Expr; readonly right: Expr }
  | { readonly t: 'UnaryExpr'; readonly op: string; readonly expr: Expr }
  | { readonly t: 'ValTuple'; readonly items: readonly Expr[] };

/** The reference parser's Go type of a node, as its error messages print it (`%T`). */
function goType(e: Expr): string {
  return e.t === 'BoolVal' || e.t === 'ValTuple' ? `sqlparser.${e.t}` : `*sqlparser.${e.t}`;
}

type SelectExpr = { readonly t: 'Star' } | { readonly t: 'Expr'; readonly expr: Expr };

interface SelectStmt {
  readonly exprs: readonly SelectExpr[];
  readonly table: { readonly qualifier: string; readonly name: string };
  readonly where: Expr | undefined;
  readonly limit: { readonly offset: Expr | undefined; readonly rowcount: Expr } | undefined;
}

type TokKind = 'id' | 'int' | 'float' | 'str' | 'op' | 'eof';
interface Tok {
  readonly kind: TokKind;
  readonly text: string;
  /** For identifiers: quoted (`name`), so never a keyword. */
  readonly quoted: boolean;
  /** The position just after the token, 1-based, as the reference's syntax errors count. */
  readonly end: number;
}

const RESERVED = new Set([
  'select',
  'from',
  'where',
  'limit',
  'and',
  'or',
  'not',
  'in',
  'is',
  'null',
  'true',
  'false',
  'between',
  'like',
  'as',
  'order',
  'group',
  'by',
  'having',
  'distinct',
  'union',
  'join',
]);

const OPERATORS = ['<=>', '<>', '!=', '<=', '>=', '||', '&&', '=', '<', '>', '(', ')', ',', '.'];
const SINGLE_OPS = '*+-/%!';

function tokenize(sql: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  const err = (at: number): ProcessorError =>
    badRequest(`syntax error at position ${at + 1} near '${sql.slice(at, at + 10)}'`);
  while (i < sql.length) {
    const c = sql.charAt(i);
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      let j = i + 1;
      while (j < sql.length && /[A-Za-z0-9_$]/.test(sql.charAt(j))) j++;
      out.push({ kind: 'id', text: sql.slice(i, j), quoted: false, end: j + 1 });
      i = j;
      continue;
    }
    if (c === '`') {
      const j = sql.indexOf('`', i + 1);
      if (j < 0) throw err(i);
      out.push({ kind: 'id', text: sql.slice(i + 1, j), quoted: true, end: j + 2 });
      i = j + 1;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      const m = /^(\d*\.\d+|\d+\.?\d*)([eE][+-]?\d+)?/.exec(sql.slice(i));
      const text = m?.[0] ?? c;
      const isFloat = /[.eE]/.test(text);
      // A digit run followed by letters (`1abc`) is an identifier in MySQL; refuse it plainly.
      if (/[A-Za-z_$]/.test(sql[i + text.length] ?? '')) throw err(i);
      out.push({ kind: isFloat ? 'float' : 'int', text, quoted: false, end: i + text.length + 1 });
      i += text.length;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      let s = '';
      for (;;) {
        if (j >= sql.length) throw err(i);
        const d = sql.charAt(j);
        if (d === c) {
          if (sql[j + 1] === c) {
            s += c;
            j += 2;
            continue;
          }
          break;
        }
        if (d === '\\' && j + 1 < sql.length) {
          const e = sql.charAt(j + 1);
          s += ESCAPES[e] ?? e;
          j += 2;
          continue;
        }
        s += d;
        j++;
      }
      out.push({ kind: 'str', text: s, quoted: false, end: j + 2 });
      i = j + 1;
      continue;
    }
    const op = OPERATORS.find((o) => sql.startsWith(o, i));
    if (op !== undefined) {
      out.push({ kind: 'op', text: op, quoted: false, end: i + op.length + 1 });
      i += op.length;
      continue;
    }
    if (SINGLE_OPS.includes(c)) {
      out.push({ kind: 'op', text: c, quoted: false, end: i + 2 });
      i++;
      continue;
    }
    throw err(i);
  }
  out.push({ kind: 'eof', text: '', quoted: false, end: sql.length + 1 });
  return out;
}

const ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0',
  b: '\b',
  n: '\n',
  r: '\r',
  t: '\t',
  Z: '\x1a',
};

const EOF: Tok = { kind: 'eof', text: '', quoted: false, end: 0 };

const MAX_NESTING = 200;

class SelectParser {
  private pos = 0;
  private depth = 0;

  constructor(private readonly toks: readonly Tok[]) {}

  private get tok(): Tok {
    return this.toks[this.pos] ?? EOF;
  }

  private fail(): never {
    const t = this.tok;
    throw badRequest(
      t.kind === 'eof'
        ? `syntax error at position ${t.end}`
        : `syntax error at position ${t.end} near '${t.text}'`,
    );
  }

  private isKw(kw: string): boolean {
    const t = this.tok;
    return t.kind === 'id' && !t.quoted && t.text.toLowerCase() === kw;
  }

  private acceptKw(kw: string): boolean {
    if (!this.isKw(kw)) return false;
    this.pos++;
    return true;
  }

  private expectKw(kw: string): void {
    if (!this.acceptKw(kw)) this.fail();
  }

  private isOp(op: string): boolean {
    return this.tok.kind === 'op' && this.tok.text === op;
  }

  private acceptOp(op: string): boolean {
    if (!this.isOp(op)) return false;
    this.pos++;
    return true;
  }

  private expectOp(op: string): void {
    if (!this.acceptOp(op)) this.fail();
  }

  /** An identifier; after a `.` reserved words are names too. */
  private ident(anyWord: boolean): string {
    const t = this.tok;
    if (t.kind !== 'id' || (!anyWord && !t.quoted && RESERVED.has(t.text.toLowerCase()))) {
      this.fail();
    }
    this.pos++;
    return t.text;
  }

  parse(): SelectStmt {
    this.expectKw('select');
    const exprs: SelectExpr[] = [];
    do {
      if (this.acceptOp('*')) exprs.push({ t: 'Star' });
      else exprs.push({ t: 'Expr', expr: this.expr() });
    } while (this.acceptOp(','));
    this.expectKw('from');
    const first = this.ident(false);
    const table = this.acceptOp('.')
      ? { qualifier: first, name: this.ident(true) }
      : { qualifier: '', name: first };
    const where = this.acceptKw('where') ? this.expr() : undefined;
    let limit: SelectStmt['limit'];
    if (this.acceptKw('limit')) {
      const a = this.expr();
      if (this.acceptOp(',')) limit = { offset: a, rowcount: this.expr() };
      else if (this.acceptKw('offset')) limit = { offset: this.expr(), rowcount: a };
      else limit = { offset: undefined, rowcount: a };
    }
    if (this.tok.kind !== 'eof') this.fail();
    return { exprs, table, where, limit };
  }

  /** Nesting is bounded, so that no query can overflow the stack. */
  private nested<T>(parse: () => T): T {
    if (++this.depth > MAX_NESTING) throw badRequest('syntax error: the query nests too deeply');
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  private expr(): Expr {
    return this.nested(() => this.or());
  }

  private or(): Expr {
    let left = this.and();
    while (this.acceptKw('or') || this.acceptOp('||'))
      left = { t: 'OrExpr', left, right: this.and() };
    return left;
  }

  private and(): Expr {
    let left = this.not();
    while (this.acceptKw('and') || this.acceptOp('&&'))
      left = { t: 'AndExpr', left, right: this.not() };
    return left;
  }

  private not(): Expr {
    if (this.acceptKw('not')) return { t: 'NotExpr', expr: this.nested(() => this.not()) };
    return this.predicate();
  }

  private predicate(): Expr {
    const left = this.additive();
    const t = this.tok;
    if (t.kind === 'op' && ['=', '<', '>', '<=', '>=', '!=', '<>', '<=>'].includes(t.text)) {
      this.pos++;
      return {
        t: 'ComparisonExpr',
        op: t.text === '<>' ? '!=' : t.text,
        left,
        right: this.additive(),
      };
    }
    if (this.acceptKw('is')) {
      const neg = this.acceptKw('not');
      for (const v of ['null', 'true', 'false']) {
        if (this.acceptKw(v)) return { t: 'IsExpr', op: `is ${neg ? 'not ' : ''}${v}`, expr: left };
      }
      this.fail();
    }
    const neg = this.acceptKw('not');
    if (this.acceptKw('in')) {
      return { t: 'ComparisonExpr', op: neg ? 'not in' : 'in', left, right: this.tuple() };
    }
    if (this.acceptKw('like')) {
      return { t: 'ComparisonExpr', op: neg ? 'not like' : 'like', left, right: this.additive() };
    }
    if (this.acceptKw('between')) {
      const from = this.additive();
      this.expectKw('and');
      return {
        t: 'RangeCond',
        op: neg ? 'not between' : 'between',
        left,
        from,
        to: this.additive(),
      };
    }
    if (neg) this.fail();
    return left;
  }

  private tuple(): Expr {
    this.expectOp('(');
    const items: Expr[] = [this.expr()];
    while (this.acceptOp(',')) items.push(this.expr());
    this.expectOp(')');
    return { t: 'ValTuple', items };
  }

  private additive(): Expr {
    let left = this.multiplicative();
    for (;;) {
      const op = this.tok.kind === 'op' && ['+', '-'].includes(this.tok.text) ? this.tok.text : '';
      if (op === '') return left;
      this.pos++;
      left = { t: 'BinaryExpr', op, left, right: this.multiplicative() };
    }
  }

  private multiplicative(): Expr {
    let left = this.unary();
    for (;;) {
      const op =
        this.tok.kind === 'op' && ['*', '/', '%'].includes(this.tok.text) ? this.tok.text : '';
      if (op === '') return left;
      this.pos++;
      left = { t: 'BinaryExpr', op, left, right: this.unary() };
    }
  }

  private unary(): Expr {
    if (this.acceptOp('-')) {
      const e = this.nested(() => this.unary());
      // As the reference parser: a negated integer literal is a literal.
      if (e.t === 'SQLVal' && e.kind === 'int' && !e.val.startsWith('-')) {
        return { t: 'SQLVal', kind: 'int', val: `-${e.val}` };
      }
      return { t: 'UnaryExpr', op: '-', expr: e };
    }
    if (this.acceptOp('+')) {
      const e = this.nested(() => this.unary());
      return e.t === 'SQLVal' && e.kind === 'int' ? e : { t: 'UnaryExpr', op: '+', expr: e };
    }
    if (this.acceptOp('!'))
      return { t: 'UnaryExpr', op: '!', expr: this.nested(() => this.unary()) };
    return this.primary();
  }

  private primary(): Expr {
    const t = this.tok;
    switch (t.kind) {
      case 'int':
      case 'float':
      case 'str':
        this.pos++;
        return { t: 'SQLVal', kind: t.kind, val: t.text };
      case 'op':
        if (t.text !== '(') this.fail();
        this.pos++;
        {
          const e = this.expr();
          if (this.acceptOp(')')) return { t: 'ParenExpr', expr: e };
          const items = [e];
          while (this.acceptOp(',')) items.push(this.expr());
          this.expectOp(')');
          return { t: 'ValTuple', items };
        }
      case 'id': {
        if (this.acceptKw('null')) return { t: 'NullVal' };
        if (this.acceptKw('true')) return { t: 'BoolVal', val: true };
        if (this.acceptKw('false')) return { t: 'BoolVal', val: false };
        const name = this.ident(false);
        if (this.acceptOp('(')) {
          const args: Expr[] = [];
          if (!this.acceptOp(')')) {
            do args.push(this.expr());
            while (this.acceptOp(','));
            this.expectOp(')');
          }
          return { t: 'FuncExpr', name, args };
        }
        if (!this.acceptOp('.')) return { t: 'ColName', qualifier: '', name };
        const second = this.ident(true);
        // `a.b.c` is column c of table a.b; as the reference, its qualifier is `b`.
        if (!this.acceptOp('.')) return { t: 'ColName', qualifier: name, name: second };
        return { t: 'ColName', qualifier: second, name: this.ident(true) };
      }
      default:
        this.fail();
    }
  }
}

function parseSelect(sql: string): SelectStmt {
  return new SelectParser(tokenize(sql)).parse();
}

// ---------------------------------------------------------------------------------------------
// Running a query
// ---------------------------------------------------------------------------------------------

const PLOG = 'sys.plog';
const WLOG = 'sys.wlog';

/** The fields of a PLog / WLog event row, as the reference names them. */
const EVENT_FIELDS = [
  'QName',
  'ArgumentObject',
  'CUDs',
  'RegisteredAt',
  'Synced',
  'DeviceID',
  'SyncedAt',
  'Error',
];
const WLOG_FIELDS = ['WlogOffset', ...EVENT_FIELDS];
const PLOG_FIELDS = ['PlogOffset', ...EVENT_FIELDS, 'Workspace', 'WLogOffset'];

const RECORD_KINDS = new Set(['CDoc', 'CRecord', 'WDoc', 'WRecord', 'ODoc', 'ORecord']);

/** The selected fields: every field, or these (names as the schema spells them). */
type Selection =
  | { readonly all: true }
  | { readonly all: false; readonly fields: ReadonlySet<string> };

const selected = (sel: Selection, name: string): boolean => sel.all || sel.fields.has(name);

async function* run(src: SqlSources, query: string): AsyncGenerator<string> {
  const op = parseDml(query);
  checkTarget(src, op);
  const stmt = parseSelect(op.cleanSql);

  const tableName =
    stmt.table.qualifier === '' ? stmt.table.name : `${stmt.table.qualifier}.${stmt.table.name}`;
  const lowered = tableName.toLowerCase();
  const log = lowered === PLOG ? PLOG : lowered === WLOG ? WLOG : undefined;
  const type = log === undefined ? findType(src.app, tableName) : undefined;
  const qname = log ?? type?.name ?? tableName;
  const fieldsOf = type === undefined ? undefined : fieldNames(type);

  const names = new Set<string>();
  let all = false;
  for (const e of stmt.exprs) {
    if (e.t === 'Star') {
      all = true;
      continue;
    }
    const x = e.expr;
    if (x.t === 'FuncExpr') {
      throw badRequest(
        `function ${x.name}() is not supported: blob functions are not available here`,
      );
    }
    if (x.t !== 'ColName') throw badRequest(`unsupported select expression: ${goType(x)}`);
    const written = x.qualifier === '' ? x.name : `${x.qualifier}.${x.name}`;
    // Log fields are matched as written, as the reference does (WlogOffset is not WLogOffset).
    const name = log === undefined ? recoverName(fieldsOf, written) : written;
    if (names.has(name))
      throw badRequest(`field ${JSON.stringify(name)} is selected more than once`);
    names.add(name);
  }
  const sel: Selection = all ? { all: true } : { all: false, fields: names };

  if (type !== undefined && (type.kind === 'ViewRecord' || RECORD_KINDS.has(type.kind))) {
    // The reference checks the selected fields with the ACL, which refuses unknown ones.
    for (const n of names) {
      if (!fieldsOf?.includes(n))
        throw badRequest(`not found: field «${n}» in ${type.kind} «${qname}»`);
    }
  }
  const limit = limitOf(stmt.limit);

  if (type?.kind === 'ViewRecord') {
    if (op.entityId > 0) throw badRequest('ID must not be specified on select from view');
    yield* readView(src, type, stmt.where, sel, limit ?? Number.POSITIVE_INFINITY);
    return;
  }
  if (type !== undefined && RECORD_KINDS.has(type.kind)) {
    yield* readRecords(
      src,
      type as StructureDef,
      stmt.where,
      op.entityId,
      sel,
      limit ?? Number.POSITIVE_INFINITY,
    );
    return;
  }
  if (log !== undefined) {
    yield* readLog(src, log, stmt.where, op.entityId, sel, limit ?? SQL_QUERY_DEFAULT_LIMIT);
    return;
  }
  throw badRequest(
    `do not know how to read from the requested ${qname}, TypeKind_${type?.kind ?? 'null'}`,
  );
}

/** The type of a table name; names the reference parser lower-cases are found case-insensitively. */
function findType(app: AppDef, name: string): TypeDef | undefined {
  const exact = app.type(name);
  if (exact !== undefined) return exact;
  const lower = name.toLowerCase();
  return app.types().find((t) => t.name.toLowerCase() === lower);
}

function fieldNames(t: TypeDef): string[] | undefined {
  if (t.kind === 'ViewRecord') return viewFields(t).map((f) => f.name);
  if ('fields' in t) return t.fields.map((f) => f.name);
  return undefined;
}

function viewFields(v: ViewDef): FieldDef[] {
  return [...v.partitionKey, ...v.clusteringColumns, ...v.value];
}

/** A field name as the schema spells it, when only its case differs; else as written. */
function recoverName(fields: readonly string[] | undefined, name: string): string {
  if (fields === undefined || fields.includes(name)) return name;
  const lower = name.toLowerCase();
  return fields.find((f) => f.toLowerCase() === lower) ?? name;
}

/** The `limit` row count: undefined without a limit clause, Infinity for `limit -1`. */
function limitOf(limit: SelectStmt['limit']): number | undefined {
  if (limit === undefined) return undefined;
  if (limit.offset !== undefined) {
    throw badRequest('limit with an offset is not supported: use where offset >= N for logs');
  }
  const v = limit.rowcount;
  if (v.t !== 'SQLVal') throw badRequest(`unsupported limit value expression: ${goType(v)}`);
  const n = parseInt64(v.val);
  if (n < -1) throw badRequest('limit must be greater than -2');
  return n === -1 ? Number.POSITIVE_INFINITY : n;
}

// Records -------------------------------------------------------------------------------------

async function* readRecords(
  src: SqlSources,
  type: StructureDef,
  where: Expr | undefined,
  entityId: number,
  sel: Selection,
  limit: number,
): AsyncGenerator<string> {
  const ids: number[] = [];
  if (where !== undefined) {
    if (where.t !== 'ComparisonExpr') throw badRequest(`unsupported expression: ${goType(where)}`);
    if (where.left.t !== 'ColName') {
      throw badRequest(`unsupported column reference expression: ${goType(where.left)}`);
    }
    if (where.left.name.toLowerCase() !== 'id') {
      throw badRequest(`unsupported column name: ${where.left.name}`);
    }
    const idOf = (e: Expr): number => {
      if (e.t !== 'SQLVal') throw badRequest(`unsupported id value expression: ${goType(e)}`);
      return parseUint(e.val);
    };
    if (where.op === '=') ids.push(idOf(where.right));
    else if (where.op === 'in' && where.right.t === 'ValTuple')
      ids.push(...where.right.items.map(idOf));
    else throw badRequest(`unsupported operation: ${where.op}`);
  }

  const singleton = type.singleton;
  if (singleton && (entityId > 0 || ids.length > 0)) {
    throw badRequest('conditions are not allowed to query a singleton');
  }
  if (!singleton && entityId > 0 && ids.length > 0) {
    throw badRequest("record ID and 'where id ...' clause can not be used in one query");
  }
  if (!singleton && entityId === 0 && ids.length === 0) {
    throw badRequest(`'${type.name}' is not a singleton. At least one record ID must be provided`);
  }
  if (singleton) ids.push(src.structs.names.singletonId(type.name) ?? 0);
  else if (ids.length === 0) ids.push(entityId);

  let count = 0;
  for (const id of ids) {
    if (count >= limit) return;
    const values =
      type.kind === 'ODoc' || type.kind === 'ORecord'
        ? await oRecordValues(src, type.name, id)
        : await cwRecordValues(src, type.name, id);
    const out: Record<string, unknown> = {};
    for (const f of type.fields) {
      if (selected(sel, f.name)) out[f.name] = f.name in values ? values[f.name] : zeroOf(f.data);
    }
    yield goJson(out);
    count++;
  }
}

async function cwRecordValues(
  src: SqlSources,
  qname: string,
  id: number,
): Promise<Record<string, unknown>> {
  const r = await src.structs.getRecord(src.wsid, id);
  if (r === undefined) throw badRequest(`record with ID '${id}' not found`);
  if (r.qname !== qname)
    throw badRequest(`record with ID '${id}' has mismatching QName '${r.qname}'`);
  return { ...recordValue(r) };
}

/** An ODoc or ORecord: kept in the event that created it, found by sys.RecordsRegistry. */
async function oRecordValues(
  src: SqlSources,
  qname: string,
  id: number,
): Promise<Record<string, unknown>> {
  const reg = await src.structs.registeredRecord(src.wsid, id);
  if (reg === undefined) throw badRequest(`record with ID '${id}' not found`);
  if (reg.qname !== qname) {
    throw badRequest(`record with ID '${id}' has mismatching QName '${reg.qname}'`);
  }
  const node = await src.structs.getORecord(src.wsid, id, reg);
  if (node === undefined) throw badRequest(`record with ID '${id}' not found`);
  const out: Record<string, unknown> = { 'sys.QName': node.qname, 'sys.ID': node.id };
  if (node.parentId !== 0) out['sys.ParentID'] = node.parentId;
  if (node.container !== '') out['sys.Container'] = node.container;
  return Object.assign(out, node.fields);
}

/** The value Go's reader gives a field that has none. */
function zeroOf(kind: DataKind): unknown {
  switch (kind) {
    case 'string':
      return '';
    case 'QName':
      return '.';
    case 'bool':
      return false;
    case 'bytes':
    case 'Event':
      return null;
    case 'Record':
      return {};
    default:
      return 0;
  }
}

// Views ---------------------------------------------------------------------------------------

async function* readView(
  src: SqlSources,
  view: ViewDef,
  where: Expr | undefined,
  sel: Selection,
  limit: number,
): AsyncGenerator<string> {
  const parts: { name: string; value: Expr }[] = [];
  const collect = (e: Expr | undefined): void => {
    if (e === undefined) return;
    if (e.t === 'AndExpr') {
      collect(e.left);
      collect(e.right);
      return;
    }
    if (e.t !== 'ComparisonExpr') throw badRequest(`unsupported expression: ${goType(e)}`);
    if (e.op !== '=') throw badRequest(`unsupported operator: ${e.op}`);
    if (e.left.t !== 'ColName') {
      throw badRequest(`unsupported column reference expression: ${goType(e.left)}`);
    }
    const name = e.left.qualifier === '' ? e.left.name : `${e.left.qualifier}.${e.left.name}`;
    parts.push({ name, value: e.right });
  };
  collect(where);

  const keyFields = [...view.partitionKey, ...view.clusteringColumns];
  const key: Record<string, unknown> = {};
  for (const p of parts) {
    const name = recoverName(
      keyFields.map((f) => f.name),
      p.name,
    );
    const f = keyFields.find((k) => k.name === name);
    if (f === undefined)
      throw badRequest(`field '${p.name}' does not exist in '${view.name}' key def`);
    key[f.name] = keyValue(src, view, f, p.value);
  }
  for (const f of view.partitionKey) {
    if (!(f.name in key)) {
      throw badRequest(
        `partition key field «${f.name}» of view «${view.name}» is not specified: every partition key field must be given with =`,
      );
    }
  }
  const cc = view.clusteringColumns;
  const hole = cc.findIndex((f) => !(f.name in key));
  if (hole >= 0 && cc.slice(hole + 1).some((f) => f.name in key)) {
    throw badRequest(
      `clustering columns of view «${view.name}» have a hole at field «${cc[hole]?.name}»: give them left to right`,
    );
  }
  if (limit <= 0) return;

  let count = 0;
  for await (const row of src.structs.readView(src.wsid, view, key)) {
    const out: Record<string, unknown> = {};
    for (const f of viewFields(view)) {
      if (!selected(sel, f.name)) continue;
      if (f.name === 'sys.QName') out[f.name] = view.name;
      else if (f.data === 'Record') out[f.name] = nestedRecord(row[f.name]);
      else out[f.name] = row[f.name] ?? zeroOf(f.data);
    }
    yield goJson(out);
    if (++count >= limit) return;
  }
}

/** A record kept in a view field: its fields with a value, as the reference's FieldsToMap. */
function nestedRecord(v: unknown): unknown {
  if (v === null || v === undefined || typeof v !== 'object') return {};
  return recordValue(v as RecordRow);
}

/** A literal of the where clause as the value of a key field of its kind. */
function keyValue(src: SqlSources, view: ViewDef, f: FieldDef, e: Expr): unknown {
  const bad = (what: string): ProcessorError =>
    badRequest(
      `key field «${f.name}» of view «${view.name}» is ${f.data}: ${what} is not a valid value`,
    );
  const shown = e.t === 'SQLVal' ? (e.kind === 'str' ? `'${e.val}'` : e.val) : goType(e);
  switch (f.data) {
    case 'int8':
    case 'int16':
    case 'int32':
    case 'int64':
    case 'RecordID': {
      if (e.t !== 'SQLVal' || e.kind !== 'int') throw bad(shown);
      const n = Number(e.val);
      const [min, max] = INT_RANGES[f.data];
      if (!Number.isSafeInteger(n) || n < min || n > max) throw bad(shown);
      return n;
    }
    case 'float32':
    case 'float64': {
      if (e.t !== 'SQLVal' || e.kind === 'str') throw bad(shown);
      return Number(e.val);
    }
    case 'bool':
      if (e.t !== 'BoolVal') throw bad(shown);
      return e.val;
    case 'string':
      if (e.t !== 'SQLVal' || e.kind !== 'str') throw bad(shown);
      return e.val;
    case 'QName': {
      if (e.t !== 'SQLVal' || e.kind !== 'str') throw bad(shown);
      try {
        src.structs.names.qnameId(e.val);
      } catch {
        throw badRequest(`key field «${f.name}» of view «${view.name}»: unknown QName '${e.val}'`);
      }
      return e.val;
    }
    case 'bytes': {
      if (e.t !== 'SQLVal' || e.kind !== 'str' || !/^[A-Za-z0-9+/]*={0,2}$/.test(e.val)) {
        throw bad(e.t === 'SQLVal' ? `${shown} (bytes are given as a base64 string)` : shown);
      }
      return new Uint8Array(Buffer.from(e.val, 'base64'));
    }
    default:
      throw badRequest(`unsupported data kind ${f.data} of key field «${f.name}»`);
  }
}

const INT_RANGES: Readonly<
  Record<'int8' | 'int16' | 'int32' | 'int64' | 'RecordID', readonly [number, number]>
> = {
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-2147483648, 2147483647],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  RecordID: [0, Number.MAX_SAFE_INTEGER],
};

// Logs ----------------------------------------------------------------------------------------

async function* readLog(
  src: SqlSources,
  log: typeof PLOG | typeof WLOG,
  where: Expr | undefined,
  entityId: number,
  sel: Selection,
  limitArg: number,
): AsyncGenerator<string> {
  let from = 1;
  let eq = false;
  if (where === undefined) {
    if (entityId > 0) from = entityId;
  } else {
    if (where.t !== 'ComparisonExpr') throw badRequest(`unsupported expression: ${goType(where)}`);
    if (where.left.t !== 'ColName') {
      throw badRequest(`unsupported column reference expression: ${goType(where.left)}`);
    }
    if (where.left.name.toLowerCase() !== 'offset') {
      throw badRequest(`unsupported column name: ${where.left.name}`);
    }
    if (entityId > 0) {
      throw badRequest(
        "both .Offset and 'where offset ...' clause can not be provided in one query",
      );
    }
    if (where.right.t !== 'SQLVal') {
      throw badRequest(`unsupported offset value expression: ${goType(where.right)}`);
    }
    const v = parseUint(where.right.val);
    switch (where.op) {
      case '=':
        eq = true;
        from = v;
        break;
      case '>=':
        from = v;
        break;
      case '>':
        from = v + 1;
        break;
      default:
        throw badRequest(`unsupported operation: ${where.op}`);
    }
    if (from <= 0) throw badRequest('offset must be greater than zero');
  }
  const limit = eq && limitArg !== 0 ? 1 : limitArg;

  const known = log === PLOG ? PLOG_FIELDS : WLOG_FIELDS;
  if (!sel.all) {
    for (const f of sel.fields)
      if (!known.includes(f)) throw badRequest(`field '${f}' not found in def`);
  }
  if (limit <= 0) return;

  const to = from + limit <= Number.MAX_SAFE_INTEGER ? from + limit : undefined;
  const events =
    log === WLOG
      ? src.structs.readWLog(src.wsid, from, to)
      : src.structs.readPLog(src.wsid % src.partitions, from, to);
  let count = 0;
  for await (const e of events) {
    const data: Record<string, unknown> = {};
    if (log === WLOG) {
      if (selected(sel, 'WlogOffset')) data.WlogOffset = e.wlogOffset;
    } else {
      if (selected(sel, 'PlogOffset')) data.PlogOffset = e.plogOffset;
      if (selected(sel, 'Workspace')) data.Workspace = e.wsid;
      if (selected(sel, 'WLogOffset')) data.WLogOffset = e.wlogOffset;
    }
    renderEvent(data, sel, src.app, e);
    yield goJson(data);
    if (++count >= limit) return;
  }
}

/** An event with all its fields, as SqlQuery's log rows and the Journal render it. */
export function eventMap(app: AppDef, e: DbEvent): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  renderEvent(data, { all: true }, app, e);
  return data;
}

/** The event fields of a log row, as the reference's renderDBEvent. */
function renderEvent(data: Record<string, unknown>, sel: Selection, app: AppDef, e: DbEvent): void {
  if (selected(sel, 'QName')) data.QName = e.qname;
  if (selected(sel, 'ArgumentObject'))
    data.ArgumentObject = e.argument === null ? {} : objectMap(e.argument);
  if (selected(sel, 'CUDs')) {
    data.CUDs = [
      ...e.creates.map((r) => ({
        'sys.ID': r.id,
        'sys.QName': r.qname,
        IsNew: true,
        fields: recordValue(r, hasIsActive(app, r.qname)),
      })),
      ...e.updates.map((u) => {
        const fields: Record<string, unknown> = { 'sys.QName': u.qname, 'sys.ID': u.id };
        if (hasIsActive(app, u.qname)) fields['sys.IsActive'] = u.isActive ?? true;
        for (const [k, v] of Object.entries(u.fields))
          if (v !== null && v !== undefined) fields[k] = v;
        return { 'sys.ID': u.id, 'sys.QName': u.qname, IsNew: false, fields };
      }),
    ];
  }
  if (selected(sel, 'RegisteredAt')) data.RegisteredAt = e.registeredAt;
  if (selected(sel, 'Synced')) data.Synced = e.synced;
  if (selected(sel, 'DeviceID')) data.DeviceID = e.deviceId;
  if (selected(sel, 'SyncedAt')) data.SyncedAt = e.syncedAt;
  if (selected(sel, 'Error') && e.error !== null) {
    data.Error = {
      ErrStr: e.error.message,
      QNameFromParams: e.error.originalQName === '' ? '.' : e.error.originalQName,
      // Not kept by this implementation's event store.
      ValidEvent: false,
      OriginalEventBytes: null,
    };
  }
}

function hasIsActive(app: AppDef, qname: string): boolean {
  return app.structure(qname)?.fields.some((f) => f.name === 'sys.IsActive') ?? true;
}

/** An argument object with its nested objects under their containers (the reference's ObjectToMap). */
function objectMap(n: ObjectNode): Record<string, unknown> {
  const out: Record<string, unknown> = { 'sys.QName': n.qname };
  if (n.id !== 0) out['sys.ID'] = n.id;
  if (n.parentId !== 0) out['sys.ParentID'] = n.parentId;
  if (n.container !== '') out['sys.Container'] = n.container;
  Object.assign(out, n.fields);
  for (const c of n.children) {
    const list = out[c.container];
    if (Array.isArray(list)) list.push(objectMap(c));
    else out[c.container] = [objectMap(c)];
  }
  return out;
}

// Numbers and JSON ----------------------------------------------------------------------------

/** Go's strconv.ParseUint(s, 10, 64), within the integers a JS number holds exactly. */
function parseUint(s: string): number {
  if (!/^\d+$/.test(s))
    throw badRequest(`strconv.ParseUint: parsing ${JSON.stringify(s)}: invalid syntax`);
  const n = Number(s);
  if (!Number.isSafeInteger(n)) {
    throw badRequest(`strconv.ParseUint: parsing ${JSON.stringify(s)}: value out of range`);
  }
  return n;
}

/** Go's strconv.ParseInt(s, 10, 64), within the integers a JS number holds exactly. */
function parseInt64(s: string): number {
  if (!/^[+-]?\d+$/.test(s))
    throw badRequest(`strconv.ParseInt: parsing ${JSON.stringify(s)}: invalid syntax`);
  const n = Number(s);
  if (!Number.isSafeInteger(n)) {
    throw badRequest(`strconv.ParseInt: parsing ${JSON.stringify(s)}: value out of range`);
  }
  return n;
}

const HTML_UNSAFE = /[<>&\u2028\u2029]/g;

/**
 * JSON as Go's encoding/json writes a map: keys sorted, bytes as base64, `<`, `>`, `&`, U+2028
 * and U+2029 escaped.
 */
export function goJson(v: unknown): string {
  return write(v).replace(
    HTML_UNSAFE,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function write(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') return Number.isFinite(v) ? JSON.stringify(v) : 'null';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'string' || typeof v === 'boolean') return JSON.stringify(v);
  if (v instanceof Uint8Array) {
    return JSON.stringify(Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64'));
  }
  if (Array.isArray(v)) return `[${v.map(write).join(',')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${keys.map((k) => `${JSON.stringify(k)}:${write(o[k])}`).join(',')}}`;
  }
  return 'null';
}
