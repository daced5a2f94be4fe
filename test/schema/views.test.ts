// VIEW: primary key ((partition), clustering), value fields, ref fields, AS RESULT OF a projector or a
// job, WITH, comments; and the view checks the reference error cases do not already cover.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FieldDef } from '../../src/schema/index.js';
import { assertErrors, build, errorsOf, lines, typeOfKind, workspaceOf } from './support.js';

const brief = (f: FieldDef) =>
  `${f.name}:${f.data}${f.required ? '!' : ''}${f.maxLen === null ? '' : `(${f.maxLen})`}`;

describe('VIEW', () => {
  const app = build(
    lines(
      'APPLICATION test();',
      'WORKSPACE W (',
      '  TAG T;',
      '  TABLE Doc INHERITS sys.CDoc ();',
      '  -- the view',
      '  VIEW V (',
      '    -- partition part one',
      '    P1 int32,',
      '    P2 qname,',
      '    C1 int64,',
      '    C2 varchar(20),',
      '    R ref(Doc) NOT NULL,',
      '    Val float64 NOT NULL,',
      '    B bytes(100),',
      '    Flag bool,',
      '    PRIMARY KEY ((P1, P2), C1, C2)',
      '  ) AS RESULT OF Prj WITH Tags=(T);',
      '  VIEW VB (K int8, C bytes(16), PRIMARY KEY ((K), C)) AS RESULT OF pkg.Prj;',
      "  VIEW VC (K bool, C int16, PRIMARY KEY ((K), C)) AS RESULT OF Prj WITH Comment='from with';",
      '  EXTENSION ENGINE BUILTIN (',
      '    COMMAND Cmd;',
      '    PROJECTOR Prj AFTER EXECUTE ON Cmd INTENTS(sys.View(V, VB), sys.View(pkg.VC));',
      '  );',
      ');',
    ),
  );
  const v = typeOfKind(app, 'pkg.V', 'ViewRecord');

  test('partition key fields, in key order, are required', () => {
    assert.deepEqual(v.partitionKey.map(brief), ['P1:int32!', 'P2:QName!']);
  });

  test('clustering columns keep their order; the last varchar keeps its MaxLen', () => {
    assert.deepEqual(
      v.clusteringColumns.map((f) => [f.name, f.data, f.maxLen]),
      [
        ['C1', 'int64', null],
        ['C2', 'string', 20],
      ],
    );
  });

  test('clustering columns are not required', () => {
    // reference: ViewClustCols.addField / addRefField add the key fields with required = false
    assert.deepEqual(
      [...v.clusteringColumns, ...typeOfKind(app, 'pkg.VB', 'ViewRecord').clusteringColumns].map(
        (f) => f.required,
      ),
      [false, false, false],
    );
  });

  test('the value is sys.QName then the non-key fields in declaration order', () => {
    assert.deepEqual(v.value.map(brief), [
      'sys.QName:QName!',
      'R:RecordID!',
      'Val:float64!',
      'B:bytes(100)',
      'Flag:bool',
    ]);
    assert.equal(v.value[0]?.system, true);
  });

  test('comments describe the view and its fields; WITH Tags attaches tags', () => {
    assert.deepEqual(v.comment, ['the view']);
    assert.deepEqual(v.partitionKey[0]?.comment, ['partition part one']);
    assert.deepEqual(v.tags, ['pkg.T']);
    assert.deepEqual(typeOfKind(app, 'pkg.VC', 'ViewRecord').comment, ['from with']);
  });

  test('a bytes clustering column may be last', () => {
    const vb = typeOfKind(app, 'pkg.VB', 'ViewRecord');
    assert.deepEqual(
      vb.clusteringColumns.map((f) => [f.name, f.data, f.maxLen]),
      [['C', 'bytes', 16]],
    );
    assert.deepEqual(vb.partitionKey.map(brief), ['K:int8!']);
  });

  test('fixed-width types are allowed in the partition key', () => {
    const app2 = build(
      lines(
        'APPLICATION test();',
        'WORKSPACE W (',
        '  VIEW V (k int32, f float64, q qname, bo bool, r ref, c int, PRIMARY KEY((k, f, q, bo, r), c)) AS RESULT OF P;',
        '  EXTENSION ENGINE BUILTIN (COMMAND C; PROJECTOR P AFTER EXECUTE ON C INTENTS(sys.View(V)););',
        ');',
      ),
    );
    assert.deepEqual(
      typeOfKind(app2, 'pkg.V', 'ViewRecord').partitionKey.map((f) => f.data),
      ['int32', 'float64', 'QName', 'bool', 'RecordID'],
    );
  });

  test('views belong to their workspace; a qualified or multi-entity intent declares them', () => {
    const w = workspaceOf(app, 'pkg.W');
    for (const name of ['pkg.V', 'pkg.VB', 'pkg.VC']) assert.ok(w.types.includes(name), name);
  });

  test('a view may be the result of a job that declares it', () => {
    const app2 = build(
      lines(
        'APPLICATION test();',
        'ALTER WORKSPACE sys.AppWorkspaceWS (',
        '  VIEW JV (k int32, c int32, PRIMARY KEY((k), c)) AS RESULT OF J;',
        "  EXTENSION ENGINE BUILTIN (JOB J '@hourly' INTENTS(sys.View(JV)););",
        ');',
      ),
    );
    const jv = typeOfKind(app2, 'pkg.JV', 'ViewRecord');
    assert.equal(jv.workspace, 'sys.AppWorkspaceWS');
  });
});

