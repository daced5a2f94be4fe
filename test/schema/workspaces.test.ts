// WORKSPACE with ABSTRACT / ALTERABLE / POOL OF / INHERITS / DESCRIPTOR, nested workspaces, USE WORKSPACE,
// ALTER WORKSPACE, TEMPLATE, and the name lookups and checks tied to workspaces.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertErrors, build, lines, structureOf, userFields, workspaceOf } from './support.js';

describe('WORKSPACE', () => {
  const app = build(
    lines(
      'APPLICATION test();',
      '-- base one',
      'ABSTRACT WORKSPACE A1 ( TABLE T1 INHERITS sys.CDoc (); );',
      'ABSTRACT WORKSPACE A2 INHERITS A1 ( TYPE T2 (); );',
      'ABSTRACT WORKSPACE A3 ( ROLE R3; );',
      'ALTERABLE WORKSPACE W INHERITS A2, A3 (',
      '  DESCRIPTOR (x int);',
      '  TAG Tg;',
      '  TABLE Own INHERITS sys.CDoc (r ref(T1), T2) WITH Tags=(Tg);',
      '  GRANT SELECT ON TABLE Own TO R3;',
      '  WORKSPACE Child (',
      '    DESCRIPTOR ChildDesc (n TABLE ChildDescItem (y int));',
      '    TABLE InChild INHERITS sys.CDoc ();',
      '    WORKSPACE GrandChild ();',
      '  );',
      '  USE WORKSPACE Other;',
      ');',
      'POOL OF WORKSPACE Other ();',
      'ABSTRACT WORKSPACE AbsNoDesc ();',
      'WORKSPACE Named ( DESCRIPTOR ND (); );',
      'WORKSPACE Plain ();',
      'ALTER WORKSPACE W ( TABLE Added INHERITS sys.CDoc (); WORKSPACE AltChild (); );',
      'TEMPLATE demo OF WORKSPACE W SOURCE wsTemplate_demo;',
    ),
  );

  test('abstract flag; non-abstract workspaces are concrete', () => {
    assert.equal(workspaceOf(app, 'pkg.A1').abstract, true);
    assert.equal(workspaceOf(app, 'pkg.W').abstract, false);
    assert.equal(workspaceOf(app, 'pkg.Other').abstract, false);
  });

  test('ancestors: the whole INHERITS chain, the deepest first; sys.Workspace when none', () => {
    assert.deepEqual(workspaceOf(app, 'pkg.W').ancestors, ['pkg.A1', 'pkg.A2', 'pkg.A3']);
    assert.deepEqual(workspaceOf(app, 'pkg.A2').ancestors, ['pkg.A1']);
    assert.deepEqual(workspaceOf(app, 'pkg.A1').ancestors, ['sys.Workspace']);
    assert.deepEqual(workspaceOf(app, 'sys.Workspace').ancestors, []);
  });

  test('names of inherited workspaces resolve: tables, types, roles', () => {
    const own = structureOf(app, 'pkg.Own');
    assert.deepEqual(own.fields.find((f) => f.name === 'r')?.refs, ['pkg.T1']);
    assert.deepEqual(userFields(own), ['r']);
    assert.deepEqual(own.tags, ['pkg.Tg']);
    assert.equal(workspaceOf(app, 'pkg.W').acl[0]?.principal, 'pkg.R3');
    assert.equal(app.workspaceType('pkg.W', 'pkg.T1')?.kind, 'CDoc');
    assert.equal(app.workspaceType('pkg.W', 'pkg.T2')?.kind, 'Object');
    assert.equal(app.workspaceType('pkg.A3', 'pkg.T1'), undefined);
  });

  test('an unnamed DESCRIPTOR is <Workspace>Descriptor, a singleton CDoc of the workspace', () => {
    const w = workspaceOf(app, 'pkg.W');
    assert.equal(w.descriptor, 'pkg.WDescriptor');
    const d = structureOf(app, 'pkg.WDescriptor');
    assert.deepEqual([d.kind, d.singleton, d.workspace], ['CDoc', true, 'pkg.W']);
    assert.deepEqual(userFields(d), ['x']);
  });

  test('a named DESCRIPTOR, and a nested table inside it', () => {
    assert.equal(workspaceOf(app, 'pkg.Named').descriptor, 'pkg.ND');
    assert.equal(workspaceOf(app, 'pkg.Child').descriptor, 'pkg.ChildDesc');
    assert.deepEqual(structureOf(app, 'pkg.ChildDesc').containers, [
      { name: 'n', type: 'pkg.ChildDescItem', minOccurs: 0, maxOccurs: 100 },
    ]);
    assert.equal(structureOf(app, 'pkg.ChildDescItem').kind, 'CRecord');
  });

  test('a workspace without DESCRIPTOR still gets <Workspace>Descriptor; an abstract one gets none', () => {
    assert.equal(workspaceOf(app, 'pkg.Plain').descriptor, 'pkg.PlainDescriptor');
    assert.equal(structureOf(app, 'pkg.PlainDescriptor').singleton, true);
    assert.equal(workspaceOf(app, 'pkg.AbsNoDesc').descriptor, null);
    assert.equal(app.type('pkg.AbsNoDescDescriptor'), undefined);
  });

  test('nested workspaces and USE WORKSPACE are used workspaces; ALTER adds its nested ones', () => {
    assert.deepEqual([...workspaceOf(app, 'pkg.W').usedWorkspaces].sort(), [
      'pkg.AltChild',
      'pkg.Child',
      'pkg.Other',
    ]);
    assert.deepEqual(workspaceOf(app, 'pkg.Child').usedWorkspaces, ['pkg.GrandChild']);
  });

  test('statements of a nested workspace belong to it, not to the parent', () => {
    assert.equal(structureOf(app, 'pkg.InChild').workspace, 'pkg.Child');
    assert.equal(workspaceOf(app, 'pkg.W').types.includes('pkg.InChild'), false);
  });

  test('ALTER WORKSPACE adds its statements to the altered workspace', () => {
    assert.equal(structureOf(app, 'pkg.Added').workspace, 'pkg.W');
    assert.ok(workspaceOf(app, 'pkg.W').types.includes('pkg.Added'));
  });

  test('the comment before a workspace describes it', () => {
    assert.deepEqual(workspaceOf(app, 'pkg.A1').comment, ['base one']);
  });

  test('TEMPLATE is parsed and not built', () => {
    assert.equal(app.type('pkg.demo'), undefined);
    assert.equal(app.workspace('pkg.demo'), undefined);
  });

  test('the built-in workspaces are there', () => {
    for (const ws of [
      'sys.Workspace',
      'sys.AppWorkspaceWS',
      'sys.ProfileWS',
      'sys.UserProfileWS',
      'sys.DeviceProfileWS',
    ]) {
      assert.ok(app.workspace(ws) !== undefined, ws);
    }
    assert.equal(workspaceOf(app, 'sys.Workspace').abstract, true);
  });
});

