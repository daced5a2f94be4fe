// The checks the reference makes when the AppDef is built: function parameter/result kinds, view key parts
// and limit filters; reported without positions, after the build-stage errors.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FilterDef, TypeKind } from './appdef.js';
import { limitFilterText } from './appdef-filter.js';
import { formatError } from './errors.js';
import { compileApp } from './index.js';

const compile = (...lines: string[]) =>
  compileApp([{ path: 'example.com/pkg', files: [{ name: 'f.vsql', text: lines.join('\n') }] }]);
const errorsOf = (...lines: string[]): string[] => compile(...lines).errors.map(formatError);

function builds(...lines: string[]): void {
  const r = compile(...lines);
  assert.deepEqual(r.errors.map(formatError), []);
  assert.ok(r.appDef !== undefined);
}

describe('function parameter and result kinds', () => {
  test('command parameters: ODoc, Object (TYPE) and any pass; other tables fail', () => {
    builds(
      'APPLICATION test();',
      'WORKSPACE W (',
      '  TABLE O INHERITS sys.ODoc ();',
      '  TYPE P (x int32);',
      '  EXTENSION ENGINE BUILTIN (',
      '    COMMAND C1(O, UNLOGGED P);',
      '    COMMAND C2(P, UNLOGGED O);',
      '    COMMAND C3(any);',
      '  );',
      ');',
    );
    const r = compile(
      'APPLICATION test();',
      'WORKSPACE W (',
      '  TABLE D INHERITS sys.CDoc ();',
      '  TABLE O INHERITS sys.ODoc (items TABLE OR ());',
      '  TABLE WD INHERITS sys.WDoc (items TABLE WR ());',
      '  EXTENSION ENGINE BUILTIN (',
      '    COMMAND C1(D);',
      '    COMMAND C2(OR, UNLOGGED WD);',
      '    COMMAND C3(UNLOGGED WR);',
      '  );',
      ');',
    );
    assert.equal(r.appDef, undefined);
    assert.deepEqual(r.errors.map(formatError), [
      'not valid: parameter type «CDoc «pkg.D»», should be ODoc, Object or Data',
      'not valid: parameter type «ORecord «pkg.OR»», should be ODoc, Object or Data',
      'not valid: unlogged parameter type «WDoc «pkg.WD»», should be ODoc, Object or Data',
      'not valid: unlogged parameter type «WRecord «pkg.WR»», should be ODoc, Object or Data',
    ]);
    assert.ok(r.errors.every((e) => e.file === undefined && e.line === undefined));
  });

  test('command results: documents, Objects and any pass; records fail', () => {
    builds(
      'APPLICATION test();',
      'WORKSPACE W (',
      '  TABLE D INHERITS sys.CDoc ();',
      '  TABLE WD INHERITS sys.WDoc ();',
      '  TABLE O INHERITS sys.ODoc ();',
      '  TYPE T ();',
      '  EXTENSION ENGINE BUILTIN (',
      '    COMMAND C1 RETURNS D;',
      '    COMMAND C2 RETURNS WD;',
      '    COMMAND C3 RETURNS O;',
      '    COMMAND C4 RETURNS T;',
      '    COMMAND C5 RETURNS any;',
      '    COMMAND C6 RETURNS void;',
      '  );',
      ');',
    );
    assert.deepEqual(
      errorsOf(
        'APPLICATION test();',
        'WORKSPACE W (',
        '  TABLE D INHERITS sys.CDoc (n TABLE N ());',
        '  TABLE WD INHERITS sys.WDoc (n TABLE WN ());',
        '  TABLE O INHERITS sys.ODoc (n TABLE ON ());',
        '  EXTENSION ENGINE BUILTIN (',
        '    COMMAND C1 RETURNS N;',
        '    COMMAND C2 RETURNS WN;',
        '    COMMAND C3 RETURNS ON;',
        '  );',
        ');',
      ),
      [
        'not valid: result type «CRecord «pkg.N»», should be Document, Object or Data',
        'not valid: result type «WRecord «pkg.WN»», should be Document, Object or Data',
        'not valid: result type «ORecord «pkg.ON»», should be Document, Object or Data',
      ],
    );
  });

  test('one command: the parameter, then the result, then the unlogged parameter', () => {
    assert.deepEqual(
      errorsOf(
        'APPLICATION test();',
        'WORKSPACE W (',
        '  TABLE D INHERITS sys.CDoc (n TABLE N ());',
        '  EXTENSION ENGINE BUILTIN ( COMMAND C(D, UNLOGGED N) RETURNS N; );',
        ');',
      ),
      [
        'not valid: parameter type «CDoc «pkg.D»», should be ODoc, Object or Data',
        'not valid: result type «CRecord «pkg.N»», should be Document, Object or Data',
        'not valid: unlogged parameter type «CRecord «pkg.N»», should be ODoc, Object or Data',
      ],
    );
  });

  test('queries take TYPEs and any/void, which are all valid', () => {
    builds(
      'APPLICATION test();',
      'WORKSPACE W (',
      '  TYPE T ();',
      '  EXTENSION ENGINE BUILTIN (',
      '    QUERY Q1(T) RETURNS T;',
      '    QUERY Q2(any) RETURNS any;',
      '    QUERY Q3 RETURNS void;',
      '  );',
      ');',
    );
  });
});

