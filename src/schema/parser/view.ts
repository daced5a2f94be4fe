// VIEW statements: value fields, reference and record fields, and the PRIMARY KEY ((partition), clustering).
import { node, type PrimaryKeyNode, type ViewItem, type ViewStmt, type WithItem } from '../ast.js';
import { dataType, identList, parenQnameList, qname, withItems } from './common.js';
import { type Cursor, unquoteIdent } from './cursor.js';
import { T } from './token.js';

/** `VIEW name (items) AS RESULT OF projector [WITH ...]` */
export function viewStmt(p: Cursor): ViewStmt {
  const start = p.consumeKw('VIEW');
  const name = p.consumeIdent();
  p.consume(T.LParen);
  const items: ViewItem[] = [];
  if (!p.is(T.RParen)) {
    items.push(viewItem(p));
    while (p.eat(T.Comma) !== undefined) items.push(viewItem(p));
  }
  p.consume(T.RParen);
  p.consumeKw('AS');
  p.consumeKw('RESULT');
  p.consumeKw('OF');
  const resultOf = qname(p);
  const withList: WithItem[] = p.atKw('WITH') ? withItems(p) : [];
  return node({
    kind: 'View' as const,
    pos: p.pos(start),
    comments: p.doc(start),
    name: unquoteIdent(name.text),
    items,
    resultOf,
    with: withList,
  });
}

function viewItem(p: Cursor): ViewItem {
  if (p.is(T.PrimaryKey)) return primaryKey(p);
  p.expecting('"PRIMARY KEY"');
  const n = p.consumeIdent();
  const name = p.ident(n);
  if (p.eatKw('ref') !== undefined) {
    const refs = p.is(T.LParen) ? parenQnameList(p) : [];
    const notNull = p.eat(T.NotNull) !== undefined;
    return node({
      kind: 'ViewRefField' as const,
      name,
      pos: name.pos,
      comments: p.doc(n),
      refs,
      notNull,
    });
  }
  if (p.eatKw('record') !== undefined) {
    const notNull = p.eat(T.NotNull) !== undefined;
    return node({
      kind: 'ViewRecordField' as const,
      name,
      pos: name.pos,
      comments: p.doc(n),
      notNull,
    });
  }
  const type = dataType(p);
  const notNull = p.eat(T.NotNull) !== undefined;
  return node({
    kind: 'ViewField' as const,
    name,
    pos: name.pos,
    comments: p.doc(n),
    type,
    notNull,
  });
}

/** `PRIMARY KEY ( [(partition, ...)] [,] [clustering, ...] )`; its position is the first key column's. */
function primaryKey(p: Cursor): PrimaryKeyNode {
  p.consume(T.PrimaryKey);
  p.consume(T.LParen);
  const start = p.peek();
  let partition: ReturnType<typeof identList> = [];
  let clustering: ReturnType<typeof identList> = [];
  if (p.eat(T.LParen) !== undefined) {
    partition = identList(p);
    p.consume(T.RParen);
  }
  p.eat(T.Comma);
  if (p.at(T.Ident)) clustering = identList(p);
  p.consume(T.RParen);
  return node({ kind: 'PrimaryKey' as const, pos: p.pos(start), partition, clustering });
}
