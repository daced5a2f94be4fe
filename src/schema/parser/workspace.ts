// WORKSPACE (with its descriptor and nested workspaces), ALTER WORKSPACE, and the statements a workspace
// body holds.
import {
  type AlterWorkspaceStmt,
  type DefQName,
  type DescriptorStmt,
  node,
  type RoleStmt,
  type TagStmt,
  type UseWorkspaceStmt,
  type WorkspaceStatement,
  type WorkspaceStmt,
} from '../ast.js';
import { grantStmt } from './acl.js';
import { qname, qnameList, stringValue } from './common.js';
import { type Cursor, unquoteIdent } from './cursor.js';
import { wsEngineStmt } from './extension.js';
import { statementList } from './list.js';
import { limitStmt, rateStmt } from './rate-limit.js';
import { tableItems, tableStmt, typeStmt } from './table.js';
import { T } from './token.js';
import { viewStmt } from './view.js';

/** `[ABSTRACT | ALTERABLE] [POOL OF] WORKSPACE name [INHERITS ws, ...] ([DESCRIPTOR [name] (items);] body)` */
export function workspaceStmt(p: Cursor): WorkspaceStmt {
  const start = p.peek();
  p.enter(start);
  let abstract = false;
  let alterable = false;
  if (p.eatKw('ABSTRACT') !== undefined) abstract = true;
  else if (p.eatKw('ALTERABLE') !== undefined) alterable = true;
  let pool = false;
  if (p.eatKw('POOL') !== undefined) {
    p.consumeKw('OF');
    pool = true;
  }
  p.consumeKw('WORKSPACE');
  const name = unquoteIdent(p.consumeIdent().text);
  let inherits: DefQName[] = [];
  if (p.eatKw('INHERITS') !== undefined) inherits = qnameList(p);
  p.consume(T.LParen);
  let descriptor: DescriptorStmt | undefined;
  if (p.atKw('DESCRIPTOR')) {
    p.next();
    const dStart = p.peek();
    const dName = p.is(T.Ident) ? unquoteIdent(p.next().text) : '';
    const items = tableItems(p);
    p.consume(T.Semi);
    descriptor = node({
      kind: 'Descriptor' as const,
      pos: p.pos(dStart),
      comments: p.doc(dStart),
      name: dName,
      items,
      implicit: false,
    });
  }
  const statements = workspaceBody(p);
  p.consume(T.RParen);
  p.leave();
  const pos = p.pos(start);
  if (!abstract) {
    // Every concrete workspace has a descriptor; an unnamed one is called `<Workspace>Descriptor`.
    const dname = `${name}Descriptor`;
    if (descriptor === undefined) {
      descriptor = node({
        kind: 'Descriptor',
        pos,
        comments: [],
        name: dname,
        items: [],
        implicit: true,
      });
    } else if (descriptor.name === '') {
      descriptor = node({ ...descriptor, name: dname });
    }
  }
  return node({
    kind: 'Workspace' as const,
    pos,
    comments: p.doc(start),
    name,
    abstract,
    alterable,
    pool,
    inherits,
    descriptor,
    statements,
  });
}

/** `ALTER WORKSPACE name (body)` */
export function alterWorkspaceStmt(p: Cursor): AlterWorkspaceStmt {
  const start = p.consumeKw('ALTER');
  p.consumeKw('WORKSPACE');
  const name = qname(p);
  p.consume(T.LParen);
  const statements = workspaceBody(p);
  p.consume(T.RParen);
  return node({
    kind: 'AlterWorkspace' as const,
    pos: p.pos(start),
    comments: p.doc(start),
    name,
    statements,
  });
}

const WS_STATEMENT =
  'TABLE, TYPE, VIEW, WORKSPACE, EXTENSION ENGINE, ROLE, TAG, RATE, LIMIT, GRANT, REVOKE or USE WORKSPACE';

function workspaceBody(p: Cursor): WorkspaceStatement[] {
  const statements: WorkspaceStatement[] = [];
  statementList(p, startsWsStatement, wsStatement, statements);
  return statements;
}

/** Which statement starts at the current token, by its first one or two words; undefined if none. */
function wsStatementParser(p: Cursor): ((p: Cursor) => WorkspaceStatement) | undefined {
  const t = p.peek();
  if (t.type === T.Table) return tableStmt;
  if (t.type === T.ExtensionEngine) return wsEngineStmt;
  if (t.type !== T.Ident) return undefined;
  switch (t.text) {
    case 'RATE':
      return rateStmt;
    case 'VIEW':
      return viewStmt;
    case 'USE':
      return useWorkspaceStmt;
    case 'PUBLISHED':
    case 'ROLE':
      return roleStmt;
    case 'TAG':
      return tagStmt;
    case 'ABSTRACT':
      return p.is(T.Table, 2) ? tableStmt : workspaceStmt;
    case 'ALTERABLE':
    case 'POOL':
    case 'WORKSPACE':
      return workspaceStmt;
    case 'TYPE':
      return typeStmt;
    case 'LIMIT':
      return limitStmt;
    case 'GRANT':
    case 'REVOKE':
      return grantStmt;
  }
  return undefined;
}

function startsWsStatement(p: Cursor): boolean {
  if (wsStatementParser(p) !== undefined) return true;
  p.expecting(WS_STATEMENT);
  return false;
}

function wsStatement(p: Cursor): WorkspaceStatement {
  const parse = wsStatementParser(p);
  if (parse === undefined) {
    p.expecting(WS_STATEMENT);
    return p.fail();
  }
  return parse(p);
}

/** `USE WORKSPACE name` */
function useWorkspaceStmt(p: Cursor): UseWorkspaceStmt {
  const start = p.consumeKw('USE');
  p.consumeKw('WORKSPACE');
  const ws = p.consumeIdent();
  return node({
    kind: 'UseWorkspace' as const,
    pos: p.pos(start),
    comments: p.doc(start),
    workspace: p.ident(ws),
  });
}

/** `[PUBLISHED] ROLE name` (also a package-level statement) */
export function roleStmt(p: Cursor): RoleStmt {
  const start = p.peek();
  const published = p.eatKw('PUBLISHED') !== undefined;
  p.consumeKw('ROLE');
  const name = p.consumeIdent();
  return node({
    kind: 'Role' as const,
    pos: p.pos(start),
    comments: p.doc(start),
    name: unquoteIdent(name.text),
    published,
  });
}

/** `TAG name [FEATURE 'feature']` */
function tagStmt(p: Cursor): TagStmt {
  const start = p.consumeKw('TAG');
  const name = p.consumeIdent();
  const feature = p.eatKw('FEATURE') !== undefined ? stringValue(p) : '';
  return node({
    kind: 'Tag' as const,
    pos: p.pos(start),
    comments: p.doc(start),
    name: unquoteIdent(name.text),
    feature,
  });
}