describe('view key parts', () => {
  test('a key without partition fields is missed; the analyser has no error for it', () => {
    assert.deepEqual(
      errorsOf(
        'APPLICATION test();',
        'WORKSPACE W (',
        '  VIEW V (k int32, c int32, PRIMARY KEY(k, c)) AS RESULT OF P;',
        '  EXTENSION ENGINE BUILTIN ( COMMAND C; PROJECTOR P AFTER EXECUTE ON C INTENTS(sys.View(V)); );',
        ');',
      ),
      ['missed: ViewRecord «pkg.V» partition key fields'],
    );
  });

  test('a key without clustering columns is the analyser’s error, with its position', () => {
    assert.deepEqual(
      errorsOf(
        'APPLICATION test();',
        'WORKSPACE W (',
        '  VIEW V (k int32, PRIMARY KEY((k))) AS RESULT OF P;',
        '  EXTENSION ENGINE BUILTIN ( COMMAND C; PROJECTOR P AFTER EXECUTE ON C INTENTS(sys.View(V)); );',
        ');',
      ),
      ['f.vsql:3:32: clustering columns not defined'],
    );
  });
});

describe('limit filters', () => {
  const head = [
    'APPLICATION test();',
    'ABSTRACT WORKSPACE B ( EXTENSION ENGINE BUILTIN ( COMMAND Base; ); );',
  ];

  test('filters that match in the workspace or in the workspaces it inherits pass', () => {
    builds(
      ...head,
      'WORKSPACE W INHERITS B (',
      '  TAG T;',
      '  TABLE D INHERITS sys.CDoc () WITH Tags=(T);',
      '  RATE R 1 PER HOUR;',
      '  LIMIT L1 ON COMMAND Base WITH RATE R;',
      '  LIMIT L2 ON ALL TABLES WITH TAG T WITH RATE R;',
      '  LIMIT L3 ON EACH COMMAND WITH RATE R;',
      '  LIMIT L4 ON ALL VIEWS WITH RATE R;',
      ');',
    );
  });

  test('a filter that matches nothing, in each form, in the reference’s text', () => {
    assert.deepEqual(
      errorsOf(
        ...head,
        'WORKSPACE W INHERITS B (',
        '  TAG T;',
        '  TABLE D INHERITS sys.CDoc () WITH Tags=(T);',
        '  RATE R 1 PER HOUR;',
        '  LIMIT L1 ON ALL VIEWS WITH TAG T WITH RATE R;',
        '  LIMIT L2 ON EACH QUERY WITH TAG T WITH RATE R;',
        '  LIMIT L3 SELECT ON EACH VIEW WITH TAG T WITH RATE R;',
        '  LIMIT L4 ON ALL QUERIES WITH RATE R;',
        '  LIMIT L5 ON EACH TABLE WITH TAG T WITH RATE R;',
        '  LIMIT L6 ON ALL COMMANDS WITH TAG T WITH RATE R;',
        ');',
      ),
      [
        'not found: Limit «pkg.L1» filter «TYPES(ViewRecord) AND TAGS(pkg.T)» has no matches in Workspace «pkg.W»',
        'not found: Limit «pkg.L2» filter «EACH TYPES(Query) AND TAGS(pkg.T)» has no matches in Workspace «pkg.W»',
        'not found: Limit «pkg.L3» filter «EACH TYPES(ViewRecord) AND TAGS(pkg.T)» has no matches in Workspace «pkg.W»',
        'not found: Limit «pkg.L6» filter «TYPES(Command) AND TAGS(pkg.T)» has no matches in Workspace «pkg.W»',
      ],
    );
  });

  test('the workspaces are reported in name order', () => {
    assert.deepEqual(
      errorsOf(
        'APPLICATION test();',
        'WORKSPACE Z ( TAG U; RATE R 1 PER HOUR; LIMIT L ON ALL COMMANDS WITH TAG U WITH RATE R; );',
        'WORKSPACE A ( TAG U2; RATE R2 1 PER HOUR; LIMIT L2 ON EACH QUERY WITH TAG U2 WITH RATE R2; );',
      ),
      [
        'not found: Limit «pkg.L2» filter «EACH TYPES(Query) AND TAGS(pkg.U2)» has no matches in Workspace «pkg.A»',
        'not found: Limit «pkg.L» filter «TYPES(Command) AND TAGS(pkg.U)» has no matches in Workspace «pkg.Z»',
      ],
    );
  });

  test('the limit filter text: EACH replaces a leading ALL, else comes first', () => {
    const types = (...t: TypeKind[]): FilterDef => ({ kind: 'Types', types: t, workspace: null });
    const single: FilterDef = {
      kind: 'And',
      filters: [types('Command'), { kind: 'QNames', names: ['pkg.C'] }],
    };
    assert.equal(limitFilterText(single, 'EACH'), 'EACH TYPES(Command) AND QNAMES(pkg.C)');
    assert.equal(limitFilterText(single, 'ALL'), 'TYPES(Command) AND QNAMES(pkg.C)');
    const functions = types('Command', 'Query');
    assert.equal(limitFilterText(functions, 'ALL'), 'ALL FUNCTIONS');
    assert.equal(limitFilterText(functions, 'EACH'), 'EACH FUNCTIONS');
  });
});