describe('ALTER WORKSPACE', () => {
  test('a non-alterable workspace may be altered from its own package', () => {
    const app = build(
      lines(
        'APPLICATION test();',
        'WORKSPACE W ( TABLE D INHERITS sys.CDoc (); );',
        'ALTER WORKSPACE W ( TABLE E INHERITS sys.CDoc (d ref(D)); );',
      ),
    );
    assert.deepEqual(structureOf(app, 'pkg.E').fields.find((f) => f.name === 'd')?.refs, ['pkg.D']);
    assert.equal(structureOf(app, 'pkg.E').workspace, 'pkg.W');
  });

  test('an alterable sys workspace may be altered by the application', () => {
    const app = build(
      lines(
        'APPLICATION test();',
        'ALTER WORKSPACE sys.UserProfileWS ( TABLE Pref INHERITS sys.CDoc (); );',
      ),
    );
    assert.equal(structureOf(app, 'pkg.Pref').workspace, 'sys.UserProfileWS');
  });

  test('a non-alterable sys workspace may not be altered', () => {
    assertErrors(lines('APPLICATION test();', 'ALTER WORKSPACE sys.ProfileWS ( ROLE R; );'), [
      'file.vsql:2:17: workspace sys.ProfileWS is not alterable',
    ]);
  });

  test('an unknown workspace', () => {
    assertErrors(lines('APPLICATION test();', 'ALTER WORKSPACE Nope ( ROLE R; );'), [
      'file.vsql:2:17: undefined workspace: Nope',
    ]);
  });

  test('lookups inside ALTER WORKSPACE start from the altered workspace', () => {
    assertErrors(
      lines(
        'APPLICATION test();',
        'WORKSPACE W ( TABLE D INHERITS sys.CDoc (); );',
        'WORKSPACE V ( );',
        'ALTER WORKSPACE V ( TABLE E INHERITS sys.CDoc (d ref(D)); );',
      ),
      ['file.vsql:4:54: undefined table: D'],
    );
  });
});

