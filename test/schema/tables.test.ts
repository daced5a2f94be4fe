// TABLE of every kind, inheritance, nested tables, record-typed fields, ref fields, UNIQUE / UNIQUEFIELD,
// WITH Comment/Tags, and the table checks of the analyser and the build stage.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  assertErrors,
  build,
  errorsOf,
  fieldOf,
  inWorkspace,
  lines,
  structureOf,
  userFields,
} from './support.js';

describe('table kinds', () => {
  // core.md §1.3: the kind comes from the sys abstract table the INHERITS chain reaches
  const app = build(
    inWorkspace(
      [
        'TABLE cd INHERITS sys.CDoc ()',
        'TABLE cr INHERITS sys.CRecord ()',
        'TABLE wd INHERITS sys.WDoc ()',
        'TABLE wr INHERITS sys.WRecord ()',
        'TABLE od INHERITS sys.ODoc ()',
        'TABLE orr INHERITS sys.ORecord ()',
        'TABLE cs INHERITS sys.CSingleton ()',
        'TABLE ws INHERITS sys.WSingleton ()',
      ].join(';'),
    ),
  );
  const cases: readonly [string, string, boolean][] = [
    ['cd', 'CDoc', false],
    ['cr', 'CRecord', false],
    ['wd', 'WDoc', false],
    ['wr', 'WRecord', false],
    ['od', 'ODoc', false],
    ['orr', 'ORecord', false],
    ['cs', 'CDoc', true],
    ['ws', 'WDoc', true],
  ];
  for (const [name, kind, singleton] of cases) {
    test(`INHERITS sys.${kind}${singleton ? ' singleton' : ''}: ${name} is a ${kind}`, () => {
      const s = structureOf(app, `pkg.${name}`);
      assert.deepEqual(
        [s.kind, s.singleton, s.abstract, s.workspace],
        [kind, singleton, false, 'pkg.W'],
      );
    });
  }

  test('an unqualified CDoc is looked up in the own package only: no kind', () => {
    // core.md §1.4: a candidate must belong to the resolved package; sys.Workspace is searched for sys names
    assertErrors(
      lines('APPLICATION test();', 'WORKSPACE W (', '  TABLE t INHERITS CDoc ();', ');'),
      ['file.vsql:3:3: undefined table kind'],
    );
  });

  test('a table without INHERITS has no kind', () => {
    assertErrors(lines('APPLICATION test();', 'WORKSPACE W (', '  TABLE t (a int);', ');'), [
      'file.vsql:3:3: undefined table kind',
    ]);
  });

  test('a table inheriting a TYPE has no kind', () => {
    assertErrors(
      lines(
        'APPLICATION test();',
        'WORKSPACE W (',
        '  TYPE T (a int);',
        '  TABLE t INHERITS T ();',
        ');',
      ),
      ['file.vsql:4:3: undefined table kind'],
    );
  });
});

describe('table inheritance', () => {
  const app = build(
    lines(
      'APPLICATION test();',
      'WORKSPACE W (',
      '  ABSTRACT TABLE Base INHERITS sys.WDoc (b1 int32, b2 varchar(7) NOT NULL);',
      '  ABSTRACT TABLE Mid INHERITS Base (m1 bool, items TABLE MidItem (x int));',
      '  TABLE Leaf INHERITS Mid (l1 int64);',
      '  TABLE Leaf2 INHERITS Base ();',
      ');',
    ),
  );

  test('the kind is derived through abstract user tables', () => {
    assert.equal(structureOf(app, 'pkg.Leaf').kind, 'WDoc');
    assert.equal(structureOf(app, 'pkg.Leaf2').kind, 'WDoc');
  });

  test('fields of all bases are copied, the farthest base first', () => {
    assert.deepEqual(userFields(structureOf(app, 'pkg.Leaf')), ['b1', 'b2', 'm1', 'l1']);
    const b2 = fieldOf(structureOf(app, 'pkg.Leaf'), 'b2');
    assert.deepEqual([b2.required, b2.maxLen], [true, 7]);
  });

  test('nested tables of a base become containers of the derived table', () => {
    assert.deepEqual(structureOf(app, 'pkg.Leaf').containers, [
      { name: 'items', type: 'pkg.MidItem', minOccurs: 0, maxOccurs: 100 },
    ]);
    assert.equal(structureOf(app, 'pkg.MidItem').kind, 'WRecord');
  });

  test('abstract tables are in the AppDef, marked abstract', () => {
    const base = structureOf(app, 'pkg.Base');
    assert.deepEqual([base.kind, base.abstract], ['WDoc', true]);
    assert.equal(structureOf(app, 'pkg.Leaf').abstract, false);
  });
});

