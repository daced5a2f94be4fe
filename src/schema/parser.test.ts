import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TableStmt, WorkspaceStmt } from './ast.js';
import { formatErrors } from './errors.js';
import { parseFile } from './parser.js';

function firstWorkspace(text: string): WorkspaceStmt {
  const r = parseFile('t.vsql', text);
  assert.equal(formatErrors(r.errors), '');
  const ws = r.ast?.statements[0];
  assert.ok(ws?.kind === 'Workspace');
  return ws;
}

describe('parser', () => {
  test('data type aliases map to one scalar type each', () => {
    const ws = firstWorkspace(`WORKSPACE w (TYPE t (
      a character varying(10), b text, c binary varying, d varbinary(5), e tinyint, f smallint, g integer,
      h bigint, i real, j double precision, k money, l boolean, m binary large object, n qualified name, o timestamp
    ))`);
    const t = ws.statements[0];
    assert.ok(t?.kind === 'Type');
    const types = t.items.map((i) =>
      i.kind === 'Field' && i.type.kind === 'DataType' ? i.type.type : '?',
    );
    assert.deepEqual(types, [
      'varchar',
      'varchar',
      'bytes',
      'bytes',
      'int8',
      'int16',
      'int32',
      'int64',
      'float32',
      'float64',
      'currency',
      'bool',
      'blob',
      'qname',
      'timestamp',
    ]);
  });

  test('a non-abstract workspace gets a descriptor named after it; an abstract one gets none', () => {
    const r = parseFile(
      't.vsql',
      'WORKSPACE W1(); ABSTRACT WORKSPACE A(); WORKSPACE W2(DESCRIPTOR(); ); WORKSPACE W3(DESCRIPTOR D3(x int););',
    );
    const names = r.ast?.statements.map((s) =>
      s.kind === 'Workspace' ? (s.descriptor?.name ?? null) : '?',
    );
    assert.deepEqual(names, ['W1Descriptor', null, 'W2Descriptor', 'D3']);
  });

  test('table items: nested table, constraint, ref field, field, field set', () => {
    const ws = firstWorkspace(`WORKSPACE w (TABLE t INHERITS sys.CDoc (
      items TABLE inner (x int),
      CONSTRAINT c1 UNIQUE(a),
      UNIQUEFIELD a,
      r ref(t) NOT NULL,
      a varchar(20) NOT NULL VERIFIABLE CHECK '^[a-z]+$',
      pkg.SomeType
    ) WITH Comment='doc', Tags=(T1, pkg.T2))`);
    const t = ws.statements[0] as TableStmt;
    assert.deepEqual(
      t.items.map((i) => i.kind),
      ['NestedTable', 'Constraint', 'Constraint', 'RefField', 'Field', 'FieldSet'],
    );
    assert.equal(t.with.length, 2);
  });

  test('doc comments: the last block on its own lines before a statement', () => {
    const ws = firstWorkspace(
      'WORKSPACE w (\n  -- ignored block\n\n  /* kept\n   two lines */\n  ROLE r;\n  TAG t -- trailing\n)',
    );
    assert.deepEqual(ws.statements[0]?.comments, ['kept', 'two lines']);
    assert.deepEqual(ws.statements[1]?.comments, []);
  });

  test('grants of every form parse', () => {
    const ws = firstWorkspace(`WORKSPACE w (
      GRANT ALL ON TABLE t TO r; GRANT ALL(a, b) ON TABLE t TO r; GRANT SELECT, INSERT(a), UPDATE(sys.ID) ON TABLE t TO r;
      GRANT INSERT, UPDATE ON ALL TABLES WITH TAG x TO r; GRANT ALL ON ALL TABLES TO r;
      GRANT EXECUTE ON COMMAND c TO r; GRANT EXECUTE ON ALL COMMANDS WITH TAG x TO r; GRANT EXECUTE ON ALL QUERIES TO r;
      GRANT SELECT ON VIEW v TO r; GRANT SELECT(f1) ON VIEW v TO r; GRANT SELECT ON ALL VIEWS TO r; GRANT r1 TO r;
      REVOKE EXECUTE ON QUERY q FROM r
    )`);
    const kinds = ws.statements.map((s) =>
      s.kind === 'Grant' || s.kind === 'Revoke' ? s.target.kind : '?',
    );
    assert.deepEqual(kinds, [
      'Table',
      'Table',
      'Table',
      'AllTables',
      'AllTables',
      'Command',
      'AllCommands',
      'AllQueries',
      'View',
      'View',
      'AllViews',
      'Role',
      'Query',
    ]);
  });

  test('syntax and lexer errors carry file:line:col', () => {
    assert.equal(
      formatErrors(parseFile('f.vsql', 'WORKSPACE w (\n  ROLE _r\n)').errors),
      'f.vsql:2:8: lexer: invalid input text "_r\\n)"',
    );
    assert.equal(
      formatErrors(parseFile('f.vsql', 'WORKSPACE w (\n  TABLE t (a int NOT NUL)\n)').errors),
      'f.vsql:2:18: unexpected token "NOT"',
    );
    assert.match(
      formatErrors(parseFile('f.vsql', 'WORKSPACE w (').errors),
      /^f\.vsql:1:14: unexpected token "<EOF>"$/,
    );
  });

  test('multi-word keywords are greedy like the reference lexer (TABLEX is TABLE + X)', () => {
    assert.ok(parseFile('f.vsql', 'WORKSPACE w (TABLEX t ())').errors.length > 0);
  });
});
