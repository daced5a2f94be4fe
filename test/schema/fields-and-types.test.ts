// Data types and their aliases, field modifiers (NOT NULL, VERIFIABLE, DEFAULT, CHECK), TYPE statements
// with containers and field sets, system fields per kind, and the field-level semantic checks.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  assertErrors,
  assertSyntaxErrorAt,
  build,
  errorsOf,
  fieldOf,
  inWorkspace,
  lines,
  structureOf,
  userFields,
} from './support.js';

describe('data types and aliases', () => {
  // core.md §1.2 dataType and §1.3 type mapping
  const aliases: readonly [string, string, number | null][] = [
    ['varchar', 'string', 255],
    ['varchar(10)', 'string', 10],
    ['text', 'string', 255],
    ['text(20)', 'string', 20],
    ['character varying', 'string', 255],
    ['character varying(30)', 'string', 30],
    ['bytes', 'bytes', 255],
    ['bytes(40)', 'bytes', 40],
    ['varbinary', 'bytes', 255],
    ['varbinary(50)', 'bytes', 50],
    ['binary varying', 'bytes', 255],
    ['binary varying(60)', 'bytes', 60],
    ['int8', 'int8', null],
    ['tinyint', 'int8', null],
    ['int16', 'int16', null],
    ['smallint', 'int16', null],
    ['int32', 'int32', null],
    ['int', 'int32', null],
    ['integer', 'int32', null],
    ['int64', 'int64', null],
    ['bigint', 'int64', null],
    ['float32', 'float32', null],
    ['float', 'float32', null],
    ['real', 'float32', null],
    ['float64', 'float64', null],
    ['double precision', 'float64', null],
    ['timestamp', 'int64', null],
    ['currency', 'int64', null],
    ['money', 'int64', null],
    ['bool', 'bool', null],
    ['boolean', 'bool', null],
    ['qname', 'QName', null],
    ['qualified name', 'QName', null],
    ['blob', 'RecordID', null],
    ['binary large object', 'RecordID', null],
  ];
  const fields = aliases.map(([t], i) => `f${i} ${t}`).join(', ');
  const app = build(inWorkspace(`TABLE t INHERITS sys.CDoc (${fields})`));
  const t = structureOf(app, 'pkg.t');

  for (const [i, [type, data, maxLen]] of aliases.entries()) {
    test(`${type} is ${data}${maxLen === null ? '' : ` with MaxLen ${maxLen}`}`, () => {
      const f = fieldOf(t, `f${i}`);
      assert.equal(f.data, data);
      assert.equal(f.maxLen, maxLen);
      assert.equal(f.required, false);
      assert.equal(f.system, false);
    });
  }

  test('blob fields reference the sys.BLOB WDoc, other scalars reference nothing', () => {
    for (const [i, [type]] of aliases.entries()) {
      const blob = type === 'blob' || type === 'binary large object';
      assert.deepEqual(fieldOf(t, `f${i}`).refs, blob ? ['sys.BLOB'] : [], type);
    }
  });

  test('the largest allowed length is 65535 for varchar and bytes', () => {
    const s = structureOf(
      build(inWorkspace('TABLE t INHERITS sys.CDoc (a varchar(65535), b bytes(65535))')),
      'pkg.t',
    );
    assert.equal(fieldOf(s, 'a').maxLen, 65535);
    assert.equal(fieldOf(s, 'b').maxLen, 65535);
  });

  test('bytes longer than 65535 in a table: maximum field length is 65535', () => {
    // reference check ErrMaxFieldLengthTooLarge, reported at the data type
    assertErrors(
      lines(
        'APPLICATION test();',
        'WORKSPACE W (',
        '  TABLE t INHERITS sys.CDoc (a bytes(65536), b varchar(100000));',
        ');',
      ),
      [
        'file.vsql:3:32: maximum field length is 65535',
        'file.vsql:3:48: maximum field length is 65535',
      ],
    );
  });

  test('varchar longer than 65535 in a view: maximum field length is 65535', () => {
    assertErrors(
      lines(
        'APPLICATION test();',
        'WORKSPACE W (',
        '  VIEW V (k int32, c varchar(70000), PRIMARY KEY((k), c)) AS RESULT OF P;',
        '  EXTENSION ENGINE BUILTIN (COMMAND C; PROJECTOR P AFTER EXECUTE ON C INTENTS(sys.View(V)););',
        ');',
      ),
      ['file.vsql:3:22: maximum field length is 65535'],
    );
  });

  test('BLOB is allowed in tables, nested tables and workspace descriptors', () => {
    const app2 = build(
      lines(
        'APPLICATION test();',
        'WORKSPACE W (',
        '  DESCRIPTOR D (photo blob);',
        '  TABLE t INHERITS sys.WDoc (n TABLE nt (b binary large object));',
        ');',
      ),
    );
    assert.deepEqual(fieldOf(structureOf(app2, 'pkg.D'), 'photo').refs, ['sys.BLOB']);
    assert.deepEqual(fieldOf(structureOf(app2, 'pkg.nt'), 'b').refs, ['sys.BLOB']);
  });
});

