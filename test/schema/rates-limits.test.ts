// RATE (count or DECLAREd variable, period, scopes) and LIMIT (single item, ALL, EACH, WITH TAG,
// operations), and the checks not covered by the reference error cases.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { LimitDef } from '../../src/schema/index.js';
import {
  assertErrors,
  build,
  compile,
  errorLines,
  errorsOf,
  lines,
  typeOfKind,
} from './support.js';

const source = lines(
  'APPLICATION test();',
  'DECLARE v1 int32 DEFAULT 7;',
  'DECLARE v2 int DEFAULT 3;',
  'WORKSPACE W (',
  '  TAG T;',
  '  TABLE D INHERITS sys.CDoc () WITH Tags=(T);',
  '  VIEW V (k int32, c int32, PRIMARY KEY((k), c)) AS RESULT OF P;',
  '  EXTENSION ENGINE BUILTIN ( COMMAND C; QUERY Q RETURNS void WITH Tags=(T); PROJECTOR P AFTER EXECUTE ON C INTENTS(sys.View(V)); );',
  '  -- ten a second',
  '  RATE R1 10 PER SECOND;',
  '  RATE R2 5 PER 2 MINUTES PER WORKSPACE;',
  '  RATE R3 100 PER HOUR PER APP PARTITION PER IP;',
  '  RATE R4 v1 PER DAY PER SUBJECT;',
  '  RATE R5 1 PER 3 YEARS;',
  '  RATE R6 pkg.v2 PER MINUTE PER WORKSPACE PER IP;',
  '  RATE R7 1 PER SECONDS;',
  '  RATE R8 2 PER 1 HOURS;',
  '  RATE R9 3 PER 2 DAYS;',
  '  RATE R10 4 PER YEAR;',
  '  RATE R11 5 PER 10 MINUTE;',
  '  -- limits the command',
  '  LIMIT L1 ON COMMAND C WITH RATE R1;',
  '  LIMIT L2 EXECUTE ON QUERY Q WITH RATE R2;',
  '  LIMIT L3 SELECT ON VIEW V WITH RATE R1;',
  '  LIMIT L4 INSERT, UPDATE ON TABLE D WITH RATE R1;',
  '  LIMIT L5 ON ALL COMMANDS WITH RATE R1;',
  '  LIMIT L6 ON ALL TABLES WITH TAG T WITH RATE R1;',
  '  LIMIT L7 ON EACH QUERY WITH RATE R1;',
  '  LIMIT L8 ACTIVATE ON EACH TABLE WITH TAG T WITH RATE R1;',
  '  LIMIT L9 ON ALL VIEWS WITH RATE R1;',
  '  LIMIT L10 ON TABLE D WITH RATE R1;',
  '  LIMIT L11 ON ALL QUERIES WITH TAG T WITH RATE pkg.R2;',
  '  LIMIT L12 ON EACH COMMAND WITH RATE R1;',
  ');',
);

describe('RATE', () => {
  const app = build(source);
  const rate = (n: string) => typeOfKind(app, `pkg.${n}`, 'Rate');
  const s = 1000;
  const min = 60 * s;
  const h = 60 * min;
  const day = 24 * h;

  test('a count per unit, with the default AppPartition scope and the comment', () => {
    const r = rate('R1');
    assert.deepEqual(
      [r.count, r.periodMs, r.scopes, r.workspace, r.comment],
      [10, s, ['AppPartition'], 'pkg.W', ['ten a second']],
    );
  });

  test('units and amounts: SECOND(S), MINUTE(S), HOUR(S), DAY(S), YEAR(S) = 365 days', () => {
    const periods = ['R2', 'R3', 'R4', 'R5', 'R7', 'R8', 'R9', 'R10', 'R11'].map(
      (n) => rate(n).periodMs,
    );
    assert.deepEqual(periods, [2 * min, h, day, 3 * 365 * day, s, h, 2 * day, 365 * day, 10 * min]);
  });

  test('object scope (APP PARTITION / WORKSPACE) then subject scope (SUBJECT → User / IP)', () => {
    assert.deepEqual(rate('R2').scopes, ['Workspace']);
    assert.deepEqual(rate('R3').scopes, ['AppPartition', 'IP']);
    assert.deepEqual(rate('R4').scopes, ['AppPartition', 'User']);
    assert.deepEqual(rate('R6').scopes, ['Workspace', 'IP']);
  });

  test('a DECLAREd variable gives its DEFAULT as count (plain or qualified name)', () => {
    assert.equal(rate('R4').count, 7);
    assert.equal(rate('R6').count, 3);
  });

  test('a variable resolver overrides the DEFAULT', () => {
    const r = compile(source, { variables: (q) => (q === 'pkg.v2' ? 42 : undefined) });
    assert.deepEqual(errorLines(r), []);
    const r6 = r.appDef?.type('pkg.R6');
    assert.ok(r6?.kind === 'Rate');
    assert.equal(r6.count, 42);
    const r4 = r.appDef?.type('pkg.R4');
    assert.ok(r4?.kind === 'Rate' && r4.count === 7);
  });

  test('a resolver value that is not positive', () => {
    const r = compile(
      lines(
        'APPLICATION test();',
        'DECLARE v int32 DEFAULT 5;',
        'WORKSPACE W ( RATE R v PER HOUR; );',
      ),
      { variables: () => 0 },
    );
    assert.deepEqual(errorLines(r), ['file.vsql:3:22: positive value only allowed']);
  });

  test('a count that names something other than a variable', () => {
    assertErrors(lines('APPLICATION test();', 'WORKSPACE W ( ROLE v; RATE R v PER HOUR; );'), [
      'file.vsql:2:30: v undefined',
    ]);
  });
});

