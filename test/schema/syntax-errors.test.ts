// Syntax and lexer errors carry file:line:col; the compiler never throws on bad input. Syntax messages
// are asserted by position and the `unexpected token` prefix only (their wording may change).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileApp } from '../../src/schema/index.js';
import {
  assertSyntaxErrorAt,
  build,
  compile,
  errorLines,
  FILE,
  fieldOf,
  lines,
  PKG,
  pkg,
  structureOf,
  typeOfKind,
  userFields,
} from './support.js';

/** Asserts the first error is a lexer error at line:col (the reference lexer's own wording). */
function assertLexerErrorAt(text: string, line: number, col: number): void {
  const r = compile(text);
  assert.ok(r.appDef === undefined);
  const first = r.errors[0];
  assert.ok(first !== undefined);
  assert.deepEqual([first.file, first.line, first.col], [FILE, line, col], first.message);
  assert.match(first.message, /^lexer: invalid input text/);
}

/** Compiles without throwing and returns either the AppDef or at least one error. */
function compilesOrFails(text: string): ReturnType<typeof compile> {
  let r: ReturnType<typeof compile> | undefined;
  assert.doesNotThrow(() => {
    r = compile(text);
  });
  assert.ok(r !== undefined);
  assert.ok(r.appDef !== undefined || r.errors.length > 0);
  return r;
}

describe('syntax errors have positions', () => {
  test('a missing separator between statements', () => {
    assertSyntaxErrorAt(
      lines('APPLICATION test();', 'WORKSPACE W (', '  ROLE a ROLE b;', ');'),
      3,
      10,
    );
  });

  test('a missing semicolon after APPLICATION', () => {
    assertSyntaxErrorAt(lines('APPLICATION test()', 'WORKSPACE W ()'), 2, 1);
  });

  test('IMPORT SCHEMA after a statement (imports come first)', () => {
    assertSyntaxErrorAt(lines('APPLICATION test();', "IMPORT SCHEMA 'github.com/x/y';"), 2, 1);
  });

  test('keywords are case-sensitive', () => {
    assertSyntaxErrorAt(lines('APPLICATION test();', 'workspace w ();'), 2, 1);
  });

  test('a trailing comma in a field list', () => {
    assertSyntaxErrorAt(
      lines('APPLICATION test();', 'WORKSPACE W (', '  TABLE t INHERITS sys.CDoc (a int,);', ');'),
      3,
      36,
    );
  });

  test('a DESCRIPTOR that is not the first statement of its workspace', () => {
    assertSyntaxErrorAt(
      lines('APPLICATION test();', 'WORKSPACE W (', '  ROLE r;', '  DESCRIPTOR D ();', ');'),
      4,
      3,
    );
  });

  test('a statement that belongs inside a workspace, at the package root', () => {
    assertSyntaxErrorAt(lines('APPLICATION test();', 'TABLE t INHERITS sys.CDoc ();'), 2, 1);
  });

  test('an unclosed parenthesis: the error is at the end of the text', () => {
    assertSyntaxErrorAt(
      lines('APPLICATION test();', 'WORKSPACE W (', '  TABLE t INHERITS sys.CDoc (a int'),
      3,
      35,
    );
  });

  test('an identifier that starts with a reserved word is split by the lexer (reference quirk)', () => {
    // EXECUTE, SELECT, TABLE, UNLOGGED are dedicated tokens matched before identifiers
    assertSyntaxErrorAt(
      lines('APPLICATION test();', 'WORKSPACE W (', '  ROLE EXECUTEr;', ');'),
      3,
      8,
    );
  });

  test('an unterminated block comment is not a comment', () => {
    const r = compile(lines('APPLICATION test();', '/* never closed', 'WORKSPACE W ();'));
    assert.ok(r.appDef === undefined);
    assert.deepEqual([r.errors[0]?.line, r.errors[0]?.col], [2, 1]);
  });

  test('tabs count as one column', () => {
    assertLexerErrorAt(lines('APPLICATION test();', 'WORKSPACE W (', '\t\tROLE _x;', ');'), 3, 8);
  });

  test('CRLF line ends count as one line each', () => {
    assertLexerErrorAt('APPLICATION a();\r\nWORKSPACE w (\r\n  ROLE _r;\r\n);', 3, 8);
  });

  test('an unterminated string is a lexer error at its quote', () => {
    assertLexerErrorAt(
      lines(
        'APPLICATION a();',
        'WORKSPACE w (',
        "  TABLE t INHERITS sys.CDoc (a varchar CHECK 'abc",
        ');',
      ),
      3,
      46,
    );
  });

  test('a non-ASCII identifier is a lexer error', () => {
    assertLexerErrorAt(lines('APPLICATION a();', 'WORKSPACE w (', '  ROLE рол;', ');'), 3, 8);
  });

  test('an emoji and a NUL character are lexer errors', () => {
    assertLexerErrorAt(lines('APPLICATION a();', 'WORKSPACE w (', '  ROLE r😀;', ');'), 3, 9);
    assertLexerErrorAt('APPLICATION a();\u0000', 1, 17);
  });

  test('a byte order mark is not skipped (reference lexer)', () => {
    assertLexerErrorAt('\uFEFFAPPLICATION a();', 1, 1);
  });

  test('a syntax error in each of two files: both are reported with their file names', () => {
    const r = compileApp([
      pkg(PKG, {
        'one.vsql': lines('APPLICATION test();', 'WORKSPACE W ( ROLE );'),
        'two.vsql': lines('WORKSPACE V (', '  TAG ;', ');'),
      }),
    ]);
    assert.ok(r.appDef === undefined);
    const located = r.errors.filter((e) => e.file !== undefined);
    assert.deepEqual(
      located.map((e) => [e.file, e.line, e.col]),
      [
        ['one.vsql', 2, 20],
        ['two.vsql', 2, 7],
      ],
    );
    for (const e of located) assert.match(e.message, /^unexpected token\b/);
  });

  test('after a syntax error the parser recovers and reports the next ones of the file', () => {
    const r = compile(
      lines(
        'APPLICATION test();',
        'WORKSPACE W (',
        '  TABLE t INHERITS sys.CDoc (a int,);',
        '  ROLE r;',
        '  TABLE u INHERITS sys.CDoc (b int b2 int);',
        ');',
      ),
    );
    const located = r.errors.filter((e) => e.file !== undefined).map((e) => [e.line, e.col]);
    assert.deepEqual(located.slice(0, 2), [
      [3, 36],
      [5, 36],
    ]);
  });

  test('no AppDef and no semantic errors when a file does not parse', () => {
    const r = compile(
      lines('APPLICATION test();', 'WORKSPACE W ( ROLE r; TABLE t (x nope); ROLE );'),
    );
    assert.ok(r.appDef === undefined);
    assert.ok(!errorLines(r).some((l) => l.includes('undefined')), errorLines(r).join('\n'));
  });
});