describe('nested tables', () => {
  const app = build(
    lines(
      'APPLICATION test();',
      'WORKSPACE W (',
      '  TAG T;',
      '  TABLE C INHERITS sys.CDoc (',
      '    lines TABLE CLine (',
      '      q int32,',
      '      sub TABLE CSub (z int8)',
      '    ) WITH Tags=(T),',
      '    more TABLE CMore INHERITS sys.CRecord (m int)',
      '  );',
      '  TABLE Wd INHERITS sys.WDoc (lines TABLE WLine ());',
      '  TABLE Od INHERITS sys.ODoc (lines TABLE OLine (sub TABLE OSub ()));',
      '  TABLE Cr INHERITS sys.CRecord (lines TABLE CrLine ());',
      ');',
    ),
  );

  test('a nested table becomes a record of the root family and a 0..100 container', () => {
    const c = structureOf(app, 'pkg.C');
    assert.deepEqual(c.containers, [
      { name: 'lines', type: 'pkg.CLine', minOccurs: 0, maxOccurs: 100 },
      { name: 'more', type: 'pkg.CMore', minOccurs: 0, maxOccurs: 100 },
    ]);
    assert.equal(structureOf(app, 'pkg.CLine').kind, 'CRecord');
    assert.equal(structureOf(app, 'pkg.CMore').kind, 'CRecord');
    assert.equal(structureOf(app, 'pkg.WLine').kind, 'WRecord');
    assert.equal(structureOf(app, 'pkg.OLine').kind, 'ORecord');
    assert.equal(structureOf(app, 'pkg.CrLine').kind, 'CRecord');
  });

  test('nested tables nest; the deepest keeps the root family', () => {
    assert.deepEqual(
      structureOf(app, 'pkg.CLine').containers.map((x) => [x.name, x.type]),
      [['sub', 'pkg.CSub']],
    );
    assert.equal(structureOf(app, 'pkg.CSub').kind, 'CRecord');
    assert.equal(structureOf(app, 'pkg.OSub').kind, 'ORecord');
    assert.deepEqual(userFields(structureOf(app, 'pkg.CSub')), ['z']);
  });

  test('a nested table has its own tags and the workspace of its root', () => {
    const line = structureOf(app, 'pkg.CLine');
    assert.deepEqual(line.tags, ['pkg.T']);
    assert.equal(line.workspace, 'pkg.W');
    assert.ok(app.workspace('pkg.W')?.types.includes('pkg.CSub'));
  });

  test('a nested table whose INHERITS gives another family: incorrect nested table kind', () => {
    assertErrors(
      lines(
        'APPLICATION test();',
        'WORKSPACE W (',
        '  TABLE C INHERITS sys.CDoc (n TABLE N INHERITS sys.WRecord ());',
        ');',
      ),
      ['file.vsql:3:30: incorrect nested table kind'],
    );
  });

  test('a nested table inheriting a document kind: incorrect nested table kind', () => {
    assertErrors(
      lines(
        'APPLICATION test();',
        'WORKSPACE W (',
        '  TABLE O INHERITS sys.ODoc (n TABLE N INHERITS sys.ODoc ());',
        ');',
      ),
      ['file.vsql:3:30: incorrect nested table kind'],
    );
  });

  test('a nested table name clashing with a field: redefinition (build stage)', () => {
    assertErrors(
      lines(
        'APPLICATION test();',
        'WORKSPACE W (',
        '  TABLE C INHERITS sys.CDoc (a int,',
        '    a TABLE N (x int));',
        ');',
      ),
      ['file.vsql:4:5: redefinition of a'],
    );
  });

  test('a nested table named like a package statement: redefinition at its TABLE keyword', () => {
    assertErrors(
      lines(
        'APPLICATION test();',
        'WORKSPACE W (',
        '  ROLE N;',
        '  TABLE C INHERITS sys.CDoc (n TABLE N ());',
        ');',
      ),
      ['file.vsql:4:32: redefinition of N'],
    );
  });
});

