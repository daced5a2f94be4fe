// Build-stage errors of the AppDef builder that the reference reports without a position.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatError } from './errors.js';
import { compileApp } from './index.js';

const errorsOf = (...lines: string[]) =>
  compileApp([{ path: 'example.com/pkg', files: [{ name: 'f.vsql', text: lines.join('\n') }] }])
    .errors;

test('a field typed by a record of another family: incorrect nested table kind, no position', () => {
  const errors = errorsOf(
    'APPLICATION test();',
    'WORKSPACE W (',
    '  TABLE WR INHERITS sys.WRecord ();',
    '  TABLE OR INHERITS sys.ORecord ();',
    '  TABLE D INHERITS sys.CDoc (f WR, g OR);',
    ');',
  );
  assert.deepEqual(errors.map(formatError), [
    'incorrect nested table kind',
    'incorrect nested table kind',
  ]);
  assert.ok(
    errors.every((e) => e.file === undefined && e.line === undefined && e.col === undefined),
  );
});

test('a nested table whose INHERITS gives another family is the analyser’s error, at the table', () => {
  assert.deepEqual(
    errorsOf(
      'APPLICATION test();',
      'WORKSPACE W (',
      '  TABLE D INHERITS sys.CDoc (n TABLE N INHERITS sys.WRecord ());',
      ');',
    ).map(formatError),
    ['f.vsql:3:30: incorrect nested table kind'],
  );
});
