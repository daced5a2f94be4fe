// EXTENSION ENGINE BUILTIN/WASM with COMMAND, QUERY, PROJECTOR and JOB: parameters, UNLOGGED, results,
// STATE/INTENTS, triggers, SYNC, INCLUDING ERRORS, cron schedules; and the extension checks.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  assertErrors,
  build,
  errorsOf,
  lines,
  typeOf,
  typeOfKind,
  workspaceOf,
} from './support.js';

describe('COMMAND and QUERY', () => {
  const app = build(
    lines(
      'APPLICATION test();',
      'WORKSPACE W (',
      '  TAG T;',
      '  TABLE Doc INHERITS sys.CDoc ();',
      '  TABLE Od INHERITS sys.ODoc ();',
      '  TYPE Par (x int32);',
      '  TYPE Res (y varchar);',
      '  VIEW V (k int32, c int32, PRIMARY KEY((k), c)) AS RESULT OF Prj;',
      '  EXTENSION ENGINE WASM (',
      '    -- full command',
      '    COMMAND Full(Par, UNLOGGED Od) STATE(sys.AppSecret, sys.Record(Doc)) INTENTS(sys.Record(Doc)) RETURNS Res WITH Tags=(T);',
      '    COMMAND Bare;',
      '    COMMAND Empty();',
      '    COMMAND AnyVoid(any) RETURNS void;',
      '    COMMAND OnlyUnlogged(UNLOGGED Par);',
      '    COMMAND NoComma(Od UNLOGGED Par);',
      '    COMMAND TableResult(Od) RETURNS Doc;',
      '    QUERY Q1 RETURNS any;',
      "    QUERY Q2(Par) STATE(sys.View(V), sys.Http) RETURNS Res WITH Comment='query two';",
      '    QUERY Q3(void) RETURNS void;',
      '    QUERY Q4() RETURNS Res;',
      '    PROJECTOR Prj AFTER EXECUTE ON Full INTENTS(sys.View(V));',
      '  );',
      '  EXTENSION ENGINE BUILTIN (',
      '    COMMAND Builtin;',
      '    QUERY BuiltinQ RETURNS void;',
      '  );',
      ');',
    ),
  );

  test('a command with parameter, unlogged parameter, states, intents, result and tags', () => {
    const c = typeOfKind(app, 'pkg.Full', 'Command');
    assert.deepEqual(
      {
        param: c.param,
        unlogged: c.unloggedParam,
        result: c.result,
        engine: c.engine,
        states: c.states,
        intents: c.intents,
        tags: c.tags,
        comment: c.comment,
        workspace: c.workspace,
      },
      {
        param: 'pkg.Par',
        unlogged: 'pkg.Od',
        result: 'pkg.Res',
        engine: 'WASM',
        states: [
          { storage: 'sys.AppSecret', entities: [] },
          { storage: 'sys.Record', entities: ['pkg.Doc'] },
        ],
        intents: [{ storage: 'sys.Record', entities: ['pkg.Doc'] }],
        tags: ['pkg.T'],
        comment: ['full command'],
        workspace: 'pkg.W',
      },
    );
  });

  test('commands without parameters or result', () => {
    for (const name of ['pkg.Bare', 'pkg.Empty']) {
      const c = typeOfKind(app, name, 'Command');
      assert.deepEqual([c.param, c.unloggedParam, c.result], [null, null, null], name);
    }
  });

  test('any is sys.ANY, void is no type', () => {
    const c = typeOfKind(app, 'pkg.AnyVoid', 'Command');
    assert.deepEqual([c.param, c.result], ['sys.ANY', null]);
    assert.equal(typeOfKind(app, 'pkg.Q1', 'Query').result, 'sys.ANY');
    const q3 = typeOfKind(app, 'pkg.Q3', 'Query');
    assert.deepEqual([q3.param, q3.result], [null, null]);
  });

  test('UNLOGGED alone, and UNLOGGED after a parameter without a comma', () => {
    const only = typeOfKind(app, 'pkg.OnlyUnlogged', 'Command');
    assert.deepEqual([only.param, only.unloggedParam], [null, 'pkg.Par']);
    const nc = typeOfKind(app, 'pkg.NoComma', 'Command');
    assert.deepEqual([nc.param, nc.unloggedParam], ['pkg.Od', 'pkg.Par']);
  });

  test('a command parameter may be an ODoc and its result a document', () => {
    const c = typeOfKind(app, 'pkg.TableResult', 'Command');
    assert.deepEqual([c.param, c.result], ['pkg.Od', 'pkg.Doc']);
  });

  test('a query with a parameter, states, result and a WITH comment; queries have no intents', () => {
    const q = typeOfKind(app, 'pkg.Q2', 'Query');
    assert.deepEqual(
      [q.param, q.result, q.states, q.intents, q.unloggedParam, q.comment],
      [
        'pkg.Par',
        'pkg.Res',
        [
          { storage: 'sys.View', entities: ['pkg.V'] },
          { storage: 'sys.Http', entities: [] },
        ],
        [],
        null,
        ['query two'],
      ],
    );
    assert.equal(typeOfKind(app, 'pkg.Q4', 'Query').param, null);
  });

  test('the engine of the enclosing EXTENSION ENGINE block', () => {
    assert.equal(typeOfKind(app, 'pkg.Builtin', 'Command').engine, 'BuiltIn');
    assert.equal(typeOfKind(app, 'pkg.BuiltinQ', 'Query').engine, 'BuiltIn');
    assert.equal(typeOfKind(app, 'pkg.Q1', 'Query').engine, 'WASM');
  });

  test('extensions are types of their workspace', () => {
    const types = workspaceOf(app, 'pkg.W').types;
    for (const n of ['pkg.Full', 'pkg.Q1', 'pkg.Prj', 'pkg.Builtin'])
      assert.ok(types.includes(n), n);
  });

  test('a FUNCTION in a root EXTENSION ENGINE is parsed and not built', () => {
    const app2 = build(
      lines(
        'APPLICATION test();',
        'EXTENSION ENGINE WASM (',
        '  FUNCTION MyFunc(a int32, varchar) RETURNS void;',
        '  FUNCTION MyFunc2() RETURNS int64;',
        ');',
        'WORKSPACE W ();',
      ),
    );
    assert.equal(app2.type('pkg.MyFunc'), undefined);
    assert.equal(app2.type('pkg.MyFunc2'), undefined);
  });
});

