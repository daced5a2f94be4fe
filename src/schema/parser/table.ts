// TABLE and TYPE statements and their items: fields, reference fields, nested tables, field sets and
// constraints.
import {
  type ConstraintNode,
  type DefQName,
  type Expr,
  type FieldNode,
  node,
  type Pos,
  type TableItem,
  type TableStmt,
  type TypeStmt,
  type WithItem,
} from '../ast.js';
import {
  fieldType,
  identList,
  intValue,
  parenQnameList,
  qname,
  stringValue,
  withItems,
} from './common.js';
import { type Cursor, unquoteIdent, unquoteString } from './cursor.js';
import { expression } from './expression.js';
import { T, type Token } from './token.js';

/** `[ABSTRACT] TABLE name [INHERITS qname] (items) [WITH ...]` */
export function tableStmt(p: Cursor): TableStmt {
  const start = p.peek();
  p.enter(start);
  const abstract = p.eatKw('ABSTRACT') !== undefined;
  p.consume(T.Table);
  const name = p.consumeIdent();
  let inherits: DefQName | undefined;
  if (p.eatKw('INHERITS') !== undefined) inherits = qname(p);
  const items = tableItems(p);
  const withList: WithItem[] = p.atKw('WITH') ? withItems(p) : [];
  p.leave();
  return node({
    kind: 'Table' as const,
    pos: p.pos(start),
    comments: p.doc(start),
    name: unquoteIdent(name.text),
    abstract,
    inherits,
    items,
    with: withList,
  });
}

/** `TYPE name (items)` */
export function typeStmt(p: Cursor): TypeStmt {
  const start = p.consumeKw('TYPE');
  const name = p.consumeIdent();
  return node({
    kind: 'Type' as const,
    pos: p.pos(start),
    comments: p.doc(start),
    name: unquoteIdent(name.text),
    items: tableItems(p),
  });
}

/** `( [item, ...] )` */
export function tableItems(p: Cursor): TableItem[] {
  const items: TableItem[] = [];
  p.consume(T.LParen);
  if (!p.is(T.RParen)) {
    items.push(tableItem(p));
    while (p.eat(T.Comma) !== undefined) items.push(tableItem(p));
  }
  p.consume(T.RParen);
  return items;
}

const isItemEnd = (t: Token): boolean =>
  t.type === T.RParen || t.type === T.Comma || t.type === T.EOF;

function tableItem(p: Cursor): TableItem {
  if (p.is(T.Ident)) {
    if (p.is(T.Table, 2) || (p.isKw('ABSTRACT', 2) && p.is(T.Table, 3))) {
      const n = p.next();
      return node({
        kind: 'NestedTable' as const,
        name: unquoteIdent(n.text),
        pos: p.pos(n),
        table: tableStmt(p),
      });
    }
    if (startsConstraint(p)) return constraint(p);
    if (p.isKw('ref', 2)) return refField(p);
    if (!isItemEnd(p.peek(2)) && !p.is(T.Dot, 2)) return field(p);
  }
  p.expecting('a field');
  const type = qname(p);
  return node({ kind: 'FieldSet' as const, type, pos: type.pos });
}

function startsConstraint(p: Cursor): boolean {
  if (p.isKw('CONSTRAINT')) {
    return (
      p.is(T.Ident, 2) && (p.isKw('UNIQUEFIELD', 3) || p.isKw('UNIQUE', 3) || p.isKw('CHECK', 3))
    );
  }
  if (p.isKw('UNIQUEFIELD')) return p.is(T.Ident, 2);
  if (p.isKw('UNIQUE') || p.isKw('CHECK')) return p.is(T.LParen, 2);
  return false;
}

/** `[CONSTRAINT name] (UNIQUEFIELD f | UNIQUE (f, ...) | CHECK (expr))` */
function constraint(p: Cursor): ConstraintNode {
  const start = p.peek();
  let name = '';
  if (p.eatKw('CONSTRAINT') !== undefined) name = unquoteIdent(p.consumeIdent().text);
  let uniqueField: string | undefined;
  let unique: string[] | undefined;
  let check: Expr | undefined;
  if (p.eatKw('UNIQUEFIELD') !== undefined) {
    uniqueField = unquoteIdent(p.consumeIdent().text);
  } else if (p.eatKw('UNIQUE') !== undefined) {
    p.consume(T.LParen);
    unique = identList(p).map((i) => i.value);
    p.consume(T.RParen);
  } else {
    p.consumeKw('CHECK');
    p.consume(T.LParen);
    check = expression(p);
    p.consume(T.RParen);
  }
  return node({
    kind: 'Constraint' as const,
    name,
    pos: p.pos(start),
    comments: p.doc(start),
    uniqueField,
    unique,
    check,
  });
}

/** `name ref[(table, ...)] [NOT NULL]` */
function refField(p: Cursor): TableItem {
  const n = p.next();
  p.consumeKw('ref');
  const refs = p.is(T.LParen) ? parenQnameList(p) : [];
  const notNull = p.eat(T.NotNull) !== undefined;
  return node({
    kind: 'RefField' as const,
    name: unquoteIdent(n.text),
    pos: p.pos(n),
    refs,
    notNull,
    comments: p.doc(n),
  });
}

/**
 * `name type [NOT NULL] [VERIFIABLE] [DEFAULT value] [CHECK 'regexp'] [CHECK (expr)]`. The reference lexes
 * `DEFAULT NEXTVAL` as a token but its grammar rule is commented out, so it is a syntax error here too.
 */
function field(p: Cursor): FieldNode {
  const n = p.next();
  const type = fieldType(p);
  const notNull = p.eat(T.NotNull) !== undefined;
  const verifiable = p.eatKw('VERIFIABLE') !== undefined;
  let defaultInt: number | undefined;
  let defaultString: string | undefined;
  if (p.atKw('DEFAULT') && p.is(T.Int, 2)) {
    p.next();
    defaultInt = intValue(p);
  }
  if (p.isKw('DEFAULT') && p.is(T.String, 2)) {
    p.next();
    defaultString = stringValue(p);
  }
  if (p.isKw('DEFAULT')) {
    p.next();
    p.at(T.Int);
    p.at(T.String);
    p.fail();
  }
  let checkRegexp: { value: string; pos: Pos } | undefined;
  if (p.atKw('CHECK') && p.is(T.String, 2)) {
    p.next();
    const s = p.next();
    checkRegexp = { value: unquoteString(s.text), pos: p.pos(s) };
  }
  let checkExpr: Expr | undefined;
  if (p.isKw('CHECK')) {
    p.next();
    p.consume(T.LParen);
    checkExpr = expression(p);
    p.consume(T.RParen);
  }
  return node({
    kind: 'Field' as const,
    name: unquoteIdent(n.text),
    pos: p.pos(n),
    comments: p.doc(n),
    type,
    notNull,
    verifiable,
    defaultInt,
    defaultString,
    checkRegexp,
    checkExpr,
  });
}