describe('workspace checks', () => {
  test('explicit inheritance from sys.Workspace, at the package root and nested', () => {
    assertErrors(
      lines(
        'APPLICATION test();',
        'WORKSPACE W INHERITS sys.Workspace (',
        '  WORKSPACE N INHERITS sys.Workspace ();',
        ');',
      ),
      [
        'file.vsql:2:1: explicit inheritance from sys.Workspace not allowed',
        'file.vsql:3:3: explicit inheritance from sys.Workspace not allowed',
      ],
    );
  });

  test('an unknown base workspace is reported at INHERITS and at the workspace', () => {
    // reference: pass 2 checks the INHERITS chain; pass 4 resolves the bases again from the workspace
    assertErrors(lines('APPLICATION test();', 'WORKSPACE W INHERITS Nope ();'), [
      'file.vsql:2:22: undefined workspace: Nope',
      'file.vsql:2:1: undefined workspace: Nope',
    ]);
  });

  test('a base that is not a workspace', () => {
    assertErrors(lines('APPLICATION test();', 'ROLE R;', 'WORKSPACE W INHERITS R ();'), [
      'file.vsql:3:22: undefined workspace: R',
      'file.vsql:3:1: undefined workspace: R',
    ]);
  });

  test('USE WORKSPACE names a workspace of the own package only, not of sys', () => {
    // the name is looked up as <current package>.<name>
    assertErrors(lines('APPLICATION test();', 'WORKSPACE W ( USE WORKSPACE UserProfileWS; );'), [
      'file.vsql:2:29: undefined workspace: pkg.UserProfileWS',
    ]);
  });

  test('an error in a descriptor field', () => {
    assertErrors(
      lines(
        'APPLICATION test();',
        'WORKSPACE W (',
        '  DESCRIPTOR (a nope, b varchar(70000));',
        ');',
      ),
      [
        'file.vsql:3:17: undefined data type or table: nope',
        'file.vsql:3:25: maximum field length is 65535',
      ],
    );
  });

  test('a workspace and a table of the same name: redefinition', () => {
    assertErrors(
      lines('APPLICATION test();', 'WORKSPACE W (', '  TABLE W INHERITS sys.CDoc ();', ');'),
      ['file.vsql:3:3: redefinition of W'],
    );
  });

  test('a table of a sibling nested workspace is not visible', () => {
    assertErrors(
      lines(
        'APPLICATION test();',
        'WORKSPACE W (',
        '  WORKSPACE A ( TABLE TA INHERITS sys.CDoc (); );',
        '  WORKSPACE B ( TABLE TB INHERITS sys.CDoc (r ref(TA)); );',
        ');',
      ),
      ['file.vsql:4:51: undefined table: TA'],
    );
  });

  test('package-root statements are visible from every workspace', () => {
    const app = build(
      lines(
        'APPLICATION test();',
        'ROLE RootRole;',
        'WORKSPACE W ( ROLE R; GRANT RootRole TO R; );',
      ),
    );
    assert.deepEqual(workspaceOf(app, 'pkg.W').acl[0]?.filter, {
      kind: 'QNames',
      names: ['pkg.RootRole'],
    });
  });
});