describe('field modifiers', () => {
  const app = build(
    lines(
      'APPLICATION test();',
      'WORKSPACE W (',
      '  TABLE t INHERITS sys.CDoc (',
      '    a varchar NOT NULL,',
      '    b varchar(100) NOT NULL VERIFIABLE,',
      '    c int32 DEFAULT 42,',
      "    d varchar DEFAULT 'x',",
      "    e varchar(8) CHECK '^[0-9]{8}$',",
      '    f int64 CHECK (f > 0 AND f < 100),',
      "    g varchar NOT NULL VERIFIABLE DEFAULT 'a' CHECK '^a'",
      '  );',
      ');',
    ),
  );
  const t = structureOf(app, 'pkg.t');

  test('NOT NULL makes a field required', () => {
    assert.equal(fieldOf(t, 'a').required, true);
    assert.equal(fieldOf(t, 'c').required, false);
  });

  test('VERIFIABLE marks a field verifiable', () => {
    assert.equal(fieldOf(t, 'b').verifiable, true);
    assert.equal(fieldOf(t, 'a').verifiable, false);
  });

  test('DEFAULT values and CHECK (expr) are parsed and ignored by the model', () => {
    // core.md §1.3: DEFAULT and CHECK (expr) are parsed but ignored by the builder
    for (const name of ['c', 'd', 'f']) {
      const f = fieldOf(t, name);
      assert.equal(f.pattern, null, name);
      assert.equal(f.required, false, name);
    }
  });

  test("CHECK 'regexp' on varchar becomes the field's pattern", () => {
    assert.equal(fieldOf(t, 'e').pattern, '^[0-9]{8}$');
    assert.equal(fieldOf(t, 'e').maxLen, 8);
  });

  test('all modifiers together in their grammar order', () => {
    const g = fieldOf(t, 'g');
    assert.deepEqual([g.required, g.verifiable, g.pattern, g.data], [true, true, '^a', 'string']);
  });

  test('an escaped quote inside a CHECK regexp is unquoted into the pattern', () => {
    const s = structureOf(
      build(inWorkspace("TABLE t INHERITS sys.CDoc (a varchar CHECK '^it\\'s$')")),
      'pkg.t',
    );
    assert.equal(fieldOf(s, 'a').pattern, "^it's$");
  });

  test('string literals are unquoted like Go character escapes', () => {
    // reference: participle.Unquote("String") decodes every Go escape, so '\\d' in VSQL is the regexp \d
    const s = structureOf(
      build(inWorkspace("TABLE t INHERITS sys.CDoc (a varchar CHECK '^\\\\d+\\t$')")),
      'pkg.t',
    );
    assert.equal(fieldOf(s, 'a').pattern, '^\\d+\t$');
  });

  test('an invalid escape in a string literal is an error at the literal', () => {
    // reference: participle.Unquote fails on \d ("invalid quoted string ...: invalid syntax")
    const errs = errorsOf(
      lines(
        'APPLICATION test();',
        'WORKSPACE W (',
        "  TABLE t INHERITS sys.CDoc (a varchar CHECK '^\\d$');",
        ');',
      ),
    );
    assert.match(errs[0] ?? '', /^file\.vsql:3:46: invalid quoted string/);
  });

  test('DEFAULT NEXTVAL is a reserved token the grammar does not accept', () => {
    // reference lexer has a DEFAULTNEXTVAL token; the field rule that used it is commented out
    assertSyntaxErrorAt(
      lines(
        'APPLICATION test();',
        'WORKSPACE W (',
        "  TABLE t INHERITS sys.CDoc (a int64 DEFAULT NEXTVAL('seq'));",
        ');',
      ),
      3,
      38,
    );
  });

  test('DEFAULT with a value of the wrong literal kind is still only parsed', () => {
    // the grammar has both DEFAULT int and DEFAULT string; neither is checked against the type
    const s = structureOf(
      build(inWorkspace("TABLE t INHERITS sys.CDoc (a int32 DEFAULT 'x')")),
      'pkg.t',
    );
    assert.equal(fieldOf(s, 'a').data, 'int32');
  });
});

