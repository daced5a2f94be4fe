// Jobs (core.md §4.9): a JOB of sys.AppWorkspaceWS runs on its cron schedule in every application
// workspace, and the scheduler can run it once directly.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { APP_QNAME, must, sleep, startEngine, viewRows, waitFor } from './support.js';

describe('jobs', () => {
  test('a job runs every second in each application workspace, until the engine stops', async () => {
    const started = Date.now();
    const t = await startEngine({ job: true, clock: Date.now, appWorkspaces: 2, partitions: 2 });
    try {
      const { engine, probe } = t;
      assert.equal(engine.appWorkspaces.length, 2);
      const rowsByWs = await waitFor(
        'a run in every application workspace',
        async () => {
          const rows = await Promise.all(
            engine.appWorkspaces.map((ws) => viewRows(engine, ws, 'tst.JobRuns', { Part: 0 })),
          );
          return rows.every((r) => r.length > 0) && rows;
        },
        3000,
      );
      engine.appWorkspaces.forEach((ws, i) => {
        for (const row of must(rowsByWs[i])) {
          assert.equal(row.Wsid, ws);
          const at = Number(row.At);
          assert.equal(at % 1000, 0, 'runs are scheduled on whole seconds');
          assert.ok(at > started - 1000 && at <= Date.now(), `run at ${at} is after the start`);
        }
      });
      for (const ws of engine.appWorkspaces) {
        const mine = probe.jobRuns.filter((r) => r.wsid === ws).map((r) => r.scheduledAt);
        assert.ok(mine.length >= 1);
        assert.deepEqual(
          mine,
          [...new Set(mine)].sort((a, b) => a - b),
          'one run per activation, in order',
        );
      }
    } finally {
      await t.close();
    }
    const runs = t.probe.jobRuns.length;
    await sleep(1100);
    assert.equal(t.probe.jobRuns.length, runs, 'no runs after the engine stopped');
  });

  test('scheduler.run runs a bound job once, writing its view and notifying', async () => {
    const t = await startEngine({ job: true, background: false, appWorkspaces: 1 });
    try {
      const { engine, probe } = t;
      const job = engine.deployment.jobs.find((j) => j.def.name === 'tst.Tick');
      assert.ok(job !== undefined);
      assert.deepEqual([job.def.cron, job.def.workspace], ['* * * * * *', 'sys.AppWorkspaceWS']);
      const ws = must(engine.appWorkspaces[0]);
      const notified: number[] = [];
      const off = engine.broker.subscribe(
        { app: APP_QNAME, projection: 'tst.JobRuns', wsid: ws },
        (offset) => notified.push(offset),
      );
      try {
        await engine.scheduler.run(job, ws, 1_700_000_000_000);
        assert.deepEqual(await viewRows(engine, ws, 'tst.JobRuns', { Part: 0 }), [
          { Part: 0, At: 1_700_000_000_000, Wsid: ws },
        ]);
        assert.deepEqual(probe.jobRuns, [{ wsid: ws, scheduledAt: 1_700_000_000_000 }]);
        assert.equal(notified.length, 1);
      } finally {
        off();
      }
      // The scheduler was not started: nothing else ran.
      assert.equal(probe.jobRuns.length, 1);

      // A failing job is logged; the call does not throw and nothing is written.
      probe.jobFails = true;
      await engine.scheduler.run(job, ws, 1_700_000_001_000);
      assert.equal((await viewRows(engine, ws, 'tst.JobRuns', { Part: 0 })).length, 1);
      assert.ok(
        probe.logs.some(
          (l) =>
            l.level === 'error' &&
            l.message === `job tst.Tick in workspace ${ws} failed: tick failed`,
        ),
      );
    } finally {
      await t.close();
    }
  });

  test('a job without a bound function is not scheduled', async () => {
    const t = await startEngine({ job: false, clock: Date.now, appWorkspaces: 1 });
    try {
      assert.deepEqual(t.engine.deployment.jobs, []);
      assert.ok(t.engine.deployment.unbound.includes('tst.Tick'));
    } finally {
      await t.close();
    }
  });
});
