import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TableStmt, WorkspaceStmt } from '../ast.js';
import { formatErrors } from '../errors.js';
import { parseFile } from './index.js';

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

  test('syntax and lexer errors carry file:line:col and say what was expected', () => {
    assert.equal(
      formatErrors(parseFile('f.vsql', 'WORKSPACE w (\n  ROLE _r\n)').errors),
      'f.vsql:2:8: lexer: invalid input text "_r\\n)"',
    );
    assert.equal(
      formatErrors(parseFile('f.vsql', 'WORKSPACE w (\n  TABLE t (a int NOT NUL)\n)').errors),
      'f.vsql:2:18: unexpected token "NOT" (expected "NOT NULL", "VERIFIABLE", "DEFAULT", "CHECK", "," ' +
        'or ")")',
    );
    assert.equal(
      formatErrors(parseFile('f.vsql', 'WORKSPACE w (').errors),
      'f.vsql:1:14: unexpected token "<EOF>" (expected "DESCRIPTOR", TABLE, TYPE, VIEW, WORKSPACE, ' +
        'EXTENSION ENGINE, ROLE, TAG, RATE, LIMIT, GRANT, REVOKE or USE WORKSPACE, ";" or ")")',
    );
    assert.equal(
      formatErrors(parseFile('f.vsql', 'WORKSPACE w (VIEW v (a varchar2) AS RESULT OF p)').errors),
      'f.vsql:1:24: unexpected token "varchar2" (expected "ref", "record" or a data type)',
    );
  });

  test('every failing statement is reported once, and the statements around it still parse', () => {
    const text = [
      'APPLICATION a();', // 1
      'WORKSPACE w (', // 2
      '  TABLE t1 INHERITS sys.CDoc (f1 int32 NOT NUL);', // 3: error inside a table
      '  TABLE t2 INHERITS sys.CDoc (f2 int32);', // 4: fine
      '  VIEW v (PRIMARY KEY ((a), b c)) AS RESULT OF p;', // 5: error inside a key
      '  GRANT SELECT ON TABLE t2 TO;', // 6: error at the end of a statement
      '  WORKSPACE nested ( TYPE x (a int,) ; TABLE );', // 7: error in a nested workspace, twice
      ');',
      'ROLE r extra;', // 9: trailing token after a root statement
      'WORKSPACE w2 ();', // 10: fine
    ].join('\n');
    const r = parseFile('f.vsql', text);
    assert.equal(r.ast, undefined);
    assert.deepEqual(
      r.errors.map((e) => `${e.line}:${e.col}`),
      ['3:40', '5:31', '6:30', '7:36', '7:46', '9:8'],
    );
  });

  test('a missing ";" or ")" and stray words do not hide the errors after them', () => {
    const text = [
      'APPLICATION a();', // 1
      'WORKSPACE w (', // 2
      '  TABLE t1 (a int) WITH Tags=(x;', // 3: unclosed "(": the statement ends at its ";"
      '  TABLE t2 (b int)', // 4: missing ";"
      '  TABLE t3 (c int) junk words;', // 5: stray words after a statement
      '  TABLE t4 (d int NOT NUL);', // 6
      ');',
    ].join('\n');
    assert.deepEqual(
      parseFile('f.vsql', text).errors.map((e) => `${e.line}:${e.col}`),
      ['3:32', '5:3', '5:20', '6:19'],
    );
  });

  test('a stray ")" or unknown word at the top level is reported and parsing goes on', () => {
    const r = parseFile(
      'f.vsql',
      'ROLE a;\n) ROLE b;\nFOO bar;\nROLE c ROLE d;\nWORKSPACE w (TABLE)',
    );
    assert.deepEqual(
      r.errors.map((e) => `${e.line}:${e.col}`),
      ['2:1', '3:1', '4:8', '5:19'],
    );
  });

  test('bad input never throws and never hangs', () => {
    for (const text of [
      '',
      '-- only a comment',
      '/* open',
      "'open",
      '((((((((',
      ')))))',
      ';;;;',
      'WORKSPACE',
    ]) {
      const r = parseFile('f.vsql', text);
      assert.ok(r.ast !== undefined || r.errors.length > 0, text);
    }
  });

  test('a column list on ON ALL TABLES is rejected at its "(" (columns need one table)', () => {
    const errors = (grant: string): string =>
      formatErrors(parseFile('f.vsql', `WORKSPACE w (\n  ${grant}\n)`).errors);
    assert.equal(
      errors('GRANT SELECT(a) ON ALL TABLES TO r;'),
      'f.vsql:2:15: unexpected token "(" (ON ALL TABLES takes no column list)',
    );
    assert.equal(
      errors('REVOKE INSERT, UPDATE(b, c) ON ALL TABLES WITH TAG g FROM r;'),
      'f.vsql:2:24: unexpected token "(" (ON ALL TABLES takes no column list)',
    );
    assert.equal(
      errors('GRANT ALL(a) ON ALL TABLES TO r;'),
      'f.vsql:2:12: unexpected token "(" (ON ALL TABLES takes no column list)',
    );
    assert.equal(errors('GRANT SELECT(a) ON TABLE t TO r;'), '');
  });

  test('string literals are unquoted like Go character literals; a bad escape ends the file', () => {
    const pattern = (literal: string): string | undefined => {
      const r = parseFile('f.vsql', `WORKSPACE w (TABLE t (a varchar CHECK ${literal}))`);
      const ws = r.ast?.statements[0];
      const table = ws?.kind === 'Workspace' ? ws.statements[0] : undefined;
      const field = table?.kind === 'Table' ? table.items[0] : undefined;
      return field?.kind === 'Field' ? field.checkRegexp?.value : formatErrors(r.errors);
    };
    assert.equal(
      pattern(String.raw`'^\\d+\t\x41\u00e9\101\'$'`),
      "^\\d+\tAé\x41'$".replace('\\101', 'A'),
    );
    assert.equal(
      pattern(String.raw`'^\d$'`),
      String.raw`f.vsql:1:39: invalid quoted string "'^\\d$'": invalid syntax`,
    );
    assert.equal(
      pattern(String.raw`'\"'`),
      String.raw`f.vsql:1:39: invalid quoted string "'\\\"'": invalid syntax`,
    );
    assert.equal(
      pattern(String.raw`'\400'`),
      String.raw`f.vsql:1:39: invalid quoted string "'\\400'": invalid syntax`,
    );
  });

  test('nesting deeper than 500 levels is an error, not a stack overflow', () => {
    const deep = (n: number): string => `${'WORKSPACE w ('.repeat(n)}${')'.repeat(n)}`;
    assert.equal(parseFile('f.vsql', deep(500)).errors.length, 0);
    assert.equal(
      formatErrors(parseFile('f.vsql', deep(10_000)).errors),
      'f.vsql:1:6501: nesting deeper than 500 levels',
    );
    const expr = `WORKSPACE w (TABLE t (a int, CHECK (${'('.repeat(5000)}a${')'.repeat(5000)})))`;
    assert.match(formatErrors(parseFile('f.vsql', expr).errors), /nesting deeper than 500 levels/);
    const tables = `WORKSPACE w (${'TABLE t (n '.repeat(5000)}${')'.repeat(5000)})`;
    assert.match(
      formatErrors(parseFile('f.vsql', tables).errors),
      /nesting deeper than 500 levels/,
    );
  });

  test('DEFAULT NEXTVAL is lexed but not accepted, as in the reference grammar', () => {
    assert.match(
      formatErrors(
        parseFile('f.vsql', "WORKSPACE w (TABLE t (a int64 DEFAULT NEXTVAL('s')))").errors,
      ),
      /^f\.vsql:1:31: unexpected token "DEFAULT NEXTVAL"/,
    );
  });

  test('multi-word keywords are greedy like the reference lexer (TABLEX is TABLE + X)', () => {
    assert.ok(parseFile('f.vsql', 'WORKSPACE w (TABLEX t ())').errors.length > 0);
  });
});
