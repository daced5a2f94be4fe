import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_MAX_QUERIES_PER_WS, WorkspaceQueryCap } from './query-cap.js';

const APP = 'test1/app1';
const WS = 140737488355329;

function acquireTimes(cap: WorkspaceQueryCap, n: number, app = APP, wsid = WS): boolean[] {
  return Array.from({ length: n }, () => cap.tryAcquire(app, wsid));
}

describe('WorkspaceQueryCap', () => {
  test('admits 10 queries of a workspace at once by default, then refuses', () => {
    const cap = new WorkspaceQueryCap();
    assert.equal(cap.maxQueriesPerWS, DEFAULT_MAX_QUERIES_PER_WS);
    assert.deepEqual(acquireTimes(cap, 11), [...Array<boolean>(10).fill(true), false]);
    assert.equal(cap.inFlight(APP, WS), 10);
  });

  test('a refused query takes no slot; a released one frees a slot', () => {
    const cap = new WorkspaceQueryCap({ maxQueriesPerWS: 2 });
    assert.deepEqual(acquireTimes(cap, 4), [true, true, false, false]);
    assert.equal(cap.inFlight(APP, WS), 2);
    cap.release(APP, WS);
    assert.equal(cap.inFlight(APP, WS), 1);
    assert.deepEqual(acquireTimes(cap, 2), [true, false]);
  });

  test('workspaces and apps are counted apart', () => {
    const cap = new WorkspaceQueryCap({ maxQueriesPerWS: 1 });
    assert.equal(cap.tryAcquire(APP, WS), true);
    assert.equal(cap.tryAcquire(APP, WS), false);
    assert.equal(cap.tryAcquire(APP, WS + 1), true);
    assert.equal(cap.tryAcquire('test1/app2', WS), true);
    // The key cannot be confused by digits at the start of an app name.
    assert.equal(cap.tryAcquire('1/x', 14), true);
    assert.equal(cap.tryAcquire('4/x', 11), true);
    assert.equal(cap.busyWorkspaces, 5);
  });

  test('a workspace whose count returns to 0 is forgotten', () => {
    const cap = new WorkspaceQueryCap({ maxQueriesPerWS: 3 });
    acquireTimes(cap, 3);
    acquireTimes(cap, 1, APP, 7);
    assert.equal(cap.busyWorkspaces, 2);
    for (let i = 0; i < 3; i++) cap.release(APP, WS);
    cap.release(APP, 7);
    assert.equal(cap.busyWorkspaces, 0);
    assert.equal(cap.inFlight(APP, WS), 0);
  });

  test('a release without a slot changes nothing', () => {
    const cap = new WorkspaceQueryCap({ maxQueriesPerWS: 1 });
    cap.release(APP, WS);
    cap.release(APP, WS);
    assert.equal(cap.busyWorkspaces, 0);
    assert.deepEqual(acquireTimes(cap, 2), [true, false]);
  });

  test('a cap of 0 or less admits everything and holds nothing', () => {
    for (const max of [0, -1]) {
      const cap = new WorkspaceQueryCap({ maxQueriesPerWS: max });
      assert.ok(acquireTimes(cap, 100).every((ok) => ok));
      cap.release(APP, WS);
      assert.equal(cap.busyWorkspaces, 0);
    }
  });
});