describe('VIEW checks', () => {
  test('the producer must declare an intent for this view, not another one', () => {
    assertErrors(
      lines(
        'APPLICATION test();',
        'WORKSPACE W (',
        '  VIEW V (k int32, c int32, PRIMARY KEY((k), c)) AS RESULT OF P;',
        '  VIEW V2 (k int32, c int32, PRIMARY KEY((k), c)) AS RESULT OF P;',
        '  EXTENSION ENGINE BUILTIN (COMMAND C; PROJECTOR P AFTER EXECUTE ON C INTENTS(sys.View(V)););',
        ');',
      ),
      ['file.vsql:4:64: P does not declare intent for view V2'],
    );
  });

  test('a job producer without the intent: the same error (the reference panics here)', () => {
    // reference: ErrStatementDoesNotDeclareViewIntent(projector.GetName(), …) with a nil projector
    assertErrors(
      lines(
        'APPLICATION test();',
        'ALTER WORKSPACE sys.AppWorkspaceWS (',
        '  VIEW V (k int32, c int32, PRIMARY KEY((k), c)) AS RESULT OF J;',
        "  EXTENSION ENGINE BUILTIN (JOB J '@hourly' INTENTS(sys.SendMail););",
        ');',
      ),
      ['file.vsql:3:63: J does not declare intent for view V'],
    );
  });

  test('AS RESULT OF a command (neither projector nor job)', () => {
    assertErrors(
      lines(
        'APPLICATION test();',
        'WORKSPACE W (',
        '  VIEW V (k int32, c int32, PRIMARY KEY((k), c)) AS RESULT OF C;',
        '  EXTENSION ENGINE BUILTIN (COMMAND C; PROJECTOR P AFTER EXECUTE ON C INTENTS(sys.View(V)););',
        ');',
      ),
      ['file.vsql:3:63: C undefined'],
    );
  });

  test('a projector of another workspace is not visible, nor the view from there', () => {
    assertErrors(
      lines(
        'APPLICATION test();',
        'WORKSPACE W (',
        '  VIEW V (k int32, c int32, PRIMARY KEY((k), c)) AS RESULT OF P;',
        ');',
        'WORKSPACE W2 (',
        '  EXTENSION ENGINE BUILTIN (COMMAND C; PROJECTOR P AFTER EXECUTE ON C INTENTS(sys.View(V)););',
        ');',
      ),
      ['file.vsql:3:63: P undefined', 'file.vsql:6:79: undefined view: V'],
    );
  });

  test('a field declared twice after the key fields', () => {
    assertErrors(
      lines(
        'APPLICATION test();',
        'WORKSPACE W (',
        '  VIEW V (k int32, v int32, c int32, v int64, PRIMARY KEY((k), c)) AS RESULT OF P;',
        '  EXTENSION ENGINE BUILTIN (COMMAND C; PROJECTOR P AFTER EXECUTE ON C INTENTS(sys.View(V)););',
        ');',
      ),
      ['file.vsql:3:38: redefinition of v'],
    );
  });

  test('an unknown tag in the view WITH', () => {
    assertErrors(
      lines(
        'APPLICATION test();',
        'WORKSPACE W (',
        '  VIEW V (k int32, c int32, PRIMARY KEY((k), c)) AS RESULT OF P WITH Tags=(Nope);',
        '  EXTENSION ENGINE BUILTIN (COMMAND C; PROJECTOR P AFTER EXECUTE ON C INTENTS(sys.View(V)););',
        ');',
      ),
      ['file.vsql:3:76: undefined tag: Nope'],
    );
  });

  test('a key without a partition part is rejected (the AppDef needs partition key fields)', () => {
    // reference: ViewPartKey.Validate → ErrMissed("… partition key fields") when the view is built
    const errs = errorsOf(
      lines(
        'APPLICATION test();',
        'WORKSPACE W (',
        '  VIEW V (k int32, c int32, PRIMARY KEY(k, c)) AS RESULT OF P;',
        '  EXTENSION ENGINE BUILTIN (COMMAND C; PROJECTOR P AFTER EXECUTE ON C INTENTS(sys.View(V)););',
        ');',
      ),
    );
    assert.match(errs.join('\n'), /missed: ViewRecord «pkg\.V» partition key fields/);
  });
});