describe('CHECK regexp checks', () => {
  test('regexp CHECK on a non-varchar field', () => {
    assertErrors(
      lines(
        'APPLICATION test();',
        'WORKSPACE W (',
        "  TABLE t INHERITS sys.CDoc (a int32 CHECK '^1', b bytes CHECK 'x');",
        "  TYPE T (c qname CHECK 'y');",
        ');',
      ),
      [
        'file.vsql:3:44: regexp CHECK only available for varchar field',
        'file.vsql:3:64: regexp CHECK only available for varchar field',
        'file.vsql:4:25: regexp CHECK only available for varchar field',
      ],
    );
  });

  test('an invalid regexp is reported at the regexp string', () => {
    const errs = errorsOf(
      lines(
        'APPLICATION test();',
        'WORKSPACE W (',
        "  TABLE t INHERITS sys.CDoc (a varchar CHECK '[');",
        ');',
      ),
    );
    assert.equal(errs.length, 1);
    assert.match(errs[0] ?? '', /^file\.vsql:3:46: CHECK regexp error: {2}/);
  });

  test("the regexp error text is Go regexp.Compile's", () => {
    // reference: ErrCheckRegexpErr wraps regexp.Compile's error (two spaces after the colon)
    assertErrors(
      lines(
        'APPLICATION test();',
        'WORKSPACE W (',
        "  TABLE t INHERITS sys.CDoc (a varchar CHECK '(', b varchar CHECK 'a**');",
        ');',
      ),
      [
        'file.vsql:3:46: CHECK regexp error:  error parsing regexp: missing closing ): `(`',
        'file.vsql:3:67: CHECK regexp error:  error parsing regexp: invalid nested repetition operator: `**`',
      ],
    );
  });

  test('Perl look-arounds are not RE2 and are rejected', () => {
    assertErrors(
      lines(
        'APPLICATION test();',
        'WORKSPACE W (',
        "  TABLE t INHERITS sys.CDoc (a varchar CHECK '^(?=a)');",
        ');',
      ),
      [
        'file.vsql:3:46: CHECK regexp error:  error parsing regexp: invalid or unsupported Perl syntax: `(?=`',
      ],
    );
  });

  test('RE2-only syntax is accepted: inline flags, POSIX classes, (?P<name>)', () => {
    const s = structureOf(
      build(
        inWorkspace(
          "TABLE t INHERITS sys.CDoc (a varchar CHECK '(?i)^abc$', b varchar CHECK '^[[:alpha:]]+$', c varchar CHECK '^(?P<x>a)$')",
        ),
      ),
      'pkg.t',
    );
    assert.equal(fieldOf(s, 'a').pattern, '(?i)^abc$');
    assert.equal(fieldOf(s, 'c').pattern, '^(?P<x>a)$');
    assert.equal(fieldOf(s, 'b').pattern, '^[[:alpha:]]+$');
  });
});

describe('TYPE', () => {
  const app = build(
    lines(
      'APPLICATION test();',
      'WORKSPACE W (',
      '  TYPE Inner (x int32);',
      '  TYPE Base (b1 varchar(5), b2 bool);',
      '  -- the outer type',
      '  TYPE Outer (',
      '    Base,',
      '    req Inner NOT NULL,',
      '    opt Inner,',
      '    r ref(Doc),',
      '    n int64 NOT NULL',
      '  );',
      '  TYPE Empty ();',
      '  TABLE Doc INHERITS sys.CDoc (Base, own int8);',
      ');',
    ),
  );

  test('a TYPE is an Object with only sys.QName as system field', () => {
    const o = structureOf(app, 'pkg.Outer');
    assert.equal(o.kind, 'Object');
    assert.equal(o.workspace, 'pkg.W');
    assert.deepEqual(
      o.fields.filter((f) => f.system).map((f) => [f.name, f.data, f.required]),
      [['sys.QName', 'QName', true]],
    );
    assert.deepEqual(o.comment, ['the outer type']);
  });

  test('field sets splice the fields of a TYPE in place', () => {
    assert.deepEqual(userFields(structureOf(app, 'pkg.Outer')), ['b1', 'b2', 'r', 'n']);
    assert.deepEqual(userFields(structureOf(app, 'pkg.Doc')), ['b1', 'b2', 'own']);
    assert.equal(fieldOf(structureOf(app, 'pkg.Doc'), 'b1').maxLen, 5);
  });

  test('a field of a TYPE type is a container: 1..1 when NOT NULL, else 0..1', () => {
    assert.deepEqual(structureOf(app, 'pkg.Outer').containers, [
      { name: 'req', type: 'pkg.Inner', minOccurs: 1, maxOccurs: 1 },
      { name: 'opt', type: 'pkg.Inner', minOccurs: 0, maxOccurs: 1 },
    ]);
  });

  test('ref fields in a TYPE keep their targets', () => {
    const r = fieldOf(structureOf(app, 'pkg.Outer'), 'r');
    assert.equal(r.data, 'RecordID');
    assert.deepEqual(r.refs, ['pkg.Doc']);
  });

  test('an empty TYPE has no user fields', () => {
    assert.deepEqual(userFields(structureOf(app, 'pkg.Empty')), []);
  });

  test('nested tables are not supported in types', () => {
    assertErrors(
      lines(
        'APPLICATION test();',
        'WORKSPACE W (',
        '  TYPE T (a int, items TABLE Items (b int));',
        ');',
      ),
      ['file.vsql:3:18: nested tables not supported in types'],
    );
  });

  test('a field set must name a TYPE', () => {
    assertErrors(
      lines(
        'APPLICATION test();',
        'WORKSPACE W (',
        '  TABLE Doc INHERITS sys.CDoc (a int);',
        '  TYPE T (Doc);',
        ');',
      ),
      ['file.vsql:4:11: undefined type: Doc'],
    );
  });

  test('a field redeclared after a field set: redefinition (build stage)', () => {
    assertErrors(
      lines(
        'APPLICATION test();',
        'WORKSPACE W (',
        '  TYPE Base (x int);',
        '  TYPE T (Base, y int, x varchar);',
        ');',
      ),
      ['file.vsql:4:24: redefinition of x'],
    );
  });
});