describe('COMMAND and QUERY checks', () => {
  test('query parameters and results must be TYPEs, not tables', () => {
    assertErrors(
      lines(
        'APPLICATION test();',
        'WORKSPACE W (',
        '  TABLE D INHERITS sys.CDoc ();',
        '  EXTENSION ENGINE BUILTIN (',
        '    QUERY Q1(D) RETURNS void;',
        '    QUERY Q2 RETURNS D;',
        '    QUERY Q3(Nope) RETURNS Nope2;',
        '  );',
        ');',
      ),
      [
        'file.vsql:5:14: undefined type: D',
        'file.vsql:6:22: undefined type: D',
        'file.vsql:7:14: undefined type: Nope',
        'file.vsql:7:28: undefined type: Nope2',
      ],
    );
  });

  test('each storage must allow the operation in the scope of the extension kind', () => {
    // commands may not write views; queries may not read the command context; jobs neither
    assertErrors(
      lines(
        'APPLICATION test();',
        'WORKSPACE W (',
        '  EXTENSION ENGINE BUILTIN (',
        '    COMMAND C1 INTENTS(sys.View(V));',
        '    QUERY Q1 STATE(sys.CommandContext) RETURNS void;',
        '    PROJECTOR P AFTER EXECUTE ON C1 STATE(sys.QueryContext) INTENTS(sys.View(V));',
        '    QUERY Q2 STATE(sys.Logger) RETURNS void;',
        '  );',
        '  VIEW V (k int, c int, PRIMARY KEY((k), c)) AS RESULT OF P;',
        ');',
      ),
      [
        'file.vsql:4:24: this kind of extension cannot use storage sys.View in the intents',
        'file.vsql:5:20: this kind of extension cannot use storage sys.CommandContext in the state',
        'file.vsql:6:43: this kind of extension cannot use storage sys.QueryContext in the state',
        'file.vsql:7:20: this kind of extension cannot use storage sys.Logger in the state',
      ],
    );
  });

  test('storage entities must be tables (for records) and the storage must exist', () => {
    assertErrors(
      lines(
        'APPLICATION test();',
        'WORKSPACE W (',
        '  TYPE T ();',
        '  EXTENSION ENGINE BUILTIN (',
        '    COMMAND C3 STATE(sys.Record(T));',
        '    QUERY Q2 STATE(Nope) RETURNS void;',
        '    QUERY Q3 STATE(sys.Nope) RETURNS void;',
        '  );',
        ');',
      ),
      [
        'file.vsql:5:22: undefined table: T',
        'file.vsql:6:20: Nope undefined',
        'file.vsql:7:20: sys.Nope undefined',
      ],
    );
  });

  test('a command parameter must be an ODoc, an Object or data; a result a document, an Object or data', () => {
    // reference: appdef Function.Validate / Command.Validate when the AppDef is built, e.g.
    // "not valid: parameter type «CDoc «pkg.D»», should be ODoc, Object or Data"
    const errs = errorsOf(
      lines(
        'APPLICATION test();',
        'WORKSPACE W (',
        '  TABLE D INHERITS sys.CDoc (n TABLE N ());',
        '  EXTENSION ENGINE BUILTIN (',
        '    COMMAND C1(D);',
        '    COMMAND C2(UNLOGGED D);',
        '    COMMAND C3 RETURNS N;',
        '  );',
        ');',
      ),
    );
    const text = errs.join('\n');
    assert.match(text, /parameter type «CDoc «pkg\.D»», should be ODoc, Object or Data/);
    assert.match(text, /unlogged parameter type «CDoc «pkg\.D»», should be ODoc, Object or Data/);
    assert.match(text, /result type «CRecord «pkg\.N»», should be Document, Object or Data/);
  });
});

