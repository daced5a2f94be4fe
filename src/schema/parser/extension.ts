// EXTENSION ENGINE blocks and what they declare: functions and storages (package level), commands,
// queries, projectors and jobs (workspace level).
import {
  type ArgNode,
  type CommandStmt,
  type DefQName,
  type EngineKind,
  type ExtensionStmt,
  type FieldType,
  type FunctionStmt,
  type JobStmt,
  node,
  type ProjectorStmt,
  type QueryStmt,
  type RootExtEngineStmt,
  type StateStorageNode,
  type StorageOpName,
  type StorageScopeName,
  type StorageStmt,
  type TableActionName,
  type TriggerNode,
  type WithItem,
  type WsExtEngineStmt,
} from '../ast.js';
import {
  fieldType,
  oneOf,
  parenQnameList,
  qname,
  startsDataType,
  stringValue,
  withItems,
} from './common.js';
import { type Cursor, unquoteIdent } from './cursor.js';
import { statementList } from './list.js';
import { T } from './token.js';

function engineKind(p: Cursor): EngineKind {
  if (p.eatKw('WASM') !== undefined) return 'WASM';
  p.consumeKw('BUILTIN');
  return 'BUILTIN';
}

// ---- package level: EXTENSION ENGINE x ( FUNCTION ...; STORAGE ... ) ----

const ROOT_ENGINE_STATEMENT = 'FUNCTION or STORAGE';

function startsRootEngineStatement(p: Cursor): boolean {
  if (p.isKw('FUNCTION') || p.isKw('STORAGE')) return true;
  p.expecting(ROOT_ENGINE_STATEMENT);
  return false;
}

export function rootEngineStmt(p: Cursor): RootExtEngineStmt {
  const start = p.consume(T.ExtensionEngine);
  const engine = engineKind(p);
  p.consume(T.LParen);
  const statements: (FunctionStmt | StorageStmt)[] = [];
  statementList(
    p,
    startsRootEngineStatement,
    (c) => (c.isKw('STORAGE') ? storageStmt(c) : functionStmt(c)),
    statements,
  );
  p.consume(T.RParen);
  return node({
    kind: 'RootExtEngine' as const,
    pos: p.pos(start),
    comments: p.doc(start),
    engine,
    statements,
  });
}

/** `FUNCTION name ([name] type, ...) RETURNS type|void` */
function functionStmt(p: Cursor): FunctionStmt {
  const start = p.consumeKw('FUNCTION');
  const name = p.consumeIdent();
  p.consume(T.LParen);
  const params: { name: string | undefined; type: FieldType }[] = [];
  if (!p.is(T.RParen)) {
    params.push(functionParam(p));
    while (p.eat(T.Comma) !== undefined) params.push(functionParam(p));
  }
  p.consume(T.RParen);
  p.consumeKw('RETURNS');
  const returns = p.eatKw('void') !== undefined ? node({ kind: 'Void' as const }) : fieldType(p);
  return node({
    kind: 'Function' as const,
    pos: p.pos(start),
    comments: p.doc(start),
    name: unquoteIdent(name.text),
    params,
    returns,
  });
}

function functionParam(p: Cursor): { name: string | undefined; type: FieldType } {
  // a parameter is named when a type follows its first word: `count int32` but not `int32`, `pkg.Type`
  if (!startsDataType(p) && p.is(T.Ident) && p.is(T.Ident, 2)) {
    const n = p.next();
    return { name: unquoteIdent(n.text), type: fieldType(p) };
  }
  return { name: undefined, type: fieldType(p) };
}

const storageOps: readonly StorageOpName[] = ['GET', 'GETBATCH', 'READ', 'INSERT', 'UPDATE'];
const storageScopes: readonly StorageScopeName[] = ['COMMANDS', 'QUERIES', 'PROJECTORS', 'JOBS'];

/** `STORAGE name (op SCOPE(scope, ...), ...) [ENTITY RECORD] [ENTITY VIEW]` */
function storageStmt(p: Cursor): StorageStmt {
  const start = p.consumeKw('STORAGE');
  const name = p.consumeIdent();
  p.consume(T.LParen);
  const ops = [storageOp(p)];
  while (p.eat(T.Comma) !== undefined) ops.push(storageOp(p));
  p.consume(T.RParen);
  let entityRecord = false;
  let entityView = false;
  if (p.isKw('ENTITY') && p.isKw('RECORD', 2)) {
    p.next();
    p.next();
    entityRecord = true;
  }
  if (p.atKw('ENTITY')) {
    p.next();
    p.consumeKw('VIEW');
    entityView = true;
  }
  return node({
    kind: 'Storage' as const,
    pos: p.pos(start),
    comments: p.doc(start),
    name: unquoteIdent(name.text),
    ops,
    entityRecord,
    entityView,
  });
}

