// The ACL checks the reference's AppDef builder makes on each rule, reported at the GRANT/REVOKE.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { aclFilterText, filterText } from './appdef-filter.js';
import { formatErrors } from './errors.js';
import { compileApp } from './index.js';

const errorsOf = (...lines: string[]): string[] =>
  compileApp([
    { path: 'example.com/pkg', files: [{ name: 'f.vsql', text: lines.join('\n') }] },
  ]).errors.map((e) => formatErrors([e]));

describe('build-stage ACL checks', () => {
  test('REVOKE cannot take back role inheritance', () => {
    assert.deepEqual(
      errorsOf(
        'APPLICATION test();',
        'WORKSPACE W (',
        '  ROLE r1; ROLE r2;',
        '  GRANT r1 TO r2;',
        '  REVOKE r1 FROM r2;',
        ');',
      ),
      ['f.vsql:5:3: unsupported operation: REVOKE Inherits'],
    );
  });

  test('columns must be fields of the table: sys fields it lacks and nested tables are not', () => {
    assert.deepEqual(
      errorsOf(
        'APPLICATION test();',
        'WORKSPACE W (',
        '  ROLE r;',
        '  TABLE D INHERITS sys.CDoc (a int32, n TABLE N (x int32));',
        '  GRANT SELECT(sys.ParentID) ON TABLE D TO r;',
        '  GRANT SELECT(n) ON TABLE D TO r;',
        '  GRANT SELECT(a, sys.ID, sys.IsActive) ON TABLE D TO r;',
        ');',
      ),
      [
        'f.vsql:5:3: not found: field «sys.ParentID» in CDoc «pkg.D»',
        'f.vsql:6:3: not found: field «n» in CDoc «pkg.D»',
      ],
    );
  });

  test('a filter that matches nothing in its workspace; a re-applied statement is reported once', () => {
    assert.deepEqual(
      errorsOf(
        'APPLICATION test();',
        'ABSTRACT WORKSPACE B (',
        '  ROLE r; TAG t;',
        '  GRANT SELECT ON ALL TABLES TO r;',
        '  GRANT EXECUTE ON ALL QUERIES WITH TAG t TO r;',
        ');',
        'WORKSPACE W1 INHERITS B ();',
        'WORKSPACE W2 INHERITS B ( GRANT SELECT ON ALL VIEWS TO r; );',
      ),
      [
        'f.vsql:4:3: not found: ACL filter «TYPES(GDoc, CDoc, ODoc, WDoc, GRecord, CRecord, ORecord, WRecord) FROM pkg.B» has no matches in Workspace «pkg.B»',
        'f.vsql:5:3: not found: ACL filter «TYPES(Query) AND TAGS(pkg.t)» has no matches in Workspace «pkg.B»',
        'f.vsql:8:27: not found: ACL filter «TYPES(ViewRecord) FROM pkg.W2» has no matches in Workspace «pkg.W2»',
      ],
    );
  });

  test('the principal must be a role of the workspace or its ancestors', () => {
    // the analyser finds a role declared in an ALTER WORKSPACE block from the package root,
    // but it belongs to the altered workspace
    assert.deepEqual(
      errorsOf(
        'APPLICATION test();',
        'ALTERABLE WORKSPACE A ();',
        'ALTER WORKSPACE A ( ROLE ar; );',
        'WORKSPACE W ( TABLE D INHERITS sys.CDoc (a int32); GRANT SELECT ON TABLE D TO ar; );',
      ),
      ['f.vsql:4:52: not found: role «pkg.ar»'],
    );
  });

  test('a table of another workspace is not in this one', () => {
    assert.deepEqual(
      errorsOf(
        'APPLICATION test();',
        'ALTERABLE WORKSPACE A ();',
        'ALTER WORKSPACE A ( TABLE T INHERITS sys.CDoc (a int32); );',
        'WORKSPACE W ( ROLE r; GRANT SELECT ON TABLE T TO r; );',
      ),
      ['f.vsql:4:23: not found: ACL filter «QNAMES(pkg.T)» has no matches in Workspace «pkg.W»'],
    );
  });

  test("rules on ancestors' types, tagged types and roles pass", () => {
    assert.deepEqual(
      errorsOf(
        'APPLICATION test();',
        'ABSTRACT WORKSPACE B ( ROLE r; TABLE D INHERITS sys.CDoc (a int32); );',
        'WORKSPACE W INHERITS B (',
        '  ROLE w; TAG t;',
        '  TABLE E INHERITS sys.WDoc (b int32) WITH Tags=(t);',
        '  GRANT r TO w;',
        '  GRANT ALL ON ALL TABLES WITH TAG t TO w;',
        '  GRANT SELECT(a) ON TABLE D TO r;',
        '  GRANT SELECT ON ALL TABLES TO w;',
        ');',
      ),
      [],
    );
  });
});

describe('filter texts, as the reference prints them', () => {
  test('types in the reference order, decorated sets, workspaces, tags and fields', () => {
    assert.equal(
      filterText({ kind: 'Types', types: ['Command', 'Query'], workspace: null }),
      'ALL FUNCTIONS',
    );
    assert.equal(
      filterText({
        kind: 'Types',
        types: ['Object', 'CDoc', 'CRecord', 'WDoc', 'WRecord', 'ODoc', 'ORecord'],
        workspace: null,
      }),
      'ALL TABLES',
    );
    assert.equal(
      filterText({
        kind: 'Or',
        filters: [
          { kind: 'QNames', names: ['pkg.b', 'pkg.a'] },
          {
            kind: 'And',
            filters: [
              { kind: 'Types', types: ['ViewRecord', 'CDoc'], workspace: 'pkg.W' },
              { kind: 'Tags', tags: ['pkg.t'] },
            ],
          },
        ],
      }),
      'QNAMES(pkg.a, pkg.b) OR (TYPES(CDoc, ViewRecord) FROM pkg.W AND TAGS(pkg.t))',
    );
    assert.equal(
      aclFilterText({ kind: 'QNames', names: ['pkg.D'] }, ['a', 'b']),
      'QNAMES(pkg.D)[a b]',
    );
  });
});
