// CHECK '<regexp>' patterns follow Go's regexp syntax (RE2), not JavaScript's.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RE2JS } from 're2js';
import { formatErrors } from '../errors.js';
import { compileApp } from '../index.js';
import { checkGoRegexp } from './go-regexp.js';

const pkg = (text: string) => [{ path: 'example.com/pkg', files: [{ name: 'f.vsql', text }] }];

describe('Go regexp syntax', () => {
  test('valid RE2 patterns compile, including ones JavaScript rejects', () => {
    for (const p of ['^[A-Z]', '\\pL+', '\\z', '(?P<n>\\d+)', '[[:alpha:]]', '\\Q.*\\E', '(?i)x']) {
      assert.equal(checkGoRegexp(p), undefined, p);
    }
  });

  test('patterns Go rejects get the text of Go errors', () => {
    assert.equal(
      checkGoRegexp('(?=x)'),
      'error parsing regexp: invalid or unsupported Perl syntax: `(?=`',
    );
    assert.equal(checkGoRegexp('(abc'), 'error parsing regexp: missing closing ): `(abc`');
    assert.equal(
      checkGoRegexp('a**'),
      'error parsing regexp: invalid nested repetition operator: `**`',
    );
    assert.equal(checkGoRegexp('x{2,1}'), 'error parsing regexp: invalid repeat count: `{2,1}`');
    assert.equal(checkGoRegexp('\\8'), 'error parsing regexp: invalid escape sequence: `\\8`');
  });

  test('Go prints the expression part even when it is empty, and the whole pattern when too deep', () => {
    assert.equal(
      checkGoRegexp('abc\\'),
      'error parsing regexp: trailing backslash at end of expression: ``',
    );
    const deep = `${'('.repeat(1001)}a${')'.repeat(1001)}`;
    assert.equal(
      checkGoRegexp(deep),
      `error parsing regexp: expression nests too deeply: \`${deep}\``,
    );
  });
});

describe('CHECK regexp in tables', () => {
  test('an invalid pattern is reported at the pattern, with two spaces as in the reference', () => {
    const r = compileApp(
      pkg(
        [
          'APPLICATION test();',
          'WORKSPACE W ( TABLE D INHERITS sys.CDoc (',
          "  a varchar CHECK '(?=x)',",
          "  b varchar CHECK 'x{2,1}'",
          ') );',
        ].join('\n'),
      ),
    );
    assert.deepEqual(
      r.errors.map((e) => `${e.line}: ${e.message}`),
      [
        '3: CHECK regexp error:  error parsing regexp: invalid or unsupported Perl syntax: `(?=`',
        '4: CHECK regexp error:  error parsing regexp: invalid repeat count: `{2,1}`',
      ],
    );
  });

  test('an RE2-only pattern compiles and its text stays in the AppDef for the engine', () => {
    const r = compileApp(
      pkg(
        "APPLICATION test(); WORKSPACE W ( TABLE D INHERITS sys.CDoc (a varchar CHECK '^\\\\pL+\\\\z') );",
      ),
    );
    assert.equal(formatErrors(r.errors), '');
    const pattern = r.appDef?.structure('pkg.D')?.fields.find((f) => f.name === 'a')?.pattern;
    assert.equal(pattern, '^\\pL+\\z');
    const re = RE2JS.compile(pattern ?? '');
    assert.equal(re.matches('Straße'), true);
    assert.equal(re.matches('abc1'), false);
  });

  test('CHECK regexp on a field that is not varchar', () => {
    const r = compileApp(
      pkg("APPLICATION test(); WORKSPACE W ( TABLE D INHERITS sys.CDoc (a int32 CHECK 'x') );"),
    );
    assert.deepEqual(
      r.errors.map((e) => e.message),
      ['regexp CHECK only available for varchar field'],
    );
  });
});