describe('system fields by kind', () => {
  // core.md §2.2
  const app = build(
    inWorkspace(
      [
        'TABLE cd INHERITS sys.CDoc ()',
        'TABLE cr INHERITS sys.CRecord ()',
        'TABLE wd INHERITS sys.WDoc ()',
        'TABLE wr INHERITS sys.WRecord ()',
        'TABLE od INHERITS sys.ODoc ()',
        'TABLE orr INHERITS sys.ORecord ()',
        'TYPE obj ()',
      ].join(';'),
    ),
  );
  const sys = (name: string) =>
    structureOf(app, name)
      .fields.filter((f) => f.system)
      .map((f) => `${f.name}:${f.data}${f.required ? '!' : ''}`);
  const doc = ['sys.QName:QName!', 'sys.ID:RecordID!', 'sys.IsActive:bool'];
  const rec = [
    'sys.QName:QName!',
    'sys.ID:RecordID!',
    'sys.ParentID:RecordID!',
    'sys.Container:string!',
    'sys.IsActive:bool',
  ];

  test('CDoc and WDoc: QName, ID, optional IsActive', () => {
    assert.deepEqual(sys('pkg.cd'), doc);
    assert.deepEqual(sys('pkg.wd'), doc);
  });

  test('CRecord and WRecord: QName, ID, ParentID, Container, optional IsActive', () => {
    assert.deepEqual(sys('pkg.cr'), rec);
    assert.deepEqual(sys('pkg.wr'), rec);
  });

  test('ODoc and ORecord have no IsActive', () => {
    assert.deepEqual(sys('pkg.od'), ['sys.QName:QName!', 'sys.ID:RecordID!']);
    assert.deepEqual(sys('pkg.orr'), rec.slice(0, 4));
  });

  test('Object: only QName', () => {
    assert.deepEqual(sys('pkg.obj'), ['sys.QName:QName!']);
  });

  test('system fields come first, user fields after in declaration order', () => {
    const s = structureOf(
      build(inWorkspace('TABLE t INHERITS sys.CDoc (z int, a int, m int)')),
      'pkg.t',
    );
    assert.deepEqual(
      s.fields.map((f) => f.name),
      ['sys.QName', 'sys.ID', 'sys.IsActive', 'z', 'a', 'm'],
    );
  });
});

describe('field type lookups', () => {
  test('an unknown field type in a table of a nested table is reported', () => {
    assertErrors(
      lines(
        'APPLICATION test();',
        'WORKSPACE W (',
        '  TABLE t INHERITS sys.CDoc (n TABLE nt (x nope));',
        ');',
      ),
      ['file.vsql:3:44: undefined data type or table: nope'],
    );
  });

  test('a field of an unknown package qualifier', () => {
    assertErrors(
      lines(
        'APPLICATION test();',
        'WORKSPACE W (',
        '  TABLE t INHERITS sys.CDoc (x nopkg.T);',
        ');',
      ),
      ['file.vsql:3:32: nopkg undefined'],
    );
  });
});
