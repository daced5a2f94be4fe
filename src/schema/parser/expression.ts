// Expressions of CHECK (...) constraints: parsed and kept in the syntax tree; the reference does not
// evaluate them either.
import { type Expr, node } from '../ast.js';
import { qname, stringValue } from './common.js';
import type { Cursor } from './cursor.js';
import { T } from './token.js';

export function expression(p: Cursor): Expr {
  p.enter(p.peek());
  let left = andCondition(p);
  while (p.eatKw('OR') !== undefined) {
    left = node({ kind: 'Binary' as const, op: 'OR', left, right: andCondition(p) });
  }
  p.leave();
  return left;
}

function andCondition(p: Cursor): Expr {
  let left = condition(p);
  while (p.eatKw('AND') !== undefined) {
    left = node({ kind: 'Binary' as const, op: 'AND', left, right: condition(p) });
  }
  return left;
}

function condition(p: Cursor): Expr {
  if (p.eatKw('NOT') !== undefined) return node({ kind: 'Not' as const, operand: condition(p) });
  const operand = arithmetic(p);
  const compare = p.eat(T.Compare);
  if (compare !== undefined) {
    return node({ kind: 'Binary' as const, op: compare.text, left: operand, right: arithmetic(p) });
  }
  if (p.eatKw('IS') !== undefined) {
    let not = false;
    if (p.eat(T.NotNull) !== undefined) {
      not = true;
    } else {
      if (p.eatKw('NOT') !== undefined) not = true;
      p.consumeKw('NULL');
    }
    return node({ kind: 'IsNull' as const, not, operand });
  }
  if (p.eatKw('BETWEEN') !== undefined) {
    const start = arithmetic(p);
    p.consumeKw('AND');
    return node({ kind: 'Between' as const, operand, start, end: arithmetic(p) });
  }
  if (p.eatKw('IN') !== undefined) {
    return node({ kind: 'In' as const, operand, list: expressionList(p) });
  }
  return operand;
}

/** `( expr, ... )` */
function expressionList(p: Cursor): Expr[] {
  p.consume(T.LParen);
  const list = [expression(p)];
  while (p.eat(T.Comma) !== undefined) list.push(expression(p));
  p.consume(T.RParen);
  return list;
}

// One additive and one multiplicative operator at most, as in the reference grammar.
function arithmetic(p: Cursor): Expr {
  const left = factor(p);
  const op = p.eat(T.Plus) ?? p.eat(T.Minus);
  return op === undefined
    ? left
    : node({ kind: 'Binary' as const, op: op.text, left, right: factor(p) });
}

function factor(p: Cursor): Expr {
  const left = term(p);
  const op = p.eat(T.Mul);
  return op === undefined
    ? left
    : node({ kind: 'Binary' as const, op: op.text, left, right: term(p) });
}

function term(p: Cursor): Expr {
  const t = p.peek();
  switch (t.type) {
    case T.Int:
    case T.Float:
      p.next();
      return node({ kind: 'Literal' as const, value: Number(t.text) });
    case T.String:
      return node({ kind: 'Literal' as const, value: stringValue(p) });
    case T.LParen: {
      p.next();
      const e = expression(p);
      p.consume(T.RParen);
      return e;
    }
    case T.Ident:
      if (t.text === 'TRUE' || t.text === 'FALSE' || t.text === 'NULL') {
        p.next();
        return node({
          kind: 'Literal' as const,
          value: t.text === 'NULL' ? null : t.text === 'TRUE',
        });
      }
      break;
  }
  p.expecting('a value');
  const name = qname(p);
  const args = p.is(T.LParen) ? expressionList(p) : undefined;
  return node({ kind: 'Symbol' as const, name, args });
}