describe('when the AppDef is validated', () => {
  test('not when the build stage has errors: those are reported alone', () => {
    assert.deepEqual(
      errorsOf(
        'APPLICATION test();',
        'WORKSPACE W (',
        '  TABLE WR INHERITS sys.WRecord ();',
        '  TABLE D INHERITS sys.CDoc (f WR);',
        '  RATE R 1 PER HOUR;',
        '  LIMIT L ON ALL VIEWS WITH RATE R;',
        ');',
      ),
      ['incorrect nested table kind'],
    );
  });

  test('all failing checks of all workspaces are reported together', () => {
    assert.deepEqual(
      errorsOf(
        'APPLICATION test();',
        'WORKSPACE W (',
        '  TABLE D INHERITS sys.CDoc ();',
        '  VIEW V (k int32, c int32, PRIMARY KEY(k, c)) AS RESULT OF P;',
        '  EXTENSION ENGINE BUILTIN ( COMMAND C(D); PROJECTOR P AFTER EXECUTE ON C INTENTS(sys.View(V)); );',
        '  TAG T;',
        '  RATE R 1 PER HOUR;',
        '  LIMIT L ON ALL QUERIES WITH TAG T WITH RATE R;',
        ');',
      ),
      [
        'not valid: parameter type «CDoc «pkg.D»», should be ODoc, Object or Data',
        'not found: Limit «pkg.L» filter «TYPES(Query) AND TAGS(pkg.T)» has no matches in Workspace «pkg.W»',
        'missed: ViewRecord «pkg.V» partition key fields',
      ],
    );
  });
});