describe('PROJECTOR', () => {
  const app = build(
    lines(
      'APPLICATION test();',
      'WORKSPACE W (',
      '  DESCRIPTOR WD (f int);',
      '  TABLE Doc INHERITS sys.CDoc ();',
      '  TABLE WDocT INHERITS sys.WDoc ();',
      '  TABLE Od INHERITS sys.ODoc ();',
      '  TYPE Par (x int);',
      '  VIEW V (k int32, c int32, PRIMARY KEY((k), c)) AS RESULT OF OnCmd;',
      '  EXTENSION ENGINE WASM (',
      '    COMMAND C1;',
      '    COMMAND C2;',
      '    PROJECTOR OnCmd AFTER EXECUTE ON C1 INTENTS(sys.View(V));',
      '    PROJECTOR OnCmds AFTER EXECUTE ON (C1, C2);',
      '    PROJECTOR OnParam AFTER EXECUTE WITH PARAM ON (Par, Od);',
      '    PROJECTOR OnAnyODoc AFTER EXECUTE WITH PARAM ON sys.ODoc;',
      '    SYNC PROJECTOR AllOps AFTER INSERT OR UPDATE OR ACTIVATE OR DEACTIVATE ON (Doc, WDocT) STATE(sys.Http) INCLUDING ERRORS;',
      '    PROJECTOR Families AFTER INSERT ON (sys.CRecord, sys.WRecord);',
      '    PROJECTOR Mixed AFTER UPDATE ON (Doc, sys.CRecord);',
      '    PROJECTOR OrTriggers AFTER EXECUTE ON C1 OR AFTER INSERT ON Od OR AFTER ACTIVATE ON WD;',
      '    PROJECTOR StateIntents AFTER INSERT ON Doc STATE(sys.Record(Doc), sys.AppSecret) INTENTS(sys.SendMail, sys.View(V));',
      '  );',
      ');',
    ),
  );
  const prj = (name: string) => typeOfKind(app, `pkg.${name}`, 'Projector');

  test('AFTER EXECUTE ON a command, and ON a list of commands', () => {
    assert.deepEqual(prj('OnCmd').events, [
      { ops: ['Execute'], filter: { kind: 'QNames', names: ['pkg.C1'] } },
    ]);
    assert.deepEqual(prj('OnCmds').events, [
      { ops: ['Execute'], filter: { kind: 'QNames', names: ['pkg.C1', 'pkg.C2'] } },
    ]);
  });

  test('AFTER EXECUTE WITH PARAM on TYPEs and ODocs; sys.ODoc means every ODoc', () => {
    assert.deepEqual(prj('OnParam').events, [
      { ops: ['ExecuteWithParam'], filter: { kind: 'QNames', names: ['pkg.Par', 'pkg.Od'] } },
    ]);
    assert.deepEqual(prj('OnAnyODoc').events, [
      { ops: ['ExecuteWithParam'], filter: { kind: 'Types', types: ['ODoc'], workspace: null } },
    ]);
  });

  test('all four table operations, SYNC, STATE and INCLUDING ERRORS', () => {
    const p = prj('AllOps');
    assert.deepEqual(p.events, [
      {
        ops: ['Insert', 'Update', 'Activate', 'Deactivate'],
        filter: { kind: 'QNames', names: ['pkg.Doc', 'pkg.WDocT'] },
      },
    ]);
    assert.deepEqual(
      [p.sync, p.wantErrors, p.states, p.intents],
      [true, true, [{ storage: 'sys.Http', entities: [] }], []],
    );
    assert.deepEqual([prj('OnCmd').sync, prj('OnCmd').wantErrors], [false, false]);
  });

  test('sys.CRecord and sys.WRecord stand for their whole families', () => {
    assert.deepEqual(prj('Families').events, [
      {
        ops: ['Insert'],
        filter: { kind: 'Types', types: ['CDoc', 'CRecord', 'WDoc', 'WRecord'], workspace: null },
      },
    ]);
  });

  test('names and families together: an OR of a names filter and a types filter', () => {
    assert.deepEqual(prj('Mixed').events, [
      {
        ops: ['Update'],
        filter: {
          kind: 'Or',
          filters: [
            { kind: 'QNames', names: ['pkg.Doc'] },
            { kind: 'Types', types: ['CDoc', 'CRecord'], workspace: null },
          ],
        },
      },
    ]);
  });

  test('triggers joined by OR become separate events; a workspace descriptor can trigger', () => {
    assert.deepEqual(prj('OrTriggers').events, [
      { ops: ['Execute'], filter: { kind: 'QNames', names: ['pkg.C1'] } },
      { ops: ['Insert'], filter: { kind: 'QNames', names: ['pkg.Od'] } },
      { ops: ['Activate'], filter: { kind: 'QNames', names: ['pkg.WD'] } },
    ]);
  });

  test('states and intents keep their storages and entities in order', () => {
    const p = prj('StateIntents');
    assert.deepEqual(p.states, [
      { storage: 'sys.Record', entities: ['pkg.Doc'] },
      { storage: 'sys.AppSecret', entities: [] },
    ]);
    assert.deepEqual(p.intents, [
      { storage: 'sys.SendMail', entities: [] },
      { storage: 'sys.View', entities: ['pkg.V'] },
    ]);
    assert.equal(p.engine, 'WASM');
  });
});

