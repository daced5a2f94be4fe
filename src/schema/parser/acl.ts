// GRANT ... TO role and REVOKE ... FROM role, in all their forms: on commands, queries, views, tables
// (with per-operation column lists), everything WITH TAG, and roles granted to roles.
import {
  type DefQName,
  type GrantColumn,
  type GrantStmt,
  type GrantTableAction,
  type GrantTarget,
  type Ident,
  node,
  type TableOpName,
} from '../ast.js';
import { identList, oneOf, qname } from './common.js';
import type { Cursor } from './cursor.js';
import { T, type Token } from './token.js';

/** `GRANT target TO role` or `REVOKE target FROM role` */
export function grantStmt(p: Cursor): GrantStmt {
  const start = p.peek();
  const revoke = p.isKw('REVOKE');
  p.next();
  const target = grantTarget(p);
  p.consumeKw(revoke ? 'FROM' : 'TO');
  const role = qname(p);
  return node({
    kind: revoke ? ('Revoke' as const) : ('Grant' as const),
    pos: p.pos(start),
    comments: p.doc(start),
    target,
    role,
  });
}

/** `WITH TAG name`, when present. */
function optionalTag(p: Cursor): DefQName | undefined {
  return p.eat(T.WithTag) !== undefined ? qname(p) : undefined;
}

const tableOps: readonly TableOpName[] = ['SELECT', 'INSERT', 'UPDATE', 'ACTIVATE', 'DEACTIVATE'];

function grantTarget(p: Cursor): GrantTarget {
  if (p.eat(T.Execute) !== undefined) {
    if (p.eat(T.OnCommand) !== undefined) return node({ kind: 'Command' as const, name: qname(p) });
    if (p.eat(T.OnAllCommands) !== undefined) {
      return node({ kind: 'AllCommands' as const, tag: optionalTag(p) });
    }
    if (p.eat(T.OnQuery) !== undefined) return node({ kind: 'Query' as const, name: qname(p) });
    p.consume(T.OnAllQueries);
    return node({ kind: 'AllQueries' as const, tag: optionalTag(p) });
  }
  if (p.is(T.Select)) {
    if (p.is(T.OnAllViews, 2)) {
      p.next();
      p.next();
      return node({ kind: 'AllViews' as const, tag: optionalTag(p) });
    }
    if (p.is(T.OnView, 2)) {
      p.next();
      p.next();
      return node({ kind: 'View' as const, name: qname(p), columns: [] as Ident[] });
    }
    if (p.is(T.LParen, 2) && selectColumnsOnView(p)) {
      p.next();
      p.next();
      const columns = identList(p);
      p.consume(T.RParen);
      p.consume(T.OnView);
      return node({ kind: 'View' as const, name: qname(p), columns });
    }
  }
  const first = p.peek();
  const startsTableGrant =
    first.type === T.Select ||
    (first.type === T.Ident &&
      (first.text === 'ALL' || tableOps.includes(first.text as TableOpName)));
  // `GRANT INSERT TO role` grants a role named INSERT; `GRANT ALL.x` too
  if (startsTableGrant && !p.isKw('TO', 2) && !p.is(T.Dot, 2)) return tableGrant(p);
  p.expecting('EXECUTE, SELECT, INSERT, UPDATE, ACTIVATE, DEACTIVATE, ALL or a role');
  return node({ kind: 'Role' as const, name: qname(p) });
}

/** After `SELECT (`: whether the column list is followed by ON VIEW (a view grant) rather than ON TABLE. */
function selectColumnsOnView(p: Cursor): boolean {
  for (let k = 3; k < 300; k++) {
    const t = p.peek(k);
    if (t.type === T.EOF) return false;
    if (t.type === T.RParen) return p.is(T.OnView, k + 1);
  }
  return false;
}

/** `(ALL [(cols)] | op [(cols)], ...) (ON TABLE name | ON ALL TABLES [WITH TAG tag])` */
function tableGrant(p: Cursor): GrantTarget {
  let all: { columns: Ident[] } | undefined;
  const actions: GrantTableAction[] = [];
  // where the first column list opens: columns name fields of one table, so ON ALL TABLES rejects them
  let columnList: Token | undefined;
  if (p.eatKw('ALL') !== undefined) {
    let columns: Ident[] = [];
    if (p.is(T.LParen)) {
      columnList = p.next();
      columns = identList(p);
      p.consume(T.RParen);
    }
    all = { columns };
  } else {
    const one = (): void => {
      const open = p.peek(2);
      const action = grantTableAction(p);
      if (action.columns.length > 0) columnList ??= open;
      actions.push(action);
    };
    one();
    while (p.eat(T.Comma) !== undefined) one();
  }
  if (p.eat(T.OnTable) !== undefined) {
    return node({ kind: 'Table' as const, name: qname(p), all, actions });
  }
  p.consume(T.OnAllTables);
  if (columnList !== undefined) {
    p.failAt(p.pos(columnList), 'unexpected token "(" (ON ALL TABLES takes no column list)');
  }
  return node({ kind: 'AllTables' as const, all: all !== undefined, actions, tag: optionalTag(p) });
}

function grantTableAction(p: Cursor): GrantTableAction {
  const t = p.peek();
  let op: TableOpName;
  if (p.eat(T.Select) !== undefined) op = 'SELECT';
  else op = oneOf(p, ['INSERT', 'UPDATE', 'ACTIVATE', 'DEACTIVATE'] as const);
  const columns: GrantColumn[] = [];
  if (p.eat(T.LParen) !== undefined) {
    columns.push(grantColumn(p));
    while (p.eat(T.Comma) !== undefined) columns.push(grantColumn(p));
    p.consume(T.RParen);
  }
  return node({ op, columns, pos: p.pos(t) });
}

function grantColumn(p: Cursor): GrantColumn {
  const q = qname(p);
  return node({
    name: q.pkg === '' ? q.name : `${q.pkg}.${q.name}`,
    sys: q.pkg !== '',
    pos: q.pos,
  });
}
