// The tracker's built-in extensions: what its commands, queries, projectors and job do.
// The server loads this module with the VSQL files of this folder (`voedger server --app DIR`).
import { defineExtensions, type ProjectorContext } from '../../src/extensions/index.js';

const PART = 1;

interface Stats {
  OpenTasks: number;
  DoneTasks: number;
  OpenEstimate: number;
}

async function statsOf(ctx: Pick<ProjectorContext, 'views'>, project: number): Promise<Stats> {
  const row = await ctx.views.get('tracker.ProjectStats', { PartKey: PART, Project: project });
  return {
    OpenTasks: Number(row?.OpenTasks ?? 0),
    DoneTasks: Number(row?.DoneTasks ?? 0),
    OpenEstimate: Number(row?.OpenEstimate ?? 0),
  };
}

export default defineExtensions({
  commands: {
    'tracker.CloseTask': async (ctx) => {
      const id = Number(ctx.args?.Task);
      const task = await ctx.records.get(id);
      if (task === undefined || task['sys.QName'] !== 'tracker.Task') {
        throw new Error(`task ${id} does not exist`);
      }
      if (task.Done === true) throw new Error(`task ${id} is already done`);
      ctx.records.update(id, { Done: true });
      // The sync projector has not run yet for this command, so count this task ourselves.
      const stats = await ctx.views.get('tracker.ProjectStats', {
        PartKey: PART,
        Project: task.Project,
      });
      ctx.result({ OpenTasksLeft: Math.max(0, Number(stats?.OpenTasks ?? 1) - 1) });
    },
  },

  queries: {
    'tracker.ProjectStatus': async (ctx) => {
      const project = await ctx.records.get(Number(ctx.args?.Project));
      if (project === undefined) throw new Error('no such project');
      const stats = await ctx.views.get('tracker.ProjectStats', {
        PartKey: PART,
        Project: project['sys.ID'],
      });
      await ctx.emit({
        Code: project.Code,
        OpenTasks: stats?.OpenTasks ?? 0,
        DoneTasks: stats?.DoneTasks ?? 0,
        OpenEstimate: stats?.OpenEstimate ?? 0,
      });
    },
    'tracker.OpenTasks': async (ctx) => {
      for await (const row of ctx.views.read('tracker.TaskIndex', { Project: ctx.args?.Project })) {
        if (row.Done !== true) await ctx.emit({ Task: row.Task, Title: row.Title });
      }
    },
  },

  projectors: {
    // Runs in the command's transaction: the counts are never behind the tasks.
    'tracker.CountTasks': async (ctx) => {
      for (const cud of ctx.event.cuds) {
        if (cud.record.qname !== 'tracker.Task') continue;
        const { Project, Done, Estimate } = cud.record.fields;
        const stats = await statsOf(ctx, Number(Project));
        const estimate = Number(Estimate ?? 0);
        if (cud.isNew) {
          if (Done === true) stats.DoneTasks++;
          else {
            stats.OpenTasks++;
            stats.OpenEstimate += estimate;
          }
        } else if ('Done' in cud.changed) {
          const sign = cud.changed.Done === true ? 1 : -1;
          stats.OpenTasks -= sign;
          stats.DoneTasks += sign;
          stats.OpenEstimate -= sign * estimate;
        }
        ctx.views.put('tracker.ProjectStats', { PartKey: PART, Project, ...stats });
      }
    },
    // Runs after the commit, from the partition log; it may run twice for an event, so it only
    // ever writes the task's current state.
    'tracker.IndexTasks': (ctx) => {
      for (const cud of ctx.event.cuds) {
        if (cud.record.qname !== 'tracker.Task') continue;
        const { Project, Title, Done } = cud.record.fields;
        ctx.views.put('tracker.TaskIndex', { Project, Task: cud.record.id, Title, Done });
      }
    },
  },

  jobs: {
    'tracker.Heartbeat': (ctx) => {
      ctx.views.put('tracker.HeartbeatLog', {
        Day: Math.floor(ctx.scheduledAt / 86_400_000),
        RunAt: ctx.scheduledAt,
      });
    },
  },
});
