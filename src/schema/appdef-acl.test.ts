// ACL through workspace inheritance: where the builder writes rules (as the reference does) and how they
// apply in the workspaces that inherit them.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type AppDef, appDefFromJson, appDefToJson } from './appdef.js';
import { isOperationAllowed, roleAncestors } from './appdef-acl.js';
import { formatErrors } from './errors.js';
import { compileApp } from './index.js';

function build(text: string): AppDef {
  const r = compileApp([{ path: 'example.com/pkg', files: [{ name: 'f.vsql', text }] }]);
  assert.equal(formatErrors(r.errors), '');
  assert.ok(r.appDef !== undefined);
  return r.appDef;
}

const app = build(
  [
    'APPLICATION test();',
    'ABSTRACT WORKSPACE Base (',
    '  ROLE Reader;',
    '  TABLE Doc INHERITS sys.CDoc (a int32, b int32);',
    '  GRANT SELECT ON TABLE Doc TO Reader;',
    ');',
    'ABSTRACT WORKSPACE Middle INHERITS Base (',
    '  ROLE Auditor;',
    '  GRANT Reader TO Auditor;',
    ');',
    'WORKSPACE W1 INHERITS Middle (',
    '  ROLE Writer;',
    '  GRANT INSERT ON TABLE Doc TO Writer;',
    '  GRANT Reader TO Writer;',
    '  REVOKE SELECT(b) ON TABLE Doc FROM Writer;',
    ');',
    'WORKSPACE W2 INHERITS Base ();',
    'ALTERABLE WORKSPACE Alt ( ROLE Guest; );',
    'ALTER WORKSPACE Alt ( TABLE Note INHERITS sys.CDoc (t varchar); GRANT SELECT ON TABLE Note TO Guest; );',
  ].join('\n'),
);
const acl = (ws: string) => app.workspace(ws)?.acl ?? [];
const allowed = (ws: string, op: 'Select' | 'Insert', fields: string[], roles: string[]) =>
  isOperationAllowed(app, ws, op, 'pkg.Doc', fields, roles);

describe('rules of inherited workspaces', () => {
  test('a workspace others inherit holds its rules again for each of them, as the reference writes them', () => {
    // Base: its own rule, then once for Middle, W1 (through Middle) and W2
    assert.equal(acl('pkg.Base').length, 4);
    assert.ok(acl('pkg.Base').every((r) => r.principal === 'pkg.Reader' && r.ops[0] === 'Select'));
    // Middle: its own rule, then once for W1
    assert.equal(acl('pkg.Middle').length, 2);
    // W1 and W2 hold only their own; W1's grants come before its revoke
    assert.deepEqual(
      acl('pkg.W1').map((r) => `${r.policy} ${r.ops.join()}`),
      ['Allow Insert', 'Allow Inherits', 'Deny Select'],
    );
    assert.deepEqual(acl('pkg.W2'), []);
  });

  test('ALTER WORKSPACE rules go to the altered workspace', () => {
    assert.deepEqual(
      acl('pkg.Alt').map((r) => `${r.principal} ${r.ops.join()}`),
      ['pkg.Guest Select'],
    );
  });

  test("the rules in force are the ancestors' first (each workspace once), then the own ones", () => {
    const rules = app.aclRules('pkg.W1');
    const sysRules = app.aclRules('sys.Workspace');
    assert.deepEqual(rules.slice(0, sysRules.length), sysRules);
    const own = rules.slice(sysRules.length);
    assert.deepEqual(own, [...acl('pkg.Base'), ...acl('pkg.Middle'), ...acl('pkg.W1')]);
  });

  test('a grant in an inherited workspace allows in the inheriting ones', () => {
    assert.deepEqual(allowed('pkg.W2', 'Select', [], ['pkg.Reader']), {
      allowed: true,
      error: undefined,
    });
    assert.equal(allowed('pkg.W2', 'Insert', [], ['pkg.Reader']).allowed, false);
    assert.equal(allowed('pkg.Base', 'Select', ['a'], ['pkg.Reader']).allowed, true);
  });

  test('role inheritance granted in an ancestor applies below it', () => {
    assert.deepEqual([...roleAncestors(app, 'pkg.Auditor', 'pkg.W1')].sort(), [
      'pkg.Auditor',
      'pkg.Reader',
    ]);
    assert.equal(allowed('pkg.W1', 'Select', ['a', 'b'], ['pkg.Auditor']).allowed, true);
  });

  test('a later field REVOKE in the derived workspace overrides the inherited grant', () => {
    assert.equal(allowed('pkg.W1', 'Select', ['a'], ['pkg.Writer']).allowed, true);
    assert.equal(allowed('pkg.W1', 'Select', ['b'], ['pkg.Writer']).allowed, false);
    assert.equal(allowed('pkg.W1', 'Insert', [], ['pkg.Writer']).allowed, true);
    // not in W2, where the Writer role does not exist
    assert.equal(allowed('pkg.W2', 'Insert', [], ['pkg.Writer']).allowed, false);
  });

  test('sys.Workspace rules apply everywhere; sys workspaces inherit like others', () => {
    const echo = isOperationAllowed(app, 'pkg.W1', 'Execute', 'sys.Echo', [], ['sys.Anonymous']);
    assert.equal(echo.allowed, true);
    // sys.UserProfileWS inherits sys.ProfileWS, whose grant gives ProfileOwner the token refresh
    const refresh = (role: string) =>
      isOperationAllowed(
        app,
        'sys.UserProfileWS',
        'Execute',
        'sys.RefreshPrincipalToken',
        [],
        [role],
      ).allowed;
    assert.equal(refresh('sys.ProfileOwner'), true);
    assert.equal(refresh('sys.Anonymous'), false);
    assert.ok(
      (app.workspace('sys.ProfileWS')?.acl.length ?? 0) >
        (app.workspace('sys.DeviceProfileWS')?.acl.length ?? 0),
    );
  });

  test('sys.System is allowed everything; wrong questions are errors', () => {
    assert.equal(allowed('pkg.W2', 'Insert', [], ['sys.System']).allowed, true);
    assert.equal(
      allowed('pkg.W2', 'Select', ['zz'], ['pkg.Reader']).error,
      'not found: field «zz» in CDoc «pkg.Doc»',
    );
    assert.equal(
      isOperationAllowed(app, 'pkg.W2', 'Select', 'pkg.Note', [], ['pkg.Reader']).error,
      'not found: resource «pkg.Note» in Workspace «pkg.W2»',
    );
    assert.equal(allowed('pkg.W2', 'Select', [], []).error, 'missed: participants');
  });

  test('the JSON form keeps the rules and their order', () => {
    const back = appDefFromJson(JSON.parse(JSON.stringify(appDefToJson(app))));
    assert.deepEqual(back.aclRules('pkg.W1'), app.aclRules('pkg.W1'));
  });
});