function storageOp(p: Cursor): { op: StorageOpName; scopes: StorageScopeName[] } {
  const op = oneOf(p, storageOps);
  p.consumeKw('SCOPE');
  p.consume(T.LParen);
  const scopes = [oneOf(p, storageScopes)];
  while (p.eat(T.Comma) !== undefined) scopes.push(oneOf(p, storageScopes));
  p.consume(T.RParen);
  return { op, scopes };
}

// ---- workspace level: EXTENSION ENGINE x ( COMMAND ...; QUERY ...; PROJECTOR ...; JOB ... ) ----

const EXTENSION_STATEMENT = 'FUNCTION, COMMAND, QUERY, PROJECTOR or JOB';

function startsExtension(p: Cursor): boolean {
  const t = p.peek();
  if (t.type === T.Ident) {
    switch (t.text) {
      case 'FUNCTION':
      case 'SYNC':
      case 'PROJECTOR':
      case 'JOB':
      case 'COMMAND':
      case 'QUERY':
        return true;
    }
  }
  p.expecting(EXTENSION_STATEMENT);
  return false;
}

function extensionStmt(p: Cursor): ExtensionStmt {
  const t = p.peek();
  if (t.type === T.Ident) {
    switch (t.text) {
      case 'FUNCTION':
        return functionStmt(p);
      case 'SYNC':
      case 'PROJECTOR':
        return projectorStmt(p);
      case 'JOB':
        return jobStmt(p);
      case 'COMMAND':
        return commandStmt(p);
      case 'QUERY':
        return queryStmt(p);
    }
  }
  p.expecting(EXTENSION_STATEMENT);
  return p.fail();
}

export function wsEngineStmt(p: Cursor): WsExtEngineStmt {
  const start = p.consume(T.ExtensionEngine);
  const engine = engineKind(p);
  p.consume(T.LParen);
  const statements: ExtensionStmt[] = [];
  statementList(p, startsExtension, extensionStmt, statements);
  p.consume(T.RParen);
  return node({
    kind: 'WsExtEngine' as const,
    pos: p.pos(start),
    comments: p.doc(start),
    engine,
    statements,
  });
}

/** `any`, `void` or a type name. */
function arg(p: Cursor): ArgNode {
  if (p.eatKw('any') !== undefined) return node({ kind: 'Any' as const });
  if (p.eatKw('void') !== undefined) return node({ kind: 'Void' as const });
  return node({ kind: 'Def' as const, ...qname(p) });
}

/** `(storage[(entity, ...)], ...)` after STATE or INTENTS. */
function stateList(p: Cursor): StateStorageNode[] {
  p.consume(T.LParen);
  const list = [stateStorage(p)];
  while (p.eat(T.Comma) !== undefined) list.push(stateStorage(p));
  p.consume(T.RParen);
  return list;
}

function stateStorage(p: Cursor): StateStorageNode {
  const storage = qname(p);
  const entities: DefQName[] = p.is(T.LParen) ? parenQnameList(p) : [];
  return node({ storage, entities });
}

const optionalStateList = (p: Cursor, word: 'STATE' | 'INTENTS'): StateStorageNode[] =>
  p.eatKw(word) !== undefined ? stateList(p) : [];

const optionalWith = (p: Cursor): WithItem[] => (p.atKw('WITH') ? withItems(p) : []);

/** `COMMAND name [([param] [[,] UNLOGGED param])] [STATE(...)] [INTENTS(...)] [RETURNS result] [WITH ...]` */
function commandStmt(p: Cursor): CommandStmt {
  const start = p.consumeKw('COMMAND');
  const name = p.consumeIdent();
  let param: ArgNode | undefined;
  let unloggedParam: ArgNode | undefined;
  if (p.eat(T.LParen) !== undefined) {
    if (p.is(T.Ident)) param = arg(p);
    if (p.is(T.Unlogged) || (p.is(T.Comma) && p.is(T.Unlogged, 2))) {
      p.eat(T.Comma);
      p.next();
      unloggedParam = arg(p);
    }
    p.at(T.Unlogged);
    p.consume(T.RParen);
  }
  const state = optionalStateList(p, 'STATE');
  const intents = optionalStateList(p, 'INTENTS');
  const returns = p.eatKw('RETURNS') !== undefined ? arg(p) : undefined;
  return node({
    kind: 'Command' as const,
    pos: p.pos(start),
    comments: p.doc(start),
    name: unquoteIdent(name.text),
    param,
    unloggedParam,
    state,
    intents,
    returns,
    with: optionalWith(p),
  });
}

