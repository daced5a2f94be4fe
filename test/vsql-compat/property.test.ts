// Property tests: damaged corpus files never crash or hang the compiler; AppDef -> JSON -> AppDef is lossless.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  appDefFromJson,
  appDefToJson,
  builtinSysPackage,
  compileSources,
} from '../../src/schema/index.js';
import { corpusRoot, corpusSkipReason, parserTestSys } from './corpus.js';

const skip = corpusSkipReason();
const files = [
  'pkg/parser/sql_example_app/pmain/package.vsql',
  'pkg/vit/schemaTestApp2WithJob.vsql',
  'pkg/registry/appws.vsql',
  'cmd/vpm/testdata/myapp/app/app.vsql',
  'pkg/cluster/appws.vsql',
].filter((f) => existsSync(join(corpusRoot, f)));
const texts = files.map((f) => readFileSync(join(corpusRoot, f), 'utf8'));

const fragments = [
  '(',
  ')',
  ';',
  ',',
  '.',
  "'",
  '"',
  'TABLE',
  'WORKSPACE',
  'NOT NULL',
  'ref',
  '--',
  '/*',
  'sys.',
  'ON',
  'WITH TAG',
  '世',
  '\n',
];

const edit = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('delete' as const),
    at: fc.nat(),
    len: fc.integer({ min: 1, max: 40 }),
  }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.constantFrom(...fragments),
  }),
  fc.record({
    kind: fc.constant('noise' as const),
    at: fc.nat(),
    text: fc.string({ maxLength: 8 }),
  }),
);

interface Edit {
  readonly kind: string;
  readonly at: number;
  readonly len?: number;
  readonly text?: string;
}

function apply(text: string, edits: readonly Edit[]): string {
  let t = text;
  for (const e of edits) {
    const at = t.length === 0 ? 0 : e.at % (t.length + 1);
    if (e.kind === 'truncate') t = t.slice(0, at);
    else if (e.kind === 'delete') t = t.slice(0, at) + t.slice(at + (e.len ?? 1));
    else t = t.slice(0, at) + (e.text ?? '') + t.slice(at);
  }
  return t;
}

describe('compiler robustness (fast-check)', {
  skip: skip || (texts.length === 0 && 'no corpus files'),
}, () => {
  // A hang fails through the test timeout rather than a timing assertion, which would be flaky
  // on a loaded machine.
  test('random edits and truncations give an AppDef or errors, never an exception', {
    timeout: 120_000,
  }, () => {
    const sys = parserTestSys();
    fc.assert(
      fc.property(
        fc.nat({ max: texts.length - 1 }),
        fc.array(edit, { minLength: 1, maxLength: 4 }),
        (i, edits) => {
          const text = apply(texts[i] ?? '', edits);
          const r = compileSources([
            sys,
            { path: 'example.com/app', files: [{ name: 'f.vsql', text }] },
          ]);
          assert.ok(r.appDef !== undefined || r.errors.length > 0);
        },
      ),
      { numRuns: 150, seed: 42 },
    );
  });
});

describe('AppDef JSON round trip (fast-check)', () => {
  const app = fc.record({
    tables: fc.integer({ min: 1, max: 6 }),
    kind: fc.constantFrom('CDoc', 'WDoc', 'ODoc'),
    withView: fc.boolean(),
    fields: fc.array(
      fc.constantFrom('int32', 'varchar(20)', 'bool', 'int64', 'qname', 'float64', 'bytes'),
      { minLength: 1, maxLength: 5 },
    ),
  });
  test('fromJson(toJson(a)) deep-equals a', () => {
    fc.assert(
      fc.property(app, ({ tables, kind, withView, fields }) => {
        const body: string[] = ['TAG Tg;', 'ROLE Rl;'];
        for (let t = 0; t < tables; t++) {
          body.push(
            `TABLE T${t} INHERITS sys.${kind} (${fields.map((f, i) => `f${i} ${f}`).join(', ')}) WITH Tags=(Tg);`,
          );
          body.push(`GRANT ${kind === 'ODoc' ? 'SELECT' : 'ALL'} ON TABLE T${t} TO Rl;`);
        }
        if (withView) {
          body.push('VIEW V (a int32, b int64, PRIMARY KEY((a), b)) AS RESULT OF P;');
          body.push(
            'EXTENSION ENGINE BUILTIN (COMMAND C(); PROJECTOR P AFTER EXECUTE ON C INTENTS(sys.View(V)););',
          );
        }
        const text = `APPLICATION a(); WORKSPACE W (${body.join('\n')});`;
        const r = compileSources([
          builtinSysPackage(),
          { path: 'example.com/a', files: [{ name: 'a.vsql', text }] },
        ]);
        assert.deepEqual(r.errors, []);
        assert.ok(r.appDef !== undefined);
        const back = appDefFromJson(JSON.parse(JSON.stringify(appDefToJson(r.appDef))));
        assert.deepStrictEqual(back, r.appDef);
      }),
      { numRuns: 30, seed: 7 },
    );
  });
});
