// IMPORT SCHEMA, APPLICATION ( USE … ), packages of several files, local package names and references
// across packages; and the package-level checks not covered by the reference error cases.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileApp } from '../../src/schema/index.js';
import {
  assertErrors,
  build,
  buildPackages,
  errorLines,
  fieldOf,
  lines,
  PKG,
  pkg,
  structureOf,
  workspaceOf,
} from './support.js';

describe('an application of several packages', () => {
  const main = pkg('github.com/org/app', {
    'a.vsql': lines(
      "IMPORT SCHEMA 'github.com/org/lib';",
      "IMPORT SCHEMA 'github.com/org/other' AS oth;",
      'APPLICATION myapp (USE lib; USE oth;);',
      'WORKSPACE W INHERITS lib.Base, oth.OBase (',
      '  TABLE Mine INHERITS sys.CDoc (l ref(lib.LibDoc), o ref(oth.OtherDoc), s ref(app.Mine));',
      '  EXTENSION ENGINE BUILTIN ( PROJECTOR P AFTER EXECUTE ON lib.LibCmd; );',
      '  GRANT EXECUTE ON COMMAND lib.LibCmd TO lib.LibRole;',
      ');',
      'ALTER WORKSPACE lib.AlterMe ( TABLE Added INHERITS sys.CDoc (); );',
    ),
    'b.vsql':
      'WORKSPACE W2 INHERITS oth.OBase ( TABLE FromB INHERITS sys.CDoc (x ref(oth.OtherDoc)); );',
  });
  const lib = pkg('github.com/org/lib', {
    'lib.vsql': lines(
      'ABSTRACT WORKSPACE Base (',
      '  TABLE LibDoc INHERITS sys.CDoc ();',
      '  EXTENSION ENGINE BUILTIN ( COMMAND LibCmd; );',
      '  ROLE LibRole;',
      ');',
      'ALTERABLE WORKSPACE AlterMe ();',
    ),
  });
  const other = pkg('github.com/org/other', {
    'o.vsql': 'ABSTRACT WORKSPACE OBase ( TABLE OtherDoc INHERITS sys.CDoc (); );',
  });
  const app = buildPackages([main, lib, other]);

  test('the application name comes from APPLICATION', () => {
    assert.equal(app.name, 'myapp');
  });

  test('packages: the app package by its last path segment, USEd ones by their local names, and sys', () => {
    assert.deepEqual(app.data.packages, [
      { localName: 'app', path: 'github.com/org/app' },
      { localName: 'lib', path: 'github.com/org/lib' },
      { localName: 'oth', path: 'github.com/org/other' },
      { localName: 'sys', path: 'voedger.com/packages/sys' },
    ]);
    assert.equal(app.packageLocalName('github.com/org/other'), 'oth');
    assert.equal(app.packageLocalName('github.com/org/none'), undefined);
  });

  test('qualified names of other packages resolve to their types', () => {
    const mine = structureOf(app, 'app.Mine');
    assert.deepEqual(fieldOf(mine, 'l').refs, ['lib.LibDoc']);
    assert.deepEqual(fieldOf(mine, 'o').refs, ['oth.OtherDoc']);
    assert.deepEqual(fieldOf(mine, 's').refs, ['app.Mine']);
    assert.deepEqual(workspaceOf(app, 'app.W').ancestors, ['lib.Base', 'oth.OBase']);
  });

  test('commands and roles of another package in projectors and grants', () => {
    const p = app.type('app.P');
    assert.ok(p?.kind === 'Projector');
    assert.deepEqual(p.events[0]?.filter, { kind: 'QNames', names: ['lib.LibCmd'] });
    assert.deepEqual(
      workspaceOf(app, 'app.W').acl.map((r) => [r.principal, r.filter]),
      [['lib.LibRole', { kind: 'QNames', names: ['lib.LibCmd'] }]],
    );
  });

  test('ALTER WORKSPACE of an ALTERABLE workspace of another package', () => {
    assert.equal(structureOf(app, 'app.Added').workspace, 'lib.AlterMe');
    assert.ok(workspaceOf(app, 'lib.AlterMe').types.includes('app.Added'));
  });

  test('the files of a package share their imports', () => {
    assert.deepEqual(fieldOf(structureOf(app, 'app.FromB'), 'x').refs, ['oth.OtherDoc']);
  });

  test('the package order does not matter', () => {
    const again = buildPackages([other, lib, main]);
    assert.deepEqual(again.data, app.data);
  });
});

