// Grammar pieces shared by many statements: names, literals, data types, WITH clauses.
import {
  type DataTypeNode,
  type DefQName,
  type FieldType,
  type Ident,
  node,
  type ScalarTypeName,
  type WithItem,
} from '../ast.js';
import { type Cursor, unquoteIdent, unquoteString } from './cursor.js';
import { T } from './token.js';

/** `name` or `pkg.name`. */
export function qname(p: Cursor): DefQName {
  const first = p.consumeIdent();
  if (p.eat(T.Dot) === undefined) {
    return node({ pkg: '', name: unquoteIdent(first.text), pos: p.pos(first) });
  }
  const second = p.consumeIdent();
  return node({
    pkg: unquoteIdent(first.text),
    name: unquoteIdent(second.text),
    pos: p.pos(first),
  });
}

export function qnameList(p: Cursor): DefQName[] {
  const list = [qname(p)];
  while (p.eat(T.Comma) !== undefined) list.push(qname(p));
  return list;
}

export function identList(p: Cursor): Ident[] {
  const list = [p.ident(p.consumeIdent())];
  while (p.eat(T.Comma) !== undefined) list.push(p.ident(p.consumeIdent()));
  return list;
}

/** `( qname, ... )` */
export function parenQnameList(p: Cursor): DefQName[] {
  p.consume(T.LParen);
  const list = qnameList(p);
  p.consume(T.RParen);
  return list;
}

export function intValue(p: Cursor): number {
  return Number.parseInt(p.consume(T.Int).text, 10);
}

export function stringValue(p: Cursor): string {
  return unquoteString(p.consume(T.String).text);
}

/** Consumes one of the keywords `words` and returns it. */
export function oneOf<W extends string>(p: Cursor, words: readonly W[]): W {
  for (const w of words) if (p.atKw(w)) return p.next().text as W;
  return p.fail();
}

// ---- data types ----

/** Single-word type names and their aliases (core.md §1.2-1.3). */
const oneWordTypes: ReadonlyMap<string, ScalarTypeName> = new Map<string, ScalarTypeName>([
  ['varchar', 'varchar'],
  ['text', 'varchar'],
  ['varbinary', 'bytes'],
  ['bytes', 'bytes'],
  ['tinyint', 'int8'],
  ['int8', 'int8'],
  ['smallint', 'int16'],
  ['int16', 'int16'],
  ['integer', 'int32'],
  ['int', 'int32'],
  ['int32', 'int32'],
  ['bigint', 'int64'],
  ['int64', 'int64'],
  ['real', 'float32'],
  ['float', 'float32'],
  ['float32', 'float32'],
  ['float64', 'float64'],
  ['timestamp', 'timestamp'],
  ['money', 'currency'],
  ['currency', 'currency'],
  ['boolean', 'bool'],
  ['bool', 'bool'],
  ['blob', 'blob'],
  ['qname', 'qname'],
]);

/** Two- and three-word type names: first word -> following words -> type. */
const multiWordTypes: ReadonlyMap<string, readonly [readonly string[], ScalarTypeName][]> = new Map(
  [
    ['character', [[['varying'], 'varchar']]],
    [
      'binary',
      [
        [['varying'], 'bytes'],
        [['large', 'object'], 'blob'],
      ],
    ],
    ['double', [[['precision'], 'float64']]],
    ['qualified', [[['name'], 'qname']]],
  ] as [string, readonly [readonly string[], ScalarTypeName][]][],
);

const DATA_TYPE = 'a data type';

/** Whether a data type (rather than a type name) starts here: multi-word names need their second word. */
export function startsDataType(p: Cursor): boolean {
  const t = p.peek();
  if (t.type !== T.Ident) return false;
  if (oneWordTypes.has(t.text)) return true;
  const multi = multiWordTypes.get(t.text);
  return multi?.some(([rest]) => p.isKw(rest[0] as string, 2)) ?? false;
}

export function dataType(p: Cursor): DataTypeNode {
  const start = p.peek();
  let type: ScalarTypeName | undefined;
  if (start.type === T.Ident) {
    type = oneWordTypes.get(start.text);
    if (type !== undefined) {
      p.next();
    } else {
      const multi = multiWordTypes.get(start.text);
      if (multi !== undefined) {
        p.next();
        for (const [rest, t] of multi) {
          if (p.atKw(rest[0] as string)) {
            for (const w of rest) p.consumeKw(w);
            type = t;
            break;
          }
        }
        if (type === undefined) p.fail();
      }
    }
  }
  if (type === undefined) {
    p.expecting(DATA_TYPE);
    p.fail();
  }
  let maxLen: number | undefined;
  if ((type === 'varchar' || type === 'bytes') && p.eat(T.LParen) !== undefined) {
    maxLen = intValue(p);
    p.consume(T.RParen);
  }
  return node({ kind: 'DataType', type, maxLen, pos: p.pos(start) });
}

/** A scalar data type, or the name of a TYPE or TABLE. */
export function fieldType(p: Cursor): FieldType {
  if (startsDataType(p)) return dataType(p);
  p.expecting(DATA_TYPE);
  return node({ kind: 'TypeRef' as const, ...qname(p) });
}

// ---- WITH Comment='...', Tags=(...) ----

export function withItems(p: Cursor): WithItem[] {
  p.consumeKw('WITH');
  const items = [withItem(p)];
  while (p.is(T.Comma) && (p.isKw('Comment', 2) || p.isKw('Tags', 2))) {
    p.next();
    items.push(withItem(p));
  }
  return items;
}

function withItem(p: Cursor): WithItem {
  if (p.eatKw('Comment') !== undefined) {
    p.consume(T.Compare);
    return node({ comment: stringValue(p), tags: [] });
  }
  p.consumeKw('Tags');
  p.consume(T.Compare);
  return node({ comment: undefined, tags: parenQnameList(p) });
}