describe('fields of record-table type', () => {
  test('a field of a CRecord type in a CDoc is a 0..100 container', () => {
    const app = build(
      inWorkspace(
        'TABLE R INHERITS sys.CRecord (x int); TABLE D INHERITS sys.CDoc (rs R, other R)',
      ),
    );
    assert.deepEqual(structureOf(app, 'pkg.D').containers, [
      { name: 'rs', type: 'pkg.R', minOccurs: 0, maxOccurs: 100 },
      { name: 'other', type: 'pkg.R', minOccurs: 0, maxOccurs: 100 },
    ]);
  });

  test('ODoc may contain ORecords by field type', () => {
    const app = build(
      inWorkspace('TABLE R INHERITS sys.ORecord (x int); TABLE D INHERITS sys.ODoc (rs R)'),
    );
    assert.deepEqual(
      structureOf(app, 'pkg.D').containers.map((c) => c.type),
      ['pkg.R'],
    );
  });

  test('a field of a document type: T type not supported', () => {
    assertErrors(
      lines(
        'APPLICATION test();',
        'WORKSPACE W (',
        '  TABLE D1 INHERITS sys.CDoc ();',
        '  TABLE D2 INHERITS sys.CDoc (f D1);',
        ');',
      ),
      ['file.vsql:4:33: D1 type not supported'],
    );
  });

  test('a field of a record of another family is rejected at build stage', () => {
    // reference: addTableFieldToTable appends ErrNestedTableIncorrectKind to the errors;
    // the position check is in the next test
    const errs = errorsOf(
      lines(
        'APPLICATION test();',
        'WORKSPACE W (',
        '  TABLE WR INHERITS sys.WRecord ();',
        '  TABLE D INHERITS sys.CDoc (f WR);',
        ');',
      ),
    );
    assert.equal(errs.length, 1);
    assert.match(errs[0] ?? '', /incorrect nested table kind$/);
  });

  test('that build-stage nested kind error has no position, like the reference', () => {
    // reference: c.errs = append(c.errs, ErrNestedTableIncorrectKind), no errorAt
    assertErrors(
      lines(
        'APPLICATION test();',
        'WORKSPACE W (',
        '  TABLE WR INHERITS sys.WRecord ();',
        '  TABLE D INHERITS sys.CDoc (f WR);',
        ');',
      ),
      ['incorrect nested table kind'],
    );
  });
});

describe('ref fields', () => {
  const app = build(
    lines(
      'APPLICATION test();',
      'WORKSPACE W (',
      '  TABLE A INHERITS sys.CDoc ();',
      '  TABLE B INHERITS sys.CDoc ();',
      '  TABLE R INHERITS sys.CDoc (',
      '    anyRef ref,',
      '    one ref(A),',
      '    two ref(A, B) NOT NULL,',
      '    self ref(R),',
      '    qualified ref(pkg.A)',
      '  );',
      '  TABLE W1 INHERITS sys.WDoc (c ref(A), w ref(W2));',
      '  TABLE W2 INHERITS sys.WDoc ();',
      '  TABLE O INHERITS sys.ODoc (c ref(A), w ref(W2), o ref(O));',
      ');',
    ),
  );

  test('a ref field is a RecordID with its allowed targets (none = any)', () => {
    const r = structureOf(app, 'pkg.R');
    assert.deepEqual(
      ['anyRef', 'one', 'two', 'self', 'qualified'].map((n) => {
        const f = fieldOf(r, n);
        return [n, f.data, f.required, f.refs];
      }),
      [
        ['anyRef', 'RecordID', false, []],
        ['one', 'RecordID', false, ['pkg.A']],
        ['two', 'RecordID', true, ['pkg.A', 'pkg.B']],
        ['self', 'RecordID', false, ['pkg.R']],
        ['qualified', 'RecordID', false, ['pkg.A']],
      ],
    );
  });

  test('WDoc may reference CDoc and WDoc; ODoc may reference anything', () => {
    assert.deepEqual(fieldOf(structureOf(app, 'pkg.W1'), 'c').refs, ['pkg.A']);
    assert.deepEqual(fieldOf(structureOf(app, 'pkg.W1'), 'w').refs, ['pkg.W2']);
    assert.deepEqual(
      ['c', 'w', 'o'].map((n) => fieldOf(structureOf(app, 'pkg.O'), n).refs[0]),
      ['pkg.A', 'pkg.W2', 'pkg.O'],
    );
  });

  test('WDoc referencing an ODoc or ORecord (build stage)', () => {
    assertErrors(
      lines(
        'APPLICATION test();',
        'WORKSPACE W (',
        '  TABLE O INHERITS sys.ODoc (lines TABLE OL ());',
        '  TABLE D INHERITS sys.WDoc (a ref(O), b ref(OL));',
        ');',
      ),
      [
        'file.vsql:4:30: table pkg.D can not reference to ODoc «pkg.O»',
        'file.vsql:4:40: table pkg.D can not reference to ORecord «pkg.OL»',
      ],
    );
  });

  test('a CRecord nested in a CDoc referencing a WDoc', () => {
    assertErrors(
      lines(
        'APPLICATION test();',
        'WORKSPACE W (',
        '  TABLE Wd INHERITS sys.WDoc ();',
        '  TABLE D INHERITS sys.CDoc (n TABLE N (r ref(Wd)));',
        ');',
      ),
      ['file.vsql:4:47: Wd: reference to WDoc/WRecord'],
    );
  });

  test('a ref to something that is not a table', () => {
    assertErrors(
      lines(
        'APPLICATION test();',
        'WORKSPACE W (',
        '  TYPE T ();',
        '  TABLE D INHERITS sys.CDoc (r ref(T), s ref(nopkg.X));',
        ');',
      ),
      ['file.vsql:4:36: undefined table: T', 'file.vsql:4:46: nopkg undefined'],
    );
  });
});