/** `QUERY name [([param])] [STATE(...)] [RETURNS result] [WITH ...]` */
function queryStmt(p: Cursor): QueryStmt {
  const start = p.consumeKw('QUERY');
  const name = p.consumeIdent();
  let param: ArgNode | undefined;
  if (p.eat(T.LParen) !== undefined) {
    if (p.is(T.Ident)) param = arg(p);
    p.consume(T.RParen);
  }
  const state = optionalStateList(p, 'STATE');
  const returns = p.eatKw('RETURNS') !== undefined ? arg(p) : undefined;
  return node({
    kind: 'Query' as const,
    pos: p.pos(start),
    comments: p.doc(start),
    name: unquoteIdent(name.text),
    param,
    state,
    returns,
    with: optionalWith(p),
  });
}

const tableActions: readonly TableActionName[] = ['INSERT', 'UPDATE', 'ACTIVATE', 'DEACTIVATE'];

/** `CRON 'schedule'` or `AFTER (EXECUTE [WITH PARAM] | action [OR action ...]) ON (name | (name, ...))` */
function trigger(p: Cursor): TriggerNode {
  if (p.eatKw('CRON') !== undefined) {
    return node({ cron: stringValue(p), execute: undefined, tableActions: [], qnames: [] });
  }
  p.consumeKw('AFTER');
  let execute: { withParam: boolean } | undefined;
  const actions: TableActionName[] = [];
  if (p.eat(T.Execute) !== undefined) {
    let withParam = false;
    if (p.eatKw('WITH') !== undefined) {
      p.consumeKw('PARAM');
      withParam = true;
    }
    execute = { withParam };
  } else {
    p.at(T.Execute);
    actions.push(oneOf(p, tableActions));
    // `OR AFTER ...` / `OR CRON ...` starts the next trigger
    while (p.isKw('OR') && !p.isKw('AFTER', 2) && !p.isKw('CRON', 2)) {
      p.next();
      actions.push(oneOf(p, tableActions));
    }
  }
  p.consumeKw('ON');
  const qnames = p.is(T.LParen) ? parenQnameList(p) : [qname(p)];
  return node({ cron: undefined, execute, tableActions: actions, qnames });
}

/** `[SYNC] PROJECTOR name trigger [OR trigger ...] [STATE(...)] [INTENTS(...)] [INCLUDING ERRORS]` */
function projectorStmt(p: Cursor): ProjectorStmt {
  const start = p.peek();
  const sync = p.eatKw('SYNC') !== undefined;
  p.consumeKw('PROJECTOR');
  const name = p.consumeIdent();
  const triggers = [trigger(p)];
  while (p.eatKw('OR') !== undefined) triggers.push(trigger(p));
  const state = optionalStateList(p, 'STATE');
  const intents = optionalStateList(p, 'INTENTS');
  let includingErrors = false;
  if (p.eatKw('INCLUDING') !== undefined) {
    p.consumeKw('ERRORS');
    includingErrors = true;
  }
  return node({
    kind: 'Projector' as const,
    pos: p.pos(start),
    comments: p.doc(start),
    name: unquoteIdent(name.text),
    sync,
    triggers,
    state,
    intents,
    includingErrors,
  });
}

/** `JOB name ['cron'] [STATE(...)] [INTENTS(...)]` */
function jobStmt(p: Cursor): JobStmt {
  const start = p.consumeKw('JOB');
  const name = p.consumeIdent();
  const cron = p.is(T.String) ? stringValue(p) : undefined;
  return node({
    kind: 'Job' as const,
    pos: p.pos(start),
    comments: p.doc(start),
    name: unquoteIdent(name.text),
    cron,
    state: optionalStateList(p, 'STATE'),
    intents: optionalStateList(p, 'INTENTS'),
  });
}
