// A whole file: IMPORT SCHEMA statements, then the package-level statements (APPLICATION, DECLARE,
// TEMPLATE, ROLE, EXTENSION ENGINE, WORKSPACE, ALTER WORKSPACE).
import {
  type ApplicationStmt,
  type DeclareStmt,
  type Ident,
  type ImportStmt,
  node,
  type RootStatement,
  type TemplateStmt,
} from '../ast.js';
import { intValue, qname } from './common.js';
import { type Cursor, unquoteIdent, unquoteString } from './cursor.js';
import { rootEngineStmt } from './extension.js';
import { isListEnd, parseOne, statementList } from './list.js';
import { T } from './token.js';
import { alterWorkspaceStmt, roleStmt, workspaceStmt } from './workspace.js';

export interface FileBody {
  readonly imports: ImportStmt[];
  readonly statements: RootStatement[];
}

export function fileBody(p: Cursor): FileBody {
  const imports: ImportStmt[] = [];
  const statements: RootStatement[] = [];
  // `IMPORT ... (; IMPORT ...)* [;]`, then the statements
  if (p.atKw('IMPORT')) {
    parseOne(p, importStmt, imports);
    while (p.is(T.Semi) && p.isKw('IMPORT', 2)) {
      p.next();
      parseOne(p, importStmt, imports);
    }
    p.eat(T.Semi);
  }
  for (;;) {
    statementList(p, startsRootStatement, rootStatement, statements);
    if (p.at(T.EOF)) break;
    // a `)` that closes nothing: report it and go on after it
    p.report();
    p.next();
  }
  return { imports, statements };
}

function importStmt(p: Cursor): ImportStmt {
  const start = p.consumeKw('IMPORT');
  p.consumeKw('SCHEMA');
  const path = p.consume(T.String);
  const alias = p.eatKw('AS') !== undefined ? unquoteIdent(p.consumeIdent().text) : undefined;
  return node({
    kind: 'Import' as const,
    pos: p.pos(start),
    comments: p.doc(start),
    path: unquoteString(path.text),
    alias,
  });
}

const ROOT_STATEMENT =
  'APPLICATION, WORKSPACE, ALTER WORKSPACE, EXTENSION ENGINE, ROLE, TEMPLATE or DECLARE';

function rootStatementParser(p: Cursor): ((p: Cursor) => RootStatement) | undefined {
  const t = p.peek();
  if (t.type === T.ExtensionEngine) return rootEngineStmt;
  if (t.type !== T.Ident) return undefined;
  switch (t.text) {
    case 'TEMPLATE':
      return templateStmt;
    case 'PUBLISHED':
    case 'ROLE':
      return roleStmt;
    case 'ABSTRACT':
    case 'ALTERABLE':
    case 'POOL':
    case 'WORKSPACE':
      return workspaceStmt;
    case 'ALTER':
      return alterWorkspaceStmt;
    case 'APPLICATION':
      return applicationStmt;
    case 'DECLARE':
      return declareStmt;
  }
  return undefined;
}

function startsRootStatement(p: Cursor): boolean {
  if (rootStatementParser(p) !== undefined) return true;
  p.expecting(ROOT_STATEMENT);
  return false;
}

function rootStatement(p: Cursor): RootStatement {
  const parse = rootStatementParser(p);
  if (parse === undefined) {
    p.expecting(ROOT_STATEMENT);
    return p.fail();
  }
  return parse(p);
}

/** `TEMPLATE name OF WORKSPACE ws SOURCE source` */
function templateStmt(p: Cursor): TemplateStmt {
  const start = p.consumeKw('TEMPLATE');
  const name = p.consumeIdent();
  p.consumeKw('OF');
  p.consumeKw('WORKSPACE');
  const workspace = qname(p);
  p.consumeKw('SOURCE');
  const source = p.consumeIdent();
  return node({
    kind: 'Template' as const,
    pos: p.pos(start),
    comments: p.doc(start),
    name: unquoteIdent(name.text),
    workspace,
    source: unquoteIdent(source.text),
  });
}

/** `APPLICATION name ([USE pkg (; USE pkg)* [;]])` */
function applicationStmt(p: Cursor): ApplicationStmt {
  const start = p.consumeKw('APPLICATION');
  const name = p.consumeIdent();
  p.consume(T.LParen);
  const uses: Ident[] = [];
  // a USE is reported at its keyword, like the reference's statement positions
  const use = (): void => {
    const kw = p.consumeKw('USE');
    uses.push(node({ value: unquoteIdent(p.consumeIdent().text), pos: p.pos(kw) }));
  };
  if (p.atKw('USE')) use();
  while (p.at(T.Semi) && !isListEnd(p.peek(2))) {
    p.next();
    use();
  }
  p.eat(T.Semi);
  p.consume(T.RParen);
  return node({
    kind: 'Application' as const,
    pos: p.pos(start),
    comments: p.doc(start),
    name: unquoteIdent(name.text),
    uses,
  });
}

/** `DECLARE name int|int32 DEFAULT value` */
function declareStmt(p: Cursor): DeclareStmt {
  const start = p.consumeKw('DECLARE');
  const name = p.consumeIdent();
  const dataType = p.isKw('int32') ? p.next().text : p.consumeKw('int').text;
  p.consumeKw('DEFAULT');
  return node({
    kind: 'Declare' as const,
    pos: p.pos(start),
    comments: p.doc(start),
    name: unquoteIdent(name.text),
    dataType,
    defaultValue: intValue(p),
  });
}
