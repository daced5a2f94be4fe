// Every valid corpus package compiles; every deliberately invalid one fails (reference-tests.md §1).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  builtinSysPackage,
  type CompileSource,
  compileSources,
  formatErrors,
} from '../../src/schema/index.js';
import { corpusDirPackage, corpusPackage, corpusSkipReason, parserTestSys } from './corpus.js';

const VOEDGER = 'github.com/voedger/voedger/pkg';
const skip = corpusSkipReason();
const referenceSys = (): CompileSource => corpusDirPackage('pkg/sys', 'sys');

const registry = (): CompileSource =>
  corpusPackage('pkg/registry/appws.vsql', `${VOEDGER}/registry`);
const cluster = (): CompileSource => corpusPackage('pkg/cluster/appws.vsql', `${VOEDGER}/cluster`);
const appStub = (path: string): CompileSource => ({
  path,
  files: [{ name: 'app.vsql', text: 'APPLICATION app();' }],
});

interface CorpusCase {
  readonly name: string;
  readonly packages: () => readonly CompileSource[];
  /** undefined: must compile; otherwise a text the errors must contain. */
  readonly failsWith?: string;
}

const realSys = (): CompileSource =>
  process.env.VSQL_REF_SYS ? referenceSys() : builtinSysPackage();

const cases: readonly CorpusCase[] = [
  {
    name: 'parser example app (pmain + airsbp + untill) on the parser test sys',
    packages: () => [
      parserTestSys(),
      corpusDirPackage('pkg/parser/sql_example_app/pmain', 'github.com/untillpro/main'),
      corpusDirPackage('pkg/parser/sql_example_app/airsbp', 'github.com/untillpro/airsbp'),
      corpusDirPackage('pkg/parser/sql_example_app/untill', 'github.com/untillpro/untill'),
    ],
  },
  {
    name: 'pkg/parser/package.vsql with an application stub',
    packages: () => [
      parserTestSys(),
      corpusPackage('pkg/parser/package.vsql', 'github.com/untillpro/main'),
      appStub('x/app'),
    ],
    failsWith: 'application does not define use of package github.com/untillpro/main',
  },
  {
    name: 'pkg/parser/test/pkg1.vsql (IMPORT after APPLICATION)',
    packages: () => [parserTestSys(), corpusPackage('pkg/parser/test/pkg1.vsql', 'x/test')],
    failsWith: 'no valid schema files',
  },
  {
    name: 'appdefcompat old (sys with APPLICATION) + pkg1 + pkg2',
    packages: () => [
      corpusPackage('pkg/appdefcompat/testdata/sys.old.vsql', 'sys'),
      corpusPackage('pkg/appdefcompat/testdata/pkg1.old.vsql', 'pkg1'),
      corpusPackage('pkg/appdefcompat/testdata/pkg2.vsql', 'pkg2'),
    ],
  },
  {
    name: 'appdefcompat new (sys with APPLICATION) + pkg1 + pkg2',
    packages: () => [
      corpusPackage('pkg/appdefcompat/testdata/sys.new.vsql', 'sys'),
      corpusPackage('pkg/appdefcompat/testdata/pkg1.new.vsql', 'pkg1'),
      corpusPackage('pkg/appdefcompat/testdata/pkg2.vsql', 'pkg2'),
    ],
  },
  {
    name: 'wazero mini sys',
    packages: () => [
      corpusDirPackage('pkg/iextengine/wazero/sql_example_syspkg', 'sys'),
      appStub('x/app'),
    ],
  },
  {
    name: 'state storages mini sys',
    packages: () => [
      corpusDirPackage('pkg/sys/storages/sql_example_syspkg', 'sys'),
      appStub('x/app'),
    ],
  },
  { name: 'reference sys package (pkg/sys)', packages: () => [referenceSys(), appStub('x/app')] },
  { name: 'built-in sys package', packages: () => [realSys(), appStub('x/app')] },
  {
    name: 'vpm myapp (app + mypkg1 + mypkg2)',
    packages: () => [
      realSys(),
      corpusDirPackage('cmd/vpm/testdata/myapp/app', 'app'),
      corpusDirPackage('cmd/vpm/testdata/myapp/mypkg1', 'mypkg1'),
      corpusDirPackage('cmd/vpm/testdata/myapp/mypkg2', 'mypkg2'),
    ],
  },
  {
    name: 'vpm myapperr mypkg1 (syntax error)',
    packages: () => [realSys(), corpusDirPackage('cmd/vpm/testdata/myapperr/mypkg1', 'mypkg1')],
    failsWith: 'schema1.vsql:6:25',
  },
  {
    name: 'vpm myapperr mypkg2 (imports broken mypkg1)',
    packages: () => [
      realSys(),
      corpusDirPackage('cmd/vpm/testdata/myapperr/mypkg2', 'mypkg2'),
      corpusDirPackage('cmd/vpm/testdata/myapperr/mypkg1', 'mypkg1'),
    ],
    failsWith: 'schema1.vsql:6:25',
  },
  {
    name: 'vpm myapperr app (registry imported under two names)',
    packages: () => [
      realSys(),
      corpusDirPackage('cmd/vpm/testdata/myapperr/app', 'app'),
      corpusDirPackage('cmd/vpm/testdata/myapperr/mypkg3', 'mypkg3'),
      corpusDirPackage('cmd/vpm/testdata/myapperr/mypkg4', 'mypkg4'),
      registry(),
    ],
    failsWith: 'schema4.vsql:5:1: local package name reg was redeclared as registry',
  },
  {
    name: 'cluster app',
    packages: () => [
      realSys(),
      corpusPackage('pkg/vvm/builtin/clusterapp/schema.vsql', 'clusterapp'),
      cluster(),
    ],
  },
  {
    name: 'registry app',
    packages: () => [
      realSys(),
      corpusPackage('pkg/vvm/builtin/registryapp/schema.vsql', 'registryapp'),
      registry(),
    ],
  },
  ...[
    'schemaTestApp1.vsql',
    'schemaTestApp2.vsql',
    'schemaTestApp2WithJob.vsql',
    'schemaTestApp2WithJobHTTP.vsql',
    'schemaTestApp2WithJobSendMail.vsql',
  ].map((f) => ({
    name: `vit ${f}`,
    packages: () => [
      realSys(),
      corpusPackage(`pkg/vit/${f}`, 'github.com/voedger/voedger/pkg/vit/app'),
    ],
  })),
];

describe('corpus packages compile (reference-tests.md §1)', { skip }, () => {
  for (const c of cases) {
    test(c.name, () => {
      const result = compileSources(c.packages());
      const text = formatErrors(result.errors);
      if (c.failsWith === undefined) {
        assert.equal(text, '', text);
        assert.ok(result.appDef !== undefined);
      } else {
        assert.ok(result.errors.length > 0, 'expected errors');
        assert.ok(text.includes(c.failsWith), text);
      }
    });
  }
});

describe('built-in sys package matches the reference sys package', { skip }, () => {
  test('same types, fields, workspaces and ACL (comments aside)', () => {
    const stripComments = (v: unknown): unknown =>
      JSON.parse(JSON.stringify(v, (k, x) => (k === 'comment' ? undefined : x)));
    const ours = compileSources([builtinSysPackage(), appStub('x/app')]);
    const theirs = compileSources([referenceSys(), appStub('x/app')]);
    assert.ok(ours.appDef !== undefined && theirs.appDef !== undefined);
    assert.deepEqual(stripComments(ours.appDef.data), stripComments(theirs.appDef.data));
  });
});