describe('PROJECTOR checks', () => {
  test('table triggers must name tables (or descriptors)', () => {
    assertErrors(
      lines(
        'APPLICATION test();',
        'WORKSPACE W (',
        '  TYPE T ();',
        '  EXTENSION ENGINE BUILTIN (',
        '    COMMAND C1;',
        '    PROJECTOR P4 AFTER INSERT ON T;',
        '    PROJECTOR P5 AFTER INSERT ON C1;',
        '  );',
        ');',
      ),
      ['file.vsql:6:34: undefined table: T', 'file.vsql:7:34: undefined table: C1'],
    );
  });

  test('a table of a workspace that is not inherited is not visible', () => {
    assertErrors(
      lines(
        'APPLICATION test();',
        'ABSTRACT WORKSPACE A ( TABLE WD INHERITS sys.WDoc (); );',
        'WORKSPACE W (',
        '  EXTENSION ENGINE BUILTIN ( PROJECTOR P AFTER INSERT ON WD; );',
        ');',
      ),
      ['file.vsql:4:58: undefined table: WD'],
    );
  });

  test('INSERT on an ODoc is allowed', () => {
    const app = build(
      lines(
        'APPLICATION test();',
        'WORKSPACE W (',
        '  TABLE O INHERITS sys.ODoc (lines TABLE OL ());',
        '  EXTENSION ENGINE BUILTIN ( PROJECTOR P AFTER INSERT ON O; );',
        ');',
      ),
    );
    assert.deepEqual(typeOfKind(app, 'pkg.P', 'Projector').events[0]?.ops, ['Insert']);
  });

  test('a nested table as a trigger has no kind of its own (reference quirk)', () => {
    // reference: getTableTypeKind follows INHERITS only; a nested table's kind comes from its root
    assertErrors(
      lines(
        'APPLICATION test();',
        'WORKSPACE W (',
        '  TABLE O INHERITS sys.ODoc (lines TABLE OL ());',
        '  EXTENSION ENGINE BUILTIN ( PROJECTOR P AFTER INSERT ON (O, OL); );',
        ');',
      ),
      ['file.vsql:4:62: undefined table kind'],
    );
  });
});

