// RATE (how many operations per period, per scope) and LIMIT (which operations a rate applies to).
import {
  type DefQName,
  type LimitStmt,
  type LimitTargetKind,
  node,
  type OperationName,
  type Pos,
  type RateStmt,
  type RateUnit,
} from '../ast.js';
import { intValue, oneOf, qname } from './common.js';
import { type Cursor, unquoteIdent } from './cursor.js';
import { T } from './token.js';

const rateUnits: ReadonlyMap<string, RateUnit> = new Map<string, RateUnit>([
  ['SECOND', 'SECOND'],
  ['SECONDS', 'SECOND'],
  ['MINUTE', 'MINUTE'],
  ['MINUTES', 'MINUTE'],
  ['HOUR', 'HOUR'],
  ['HOURS', 'HOUR'],
  ['DAY', 'DAY'],
  ['DAYS', 'DAY'],
  ['YEAR', 'YEAR'],
  ['YEARS', 'YEAR'],
]);

/** `RATE name (count | variable) PER [n] unit [PER APP PARTITION | PER WORKSPACE] [PER SUBJECT | PER IP]` */
export function rateStmt(p: Cursor): RateStmt {
  const start = p.consumeKw('RATE');
  const name = p.consumeIdent();
  let count: number | undefined;
  let variable: DefQName | undefined;
  if (p.is(T.Int)) count = intValue(p);
  else {
    p.at(T.Int);
    variable = qname(p);
  }
  p.consumeKw('PER');
  const unitAmount = p.is(T.Int) ? intValue(p) : undefined;
  const unitToken = p.peek();
  const unit = unitToken.type === T.Ident ? rateUnits.get(unitToken.text) : undefined;
  if (unit === undefined) {
    if (unitAmount === undefined) p.at(T.Int);
    p.expecting('SECOND, MINUTE, HOUR, DAY or YEAR');
    p.fail();
  }
  p.next();
  let objectScope: 'AppPartition' | 'Workspace' | undefined;
  let subjectScope: 'Subject' | 'IP' | undefined;
  if (p.isKw('PER') && (p.isKw('APP', 2) || p.isKw('WORKSPACE', 2))) {
    p.next();
    if (p.eatKw('APP') !== undefined) {
      p.consumeKw('PARTITION');
      objectScope = 'AppPartition';
    } else {
      p.next();
      objectScope = 'Workspace';
    }
  }
  if (p.atKw('PER')) {
    p.next();
    subjectScope = oneOf(p, ['SUBJECT', 'IP'] as const) === 'SUBJECT' ? 'Subject' : 'IP';
  }
  return node({
    kind: 'Rate' as const,
    pos: p.pos(start),
    comments: p.doc(start),
    name: unquoteIdent(name.text),
    count,
    variable,
    unitAmount,
    unit,
    objectScope,
    subjectScope,
  });
}

function limitAction(p: Cursor): { op: OperationName; pos: Pos } {
  const t = p.peek();
  if (t.type === T.Select || t.type === T.Execute) {
    p.next();
    return { op: t.text as OperationName, pos: p.pos(t) };
  }
  const op = oneOf(p, ['ACTIVATE', 'DEACTIVATE', 'INSERT', 'UPDATE'] as const);
  return { op, pos: p.pos(t) };
}

const isLimitAction = (p: Cursor): boolean => {
  const t = p.peek();
  if (t.type === T.Select || t.type === T.Execute) return true;
  return (
    t.type === T.Ident &&
    (t.text === 'ACTIVATE' || t.text === 'DEACTIVATE' || t.text === 'INSERT' || t.text === 'UPDATE')
  );
};

const singleTargets: readonly [number, LimitTargetKind][] = [
  [T.OnCommand, 'COMMAND'],
  [T.OnQuery, 'QUERY'],
  [T.OnTable, 'TABLE'],
  [T.OnView, 'VIEW'],
];
const allTargets: readonly [number, LimitTargetKind][] = [
  [T.OnAllCommands, 'COMMAND'],
  [T.OnAllQueries, 'QUERY'],
  [T.OnAllTables, 'TABLE'],
  [T.OnAllViews, 'VIEW'],
];

function limitTarget(p: Cursor): LimitTargetKind {
  if (p.eat(T.Table) !== undefined) return 'TABLE';
  return oneOf(p, ['COMMAND', 'QUERY', 'VIEW'] as const);
}

/**
 * `LIMIT name [action, ...] (ON COMMAND|QUERY|TABLE|VIEW name | ON ALL ... [WITH TAG tag] |
 * ON EACH kind [WITH TAG tag]) WITH RATE rate`
 */
export function limitStmt(p: Cursor): LimitStmt {
  const start = p.consumeKw('LIMIT');
  const name = p.consumeIdent();
  const actions: { op: OperationName; pos: Pos }[] = [];
  if (isLimitAction(p)) {
    actions.push(limitAction(p));
    while (p.eat(T.Comma) !== undefined) actions.push(limitAction(p));
  }
  let single: LimitStmt['single'];
  let all: LimitStmt['all'];
  let each: LimitStmt['each'];
  const t = p.peek().type;
  const s = singleTargets.find(([type]) => type === t);
  const a = allTargets.find(([type]) => type === t);
  if (s !== undefined) {
    p.next();
    single = { target: s[1], name: qname(p) };
  } else if (a !== undefined) {
    p.next();
    all = { target: a[1], tag: p.eat(T.WithTag) !== undefined ? qname(p) : undefined };
  } else {
    p.expecting('ON COMMAND, ON QUERY, ON TABLE, ON VIEW, ON ALL ... or ON EACH');
    p.consumeKw('ON');
    p.consumeKw('EACH');
    const target = limitTarget(p);
    each = { target, tag: p.eat(T.WithTag) !== undefined ? qname(p) : undefined };
  }
  p.consumeKw('WITH');
  p.consumeKw('RATE');
  const rate = qname(p);
  return node({
    kind: 'Limit' as const,
    pos: p.pos(start),
    comments: p.doc(start),
    name: unquoteIdent(name.text),
    actions,
    single,
    all,
    each,
    rate,
  });
}