describe('lexical rules', () => {
  test('quoted identifiers may be keywords; the quotes are not part of the name', () => {
    const app = build(
      lines(
        'APPLICATION test();',
        'WORKSPACE W (',
        '  ROLE "WORKSPACE";',
        '  TABLE "TABLE" INHERITS sys.CDoc ("SELECT" int, "ref" varchar);',
        ');',
      ),
    );
    assert.equal(typeOfKind(app, 'pkg.WORKSPACE', 'Role').kind, 'Role');
    assert.deepEqual(userFields(structureOf(app, 'pkg.TABLE')), ['SELECT', 'ref']);
  });

  test('multi-word keywords allow any whitespace between the words', () => {
    const app = build(
      lines(
        'APPLICATION test();',
        'WORKSPACE W (',
        '  TABLE t INHERITS sys.CDoc (a int NOT',
        '      NULL);',
        '  EXTENSION\t',
        '  ENGINE BUILTIN ( COMMAND C; );',
        '  GRANT EXECUTE ON',
        '   ALL   COMMANDS TO sys.Everyone;',
        ')',
      ),
    );
    assert.equal(fieldOf(structureOf(app, 'pkg.t'), 'a').required, true);
    assert.equal(app.workspace('pkg.W')?.acl.length, 1);
  });

  test('an identifier of 255 characters is accepted; the 256th starts a new token', () => {
    const name = 'r'.repeat(255);
    const app = build(`APPLICATION a(); WORKSPACE w (ROLE ${name});`);
    assert.equal(typeOfKind(app, `pkg.${name}`, 'Role').name.length, 'pkg.'.length + 255);
    assertSyntaxErrorAt(`APPLICATION a(); WORKSPACE w (ROLE ${name}r);`, 1, 36 + 255);
  });

  test('non-ASCII text in comments and strings is kept', () => {
    const app = build(
      lines(
        '-- комментарий 世界',
        'APPLICATION a();',
        'WORKSPACE w (',
        '  -- роль',
        '  ROLE r;',
        "  TABLE t INHERITS sys.CDoc (a varchar CHECK '^[а-я]+$') WITH Comment='世界'",
        ');',
      ),
    );
    assert.deepEqual(typeOfKind(app, 'pkg.r', 'Role').comment, ['роль']);
    assert.equal(fieldOf(structureOf(app, 'pkg.t'), 'a').pattern, '^[а-я]+$');
    assert.deepEqual(structureOf(app, 'pkg.t').comment, ['世界']);
  });
});