describe('UNIQUE and UNIQUEFIELD', () => {
  const app = build(
    lines(
      'APPLICATION test();',
      'WORKSPACE W (',
      '  TYPE FS (fs1 int);',
      '  TABLE D INHERITS sys.CDoc (',
      '    a int, b varchar, c int, r ref, FS,',
      '    UNIQUE (a),',
      '    CONSTRAINT named UNIQUE (b, c),',
      '    UNIQUE (r, fs1),',
      '    UNIQUEFIELD a',
      '  );',
      ');',
    ),
  );
  const d = structureOf(app, 'pkg.D');

  test('unnamed uniques are numbered 01, 02… in order; named ones keep their name', () => {
    assert.deepEqual(d.uniques, [
      { name: 'pkg.D$uniques$01', fields: ['a'] },
      { name: 'pkg.D$uniques$named', fields: ['b', 'c'] },
      { name: 'pkg.D$uniques$02', fields: ['r', 'fs1'] },
    ]);
  });

  test('UNIQUEFIELD sets the single unique field', () => {
    assert.equal(d.uniqueField, 'a');
    assert.equal(
      structureOf(build(inWorkspace('TABLE t INHERITS sys.CDoc (a int)')), 'pkg.t').uniqueField,
      null,
    );
  });

  test('a field in UNIQUE that does not exist', () => {
    assertErrors(
      lines(
        'APPLICATION test();',
        'WORKSPACE W (',
        '  TABLE t INHERITS sys.CDoc (a int, UNIQUE (a, zz));',
        ');',
      ),
      ['file.vsql:3:37: undefined field zz'],
    );
  });

  test('UNIQUE sees only the own fields and field sets, not inherited ones (reference quirk)', () => {
    // reference: lookupField walks the table's own items only
    assertErrors(
      lines(
        'APPLICATION test();',
        'WORKSPACE W (',
        '  ABSTRACT TABLE B INHERITS sys.CDoc (bf int);',
        '  TABLE t INHERITS B (UNIQUE (bf));',
        ');',
      ),
      ['file.vsql:4:23: undefined field bf'],
    );
  });

  test('a UNIQUE written before its fields is rejected at build stage (reference quirk)', () => {
    // reference: addConstraintToDef looks the field up among the fields built so far
    assertErrors(
      lines(
        'APPLICATION test();',
        'WORKSPACE W (',
        '  TABLE t INHERITS sys.CDoc (UNIQUE (a), a int);',
        ');',
      ),
      ['file.vsql:3:30: undefined field a'],
    );
  });

  test('a named constraint may reuse a table name: constraints are not package statements', () => {
    const app2 = build(inWorkspace('TABLE c1 INHERITS sys.CDoc (a int, CONSTRAINT c1 UNIQUE (a))'));
    assert.deepEqual(
      structureOf(app2, 'pkg.c1').uniques.map((u) => u.name),
      ['pkg.c1$uniques$c1'],
    );
  });

  test('CHECK (expr) table constraints are parsed and ignored', () => {
    const app2 = build(
      inWorkspace(
        'TABLE t INHERITS sys.CDoc (a int, b int, CHECK (a < b), CONSTRAINT chk CHECK (a > 0))',
      ),
    );
    assert.deepEqual(structureOf(app2, 'pkg.t').uniques, []);
  });
});

