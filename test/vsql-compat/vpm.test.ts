// `vpm compile <dir>` on the reference's vpm test data (reference-tests.md §6.2).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { main } from '../../src/cli/vpm/main.js';
import { corpusRoot, corpusSkipReason } from './corpus.js';

function run(dir: string): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = main(
    ['compile', join(corpusRoot, 'cmd/vpm/testdata', dir)],
    { write: (s: string) => (out += s) },
    { write: (s: string) => (err += s) },
  );
  return { code, out, err };
}

describe('vpm compile', { skip: corpusSkipReason() }, () => {
  test('a valid application prints a one-line summary and exits 0', () => {
    const r = run('myapp/app');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^application APP: 3 packages \(and sys\), \d+ workspaces?, \d+ tables?/);
  });
  test('a library folder compiles on its own', () => {
    assert.equal(run('myapp/mypkg2').code, 0);
  });
  test('errors are printed with positions and exit 1', () => {
    const a = run('myapperr/mypkg1');
    assert.equal(a.code, 1);
    assert.match(a.err, /schema1\.vsql:6:25/);
    assert.match(run('myapperr/mypkg2').err, /schema1\.vsql:6:25/);
    assert.match(
      run('myapperr/app').err,
      /schema4\.vsql:5:1: local package name reg was redeclared as registry/,
    );
  });
  test('bad arguments exit 2', () => {
    assert.equal(main([]), 2);
  });
});