describe('LIMIT', () => {
  const app = build(source);
  const limit = (n: string) => typeOfKind(app, `pkg.${n}`, 'Limit');
  const sortedOps = (l: LimitDef) => [...l.ops].sort();
  const records = ['CDoc', 'CRecord', 'WDoc', 'WRecord', 'ODoc', 'ORecord'];
  const types = (...t: string[]) => ({ kind: 'Types', types: t, workspace: null });
  const withTag = (...t: string[]) => ({
    kind: 'And',
    filters: [types(...t), { kind: 'Tags', tags: ['pkg.T'] }],
  });
  const single = (name: string, ...t: string[]) => ({
    kind: 'And',
    filters: [types(...t), { kind: 'QNames', names: [name] }],
  });

  test('ON COMMAND: EXECUTE on that command, EACH, with its rate and comment', () => {
    const l = limit('L1');
    assert.deepEqual(
      [l.ops, l.option, l.filter, l.rate, l.comment, l.workspace],
      [['Execute'], 'EACH', single('pkg.C', 'Command'), 'pkg.R1', ['limits the command'], 'pkg.W'],
    );
  });

  test('ON QUERY / ON VIEW / ON TABLE with listed operations', () => {
    assert.deepEqual(
      [limit('L2').ops, limit('L2').filter],
      [['Execute'], single('pkg.Q', 'Query')],
    );
    assert.deepEqual(
      [limit('L3').ops, limit('L3').filter],
      [['Select'], single('pkg.V', 'ViewRecord')],
    );
    assert.deepEqual(
      [sortedOps(limit('L4')), limit('L4').filter],
      [['Insert', 'Update'], single('pkg.D', ...records)],
    );
  });

  test('ON TABLE without operations limits every table operation', () => {
    assert.deepEqual(sortedOps(limit('L10')), [
      'Activate',
      'Deactivate',
      'Insert',
      'Select',
      'Update',
    ]);
  });

  test('ON ALL …: option ALL, types filter, with or without a tag', () => {
    assert.deepEqual(
      [limit('L5').option, limit('L5').filter, limit('L5').ops],
      ['ALL', types('Command'), ['Execute']],
    );
    assert.deepEqual([limit('L6').option, limit('L6').filter], ['ALL', withTag(...records)]);
    assert.deepEqual(sortedOps(limit('L6')), [
      'Activate',
      'Deactivate',
      'Insert',
      'Select',
      'Update',
    ]);
    assert.deepEqual([limit('L9').filter, limit('L9').ops], [types('ViewRecord'), ['Select']]);
    assert.deepEqual([limit('L11').filter, limit('L11').rate], [withTag('Query'), 'pkg.R2']);
  });

  test('ON EACH …: option EACH, types filter, with or without a tag', () => {
    assert.deepEqual(
      [limit('L7').option, limit('L7').filter, limit('L7').ops],
      ['EACH', types('Query'), ['Execute']],
    );
    assert.deepEqual(
      [limit('L8').option, limit('L8').filter, limit('L8').ops],
      ['EACH', withTag(...records), ['Activate']],
    );
    assert.deepEqual([limit('L12').option, limit('L12').filter], ['EACH', types('Command')]);
  });

  test('a limit on a command of an inherited workspace', () => {
    const app2 = build(
      lines(
        'APPLICATION test();',
        'ABSTRACT WORKSPACE A ( EXTENSION ENGINE BUILTIN ( COMMAND C; ); );',
        'WORKSPACE W INHERITS A ( RATE R 1 PER HOUR; LIMIT L ON COMMAND C WITH RATE R; );',
      ),
    );
    assert.deepEqual(typeOfKind(app2, 'pkg.L', 'Limit').filter, single('pkg.C', 'Command'));
  });

  test('a rate of another workspace is not visible', () => {
    assertErrors(
      lines(
        'APPLICATION test();',
        'WORKSPACE A ( RATE R 1 PER HOUR; );',
        'WORKSPACE W ( EXTENSION ENGINE BUILTIN ( COMMAND C; ); LIMIT L ON COMMAND C WITH RATE R; );',
      ),
      ['file.vsql:3:87: undefined rate: R'],
    );
  });

  test('a limit whose filter matches nothing in the workspace', () => {
    // reference: appdef Limit.Validate → ErrFilterHasNoMatches(limit, filter, workspace)
    const errs = errorsOf(
      lines(
        'APPLICATION test();',
        'WORKSPACE W (',
        '  TAG T;',
        '  RATE R 1 PER HOUR;',
        '  LIMIT L ON ALL VIEWS WITH TAG T WITH RATE R;',
        ');',
      ),
    );
    assert.match(errs.join('\n'), /has no matches in Workspace «pkg\.W»/);
  });

  test('in a list of operations each one not allowed is reported at its position', () => {
    assertErrors(
      lines(
        'APPLICATION test();',
        'WORKSPACE W (',
        '  RATE R 1 PER HOUR;',
        '  EXTENSION ENGINE BUILTIN ( QUERY Q RETURNS void; );',
        '  LIMIT L EXECUTE, SELECT, EXECUTE, INSERT ON QUERY Q WITH RATE R;',
        ');',
      ),
      [
        'file.vsql:5:20: operation SELECT not allowed',
        'file.vsql:5:37: operation INSERT not allowed',
      ],
    );
  });
});