describe('the compiler never throws', () => {
  const nasty: Record<string, string> = {
    empty: '',
    whitespace: ' \n\t\r\n ',
    'only comments': '-- just a comment\n/* block */\n',
    'unterminated string':
      "APPLICATION a(); WORKSPACE w ( TABLE t INHERITS sys.CDoc (a varchar CHECK 'abc",
    'unterminated comment': 'APPLICATION a(); /* never closed',
    'lone parenthesis': ')',
    garbage: '@#$%^&*!~`',
    'keywords only': 'TABLE TABLE SELECT EXECUTE UNLOGGED',
    'huge identifier': `APPLICATION a(); WORKSPACE w (ROLE ${'x'.repeat(100_000)});`,
    'huge string': `APPLICATION a(); WORKSPACE w (TABLE t INHERITS sys.CDoc (a varchar CHECK '${'a'.repeat(100_000)}'));`,
    'many statements': `APPLICATION a(); WORKSPACE w (${Array.from({ length: 3000 }, (_, i) => `ROLE r${i}`).join(';')});`,
    'surrogate halves': 'APPLICATION a(); WORKSPACE w (ROLE r\uD800);',
    'unicode line separators': 'APPLICATION a();\u2028WORKSPACE w ();',
  };
  for (const [name, text] of Object.entries(nasty)) {
    test(name, () => {
      compilesOrFails(text);
    });
  }

  test('an empty file or only comments: application not defined, no position', () => {
    for (const text of ['', '-- c\n/* d */']) {
      assert.deepEqual(errorLines(compile(text)), ['application not defined']);
    }
  });

  test('200 nested workspaces and a 300-deep CHECK expression compile', () => {
    const ws = Array.from({ length: 200 }, (_, i) => `WORKSPACE w${i} (`).join('');
    const app = build(`APPLICATION a(); ${ws}${')'.repeat(200)};`);
    assert.deepEqual(app.workspace('pkg.w0')?.usedWorkspaces, ['pkg.w1']);
    const expr = `${'('.repeat(300)}1${')'.repeat(300)}`;
    build(`APPLICATION a(); WORKSPACE w (TABLE t INHERITS sys.CDoc (a int CHECK (${expr})));`);
  });

  test('300 nested tables compile, each a container of the previous', () => {
    const n = 300;
    const open = Array.from({ length: n }, (_, i) => `n${i} TABLE t${i} (`).join('');
    const app = build(
      `APPLICATION a(); WORKSPACE w (TABLE t INHERITS sys.CDoc (${open}${')'.repeat(n)}));`,
    );
    assert.equal(structureOf(app, `pkg.t${n - 1}`).kind, 'CRecord');
  });

  test('very deep nesting of workspaces gives errors, not an exception', () => {
    const depth = 10_000;
    compilesOrFails(`APPLICATION a(); ${'WORKSPACE w ('.repeat(depth)}${')'.repeat(depth)};`);
  });

  test('a very deep CHECK expression gives errors or compiles, not an exception', () => {
    const depth = 10_000;
    compilesOrFails(
      `APPLICATION a(); WORKSPACE w (TABLE t INHERITS sys.CDoc (a int CHECK (${'('.repeat(depth)}1${')'.repeat(depth)})));`,
    );
  });

  test('very deep nesting of tables gives errors or compiles, not an exception', () => {
    const depth = 10_000;
    const open = Array.from({ length: depth }, (_, i) => `n${i} TABLE t${i} (`).join('');
    compilesOrFails(
      `APPLICATION a(); WORKSPACE w (TABLE t INHERITS sys.CDoc (${open}${')'.repeat(depth)}));`,
    );
  });
});