describe('package checks', () => {
  test('the same path imported under two local names', () => {
    const r = compileApp([
      pkg('github.com/org/app', {
        'a.vsql': lines(
          "IMPORT SCHEMA 'github.com/org/lib' AS x;",
          "IMPORT SCHEMA 'github.com/org/lib' AS y;",
          'APPLICATION test (USE x;);',
        ),
      }),
      pkg('github.com/org/lib', { 'l.vsql': 'WORKSPACE L ();' }),
    ]);
    assert.deepEqual(errorLines(r), ['a.vsql:2:1: local package name x was redeclared as y']);
  });

  test('the same path imported under different names by two packages', () => {
    const r = compileApp([
      pkg('github.com/org/app', {
        'a.vsql': lines(
          "IMPORT SCHEMA 'github.com/org/lib';",
          "IMPORT SCHEMA 'github.com/org/mid';",
          'APPLICATION test (USE lib; USE mid;);',
        ),
      }),
      pkg('github.com/org/mid', {
        'm.vsql': lines("IMPORT SCHEMA 'github.com/org/lib' AS other;", 'WORKSPACE M ();'),
      }),
      pkg('github.com/org/lib', { 'l.vsql': 'WORKSPACE L ();' }),
    ]);
    assert.deepEqual(errorLines(r), ['m.vsql:1:1: local package name lib was redeclared as other']);
  });

  test('a qualifier that was imported but whose package is not supplied', () => {
    assertErrors(
      lines(
        "IMPORT SCHEMA 'github.com/org/missing';",
        'APPLICATION test();',
        'WORKSPACE W ( TABLE T INHERITS sys.CDoc (r ref(missing.X)); );',
      ),
      [
        'file.vsql:3:48: could not import github.com/org/missing. Check if the package is parsed under exactly this name',
      ],
    );
  });

  test('a qualifier that was never imported', () => {
    assertErrors(
      lines(
        'APPLICATION test();',
        'WORKSPACE W ( TABLE T INHERITS sys.CDoc (r ref(nowhere.X)); );',
      ),
      ['file.vsql:2:48: nowhere undefined'],
    );
  });

  test('an unqualified name does not look into other packages', () => {
    const r = compileApp([
      pkg('github.com/org/app', {
        'a.vsql': lines(
          "IMPORT SCHEMA 'github.com/org/lib';",
          'APPLICATION test (USE lib;);',
          'WORKSPACE W INHERITS lib.Base ( TABLE T INHERITS sys.CDoc (r ref(LibDoc)); );',
        ),
      }),
      pkg('github.com/org/lib', {
        'l.vsql': 'ABSTRACT WORKSPACE Base ( TABLE LibDoc INHERITS sys.CDoc (); );',
      }),
    ]);
    assert.deepEqual(errorLines(r), ['a.vsql:3:66: undefined table: LibDoc']);
  });

  test('the application may USE a package by its alias', () => {
    const app = buildPackages([
      pkg('github.com/org/app', {
        'a.vsql': lines(
          "IMPORT SCHEMA 'github.com/org/lib' AS l2;",
          'APPLICATION test (USE l2;);',
          'WORKSPACE W ();',
        ),
      }),
      pkg('github.com/org/lib', { 'l.vsql': 'WORKSPACE L ();' }),
    ]);
    assert.ok(app.workspace('l2.L') !== undefined);
  });

  test('two packages with the same APPLICATION-less layout and no USE', () => {
    const r = compileApp([
      pkg('github.com/org/app', { 'a.vsql': 'APPLICATION test();' }),
      pkg('github.com/org/lib', { 'l.vsql': 'WORKSPACE L ();' }),
    ]);
    assert.deepEqual(errorLines(r), [
      'application does not define use of package github.com/org/lib. Check if the package is defined in IMPORT SCHEMA and parsed under the same name',
    ]);
  });

  test('names are unique per package across kinds, workspaces and files', () => {
    const r = compileApp([
      pkg(PKG, {
        'file1.vsql': lines(
          'APPLICATION test();',
          'DECLARE X int32 DEFAULT 1;',
          'WORKSPACE W (',
          '  TYPE T ();',
          '  RATE R 1 PER HOUR;',
          '  EXTENSION ENGINE BUILTIN ( COMMAND C; );',
          ');',
        ),
        'file2.vsql': lines(
          'WORKSPACE V (',
          '  TABLE T INHERITS sys.CDoc ();',
          '  LIMIT R ON COMMAND C WITH RATE R;',
          '  VIEW C (k int, c int, PRIMARY KEY((k), c)) AS RESULT OF P;',
          '  ROLE X;',
          '  PUBLISHED ROLE W;',
          ');',
          'WORKSPACE V ();',
        ),
      }),
    ]);
    assert.deepEqual(errorLines(r), [
      'file2.vsql:2:3: redefinition of T',
      'file2.vsql:3:3: redefinition of R',
      'file2.vsql:4:3: redefinition of C',
      'file2.vsql:5:3: redefinition of X',
      'file2.vsql:6:3: redefinition of W',
      'file2.vsql:8:1: redefinition of V',
      'file2.vsql:8:1: redefinition of VDescriptor',
    ]);
  });

  test('the same name in two packages is fine', () => {
    const app = buildPackages([
      pkg('github.com/org/app', {
        'a.vsql': lines(
          "IMPORT SCHEMA 'github.com/org/lib';",
          'APPLICATION test (USE lib;);',
          'WORKSPACE W ( ROLE R; );',
        ),
      }),
      pkg('github.com/org/lib', { 'l.vsql': 'WORKSPACE W ( ROLE R; );' }),
    ]);
    assert.ok(app.type('app.R') !== undefined && app.type('lib.R') !== undefined);
    assert.ok(app.workspace('app.W') !== undefined && app.workspace('lib.W') !== undefined);
  });

  test('a package with no files', () => {
    const r = compileApp([pkg('github.com/org/app', {})]);
    assert.deepEqual(errorLines(r), ['no valid schema files']);
  });

  test('a package of two files: statements of both are in the AppDef', () => {
    const app = buildPackages([
      pkg('github.com/company/pkg', {
        'file1.vsql': lines(
          'APPLICATION test();',
          'WORKSPACE W1 ( TABLE T1 INHERITS sys.CDoc (); );',
        ),
        'file2.vsql': lines('WORKSPACE W2 ( TABLE T2 INHERITS sys.CDoc (); );'),
      }),
    ]);
    assert.equal(structureOf(app, 'pkg.T1').workspace, 'pkg.W1');
    assert.equal(structureOf(app, 'pkg.T2').workspace, 'pkg.W2');
  });

  test('an empty APPLICATION compiles with only sys', () => {
    const app = build('APPLICATION empty();');
    assert.equal(app.name, 'empty');
    assert.deepEqual(
      app.data.packages.map((p) => p.localName),
      ['pkg', 'sys'],
    );
  });

  test('compiling without a sys package: sys names cannot be imported', () => {
    const r = compileApp(
      [
        pkg('github.com/company/pkg', {
          'file.vsql': lines(
            'APPLICATION test();',
            'WORKSPACE W ( TABLE T INHERITS sys.CDoc (); );',
          ),
        }),
      ],
      { sys: null },
    );
    assert.ok(r.appDef === undefined);
    assert.match(
      errorLines(r).join('\n'),
      /could not import sys\. Check if the package is parsed under exactly this name/,
    );
  });
});
