// The analyser split into modules keeps the reference's pass order and messages (checked through the
// public compile API) and its own entry point.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatErrors } from '../errors.js';
import { analyseApp, builtinSysPackage, compileApp } from '../index.js';

const pkg = (text: string) => [{ path: 'example.com/pkg', files: [{ name: 'f.vsql', text }] }];
const errorsOf = (text: string): string => formatErrors(compileApp(pkg(text)).errors);

describe('analyser passes', () => {
  test('pre-analysis errors (table kinds) stop the analysis before pass 1', () => {
    const text = [
      'APPLICATION test();',
      'WORKSPACE W (',
      '  TABLE T INHERITS Unknown ();',
      '  TYPE X (f fake);',
      ');',
    ].join('\n');
    assert.equal(errorsOf(text), 'f.vsql:3:3: undefined table kind');
  });

  test('errors come out in pass order: pass 1, workspaces, then grants and references together', () => {
    const text = [
      'APPLICATION test();',
      'WORKSPACE W INHERITS NotAbstract (',
      '  ROLE r;',
      '  TABLE T INHERITS sys.CDoc (r ref(Nope), v varchar(70000));',
      '  GRANT SELECT ON TABLE Nope TO r;',
      ');',
      'WORKSPACE NotAbstract ();',
    ].join('\n');
    assert.deepEqual(errorsOf(text).split('\n'), [
      'f.vsql:4:45: maximum field length is 65535',
      'f.vsql:2:22: base workspace must be abstract',
      'f.vsql:4:36: undefined table: Nope',
      'f.vsql:5:25: undefined table: Nope',
    ]);
  });

  test('each concern reports with the reference text', () => {
    const text = [
      'APPLICATION test();',
      'WORKSPACE W (',
      '  VIEW V (a int32, PRIMARY KEY((a))) AS RESULT OF P;',
      '  RATE R x PER HOUR;',
      '  EXTENSION ENGINE BUILTIN (',
      '    QUERY Q();',
      '    PROJECTOR P AFTER EXECUTE ON Fake;',
      '  );',
      '  USE WORKSPACE Abs;',
      ');',
      'ABSTRACT WORKSPACE Abs ();',
    ].join('\n');
    const messages = compileApp(pkg(text)).errors.map((e) => `${e.line}: ${e.message}`);
    assert.deepEqual(messages, [
      '3: clustering columns not defined',
      '4: x undefined',
      '6: query must have a return type',
      '7: undefined command: Fake',
      '9: use of abstract workspace Abs',
    ]);
  });

  test('analyseApp returns the analysis with resolved names', () => {
    const r = analyseApp([
      builtinSysPackage(),
      ...pkg('APPLICATION test(); WORKSPACE W ( ROLE r; TABLE T INHERITS sys.CDoc (); );'),
    ]);
    assert.deepEqual(r.errors, []);
    assert.equal(r.analysis?.appName, 'test');
    assert.deepEqual(r.analysis?.packages.map((p) => p.name).sort(), ['pkg', 'sys']);
  });
});