describe('JOB', () => {
  const app = build(
    lines(
      'APPLICATION test();',
      'ALTER WORKSPACE sys.AppWorkspaceWS (',
      '  VIEW JV (k int32, c int32, PRIMARY KEY((k), c)) AS RESULT OF J1;',
      '  EXTENSION ENGINE BUILTIN (',
      '    -- every two and a half minutes',
      "    JOB J1 '@every 2m30s' STATE(sys.Http, sys.JobContext) INTENTS(sys.View(JV), sys.SendMail);",
      "    JOB J2 '0 0 * * *';",
      '  );',
      "  EXTENSION ENGINE WASM ( JOB J3 '*/5 * * * * *'; );",
      ');',
    ),
  );

  test('a job keeps its cron, states, intents, engine and workspace', () => {
    const j = typeOfKind(app, 'pkg.J1', 'Job');
    assert.deepEqual(
      [j.cron, j.engine, j.workspace, j.comment],
      ['@every 2m30s', 'BuiltIn', 'sys.AppWorkspaceWS', ['every two and a half minutes']],
    );
    assert.deepEqual(j.states, [
      { storage: 'sys.Http', entities: [] },
      { storage: 'sys.JobContext', entities: [] },
    ]);
    assert.deepEqual(j.intents, [
      { storage: 'sys.View', entities: ['pkg.JV'] },
      { storage: 'sys.SendMail', entities: [] },
    ]);
    assert.equal(typeOfKind(app, 'pkg.J2', 'Job').cron, '0 0 * * *');
    assert.equal(typeOfKind(app, 'pkg.J3', 'Job').engine, 'WASM');
    assert.ok(workspaceOf(app, 'sys.AppWorkspaceWS').types.includes('pkg.J1'));
  });

  // robfig/cron with SecondOptional | Minute | Hour | Dom | Month | Dow | Descriptor
  const valid = [
    '* * * * *',
    '0 0 * * *',
    '*/5 * * * * *',
    '0 30 9 * * MON-FRI',
    '0 0 1,15 * ?',
    '0 0 * JAN-MAR MON',
    '0 0 * jan mon',
    '0-30/10 0 * * *',
    '@yearly',
    '@annually',
    '@monthly',
    '@weekly',
    '@daily',
    '@midnight',
    '@hourly',
    '@every 1h30m',
    '@every 500ms',
    'TZ=UTC 0 0 * * *',
    'CRON_TZ=Europe/Berlin 0 0 * * *',
  ];
  for (const cron of valid) {
    test(`cron '${cron}' is accepted`, () => {
      const a = build(
        lines(
          'APPLICATION test();',
          `ALTER WORKSPACE sys.AppWorkspaceWS ( EXTENSION ENGINE BUILTIN ( JOB J '${cron}'; ); );`,
        ),
      );
      assert.equal(typeOfKind(a, 'pkg.J', 'Job').cron, cron);
    });
  }

  const invalid = [
    '* * *',
    '0 0 * * * * *',
    '@reboot',
    '@every 1x',
    '60 * * * *',
    '0 24 * * *',
    '0 0 0 * *',
    '0 0 * 13 *',
    '0 0 * * 7',
    '*/0 * * * *',
    '5-1 * * * *',
    '0 0 * FOO *',
  ];
  for (const cron of invalid) {
    test(`cron '${cron}' is rejected: invalid cron schedule`, () => {
      assertErrors(
        lines(
          'APPLICATION test();',
          'ALTER WORKSPACE sys.AppWorkspaceWS (',
          `  EXTENSION ENGINE BUILTIN ( JOB J '${cron}'; );`,
          ');',
        ),
        [`file.vsql:3:30: invalid cron schedule: ${cron}`],
      );
    });
  }

  test('a cron with an unknown time zone is rejected', () => {
    // reference: robfig/cron loads the location with time.LoadLocation and fails on unknown zones
    assertErrors(
      lines(
        'APPLICATION test();',
        'ALTER WORKSPACE sys.AppWorkspaceWS (',
        "  EXTENSION ENGINE BUILTIN ( JOB J 'TZ=Nowhere/Nothing 0 0 * * *'; );",
        ');',
      ),
      ['file.vsql:3:30: invalid cron schedule: TZ=Nowhere/Nothing 0 0 * * *'],
    );
  });

  test('an empty cron string is no schedule', () => {
    assertErrors(
      lines(
        'APPLICATION test();',
        'ALTER WORKSPACE sys.AppWorkspaceWS (',
        "  EXTENSION ENGINE BUILTIN ( JOB J ''; );",
        ');',
      ),
      ['file.vsql:3:30: job without cron schedule is not allowed'],
    );
  });

  test('a user workspace named AppWorkspaceWS is not sys.AppWorkspaceWS', () => {
    assertErrors(
      lines(
        'APPLICATION test();',
        'WORKSPACE AppWorkspaceWS (',
        "  EXTENSION ENGINE BUILTIN ( JOB J '@hourly'; );",
        ');',
      ),
      ['file.vsql:3:30: JOB is only allowed in AppWorkspaceWS'],
    );
  });

  test('storages must allow the JOBS scope', () => {
    assertErrors(
      lines(
        'APPLICATION test();',
        'ALTER WORKSPACE sys.AppWorkspaceWS (',
        '  TABLE X INHERITS sys.CDoc ();',
        "  EXTENSION ENGINE BUILTIN ( JOB J '@hourly' STATE(sys.CommandContext) INTENTS(sys.Record(X)); );",
        ');',
      ),
      [
        'file.vsql:4:52: this kind of extension cannot use storage sys.CommandContext in the state',
        'file.vsql:4:80: this kind of extension cannot use storage sys.Record in the intents',
      ],
    );
  });

  test('job types are not functions: no param or result', () => {
    const j = typeOf(app, 'pkg.J2');
    assert.equal('param' in j, false);
  });
});