describe('WITH and comments on tables', () => {
  const app = build(
    lines(
      'APPLICATION test();',
      'WORKSPACE W (',
      '  TAG T1;',
      '  TAG T2;',
      '  -- line one',
      '  -- line two',
      '  TABLE A INHERITS sys.CDoc (',
      '    -- about x',
      '    x int',
      '  );',
      '  /* block',
      '     comment */',
      "  TABLE B INHERITS sys.CDoc () WITH Comment='from WITH', Tags=(T1, T2);",
      "  TABLE C INHERITS sys.CDoc () WITH Tags=(T1), Comment='first', Tags=(pkg.T2), Comment='second';",
      ');',
    ),
  );

  test('the comment block right before a table becomes its description', () => {
    assert.deepEqual(structureOf(app, 'pkg.A').comment, ['line one', 'line two']);
  });

  test('a comment before a field becomes the field description', () => {
    assert.deepEqual(fieldOf(structureOf(app, 'pkg.A'), 'x').comment, ['about x']);
  });

  test('WITH Comment overrides the doc comment; WITH Tags attaches tags', () => {
    const b = structureOf(app, 'pkg.B');
    assert.deepEqual(b.comment, ['from WITH']);
    assert.deepEqual(b.tags, ['pkg.T1', 'pkg.T2']);
  });

  test('several WITH items: tags accumulate, the last comment wins', () => {
    const c = structureOf(app, 'pkg.C');
    assert.deepEqual(c.tags, ['pkg.T1', 'pkg.T2']);
    assert.deepEqual(c.comment, ['second']);
  });

  test('an unknown tag in WITH', () => {
    assertErrors(
      lines(
        'APPLICATION test();',
        'WORKSPACE W (',
        '  TABLE A INHERITS sys.CDoc () WITH Tags=(Nope);',
        ');',
      ),
      ['file.vsql:3:43: undefined tag: Nope'],
    );
  });
});

describe('comments as descriptions', () => {
  // reference lexer: a PreStmtComment token is a run of `--` lines, each starting a line (blank lines
  // inside the run included), or one `/* */` block starting a line; a statement takes the last one
  const app = build(
    lines(
      '-- on the first line: not a statement comment',
      'WORKSPACE W0 ();',
      'APPLICATION a();',
      '-- first part',
      '',
      '-- second part',
      'WORKSPACE W (',
      '  ROLE r1; -- trailing, on the line of r1',
      '  ROLE r2;',
      '  /* multi',
      '     line */',
      '  ROLE r3;',
      '  /* block */ -- then a trailing line comment',
      '  ROLE r4;',
      '  --no space',
      '  ROLE r5;',
      '  --   padded   ',
      '  ROLE r6;',
      '  -- followed by a blank line',
      '',
      '  ROLE r7;',
      '  -- a tag',
      "  TAG t FEATURE 'f';",
      ');',
    ),
  );
  const comment = (name: string) => app.type(`pkg.${name}`)?.comment;

  test('a comment on the first line of a file is not attached', () => {
    assert.deepEqual(app.workspace('pkg.W0')?.comment, []);
  });

  test('consecutive -- lines are one block, even with blank lines between them', () => {
    assert.deepEqual(app.workspace('pkg.W')?.comment, ['first part', 'second part']);
  });

  test('a trailing comment belongs to no statement', () => {
    assert.deepEqual(comment('r1'), []);
    assert.deepEqual(comment('r2'), []);
  });

  test('a block comment: one line per text line', () => {
    assert.deepEqual(comment('r3'), ['multi', 'line']);
    assert.deepEqual(comment('r4'), ['block']);
  });

  test('-- and the spaces around the text are stripped', () => {
    assert.deepEqual(comment('r5'), ['no space']);
    assert.deepEqual(comment('r6'), ['padded']);
  });

  test('a blank line between the comment and the statement does not detach it', () => {
    assert.deepEqual(comment('r7'), ['followed by a blank line']);
  });

  test('a tag keeps its comment and its feature', () => {
    const t = app.type('pkg.t');
    assert.ok(t?.kind === 'Tag');
    assert.deepEqual([t.comment, t.feature], [['a tag'], 'f']);
  });
});
