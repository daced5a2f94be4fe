import { readFileSync } from 'node:fs';
import { deployApp } from '../src/apps/index.js';
import { compileApp } from '../src/schema/index.js';
import { MemStorageProvider } from '../src/storage/index.js';

const r = compileApp([
  {
    path: 'github.com/x/tasks',
    files: [{ name: 'tasks.vsql', text: readFileSync('examples/vsql/tasks/tasks.vsql', 'utf8') }],
  },
]);
const app = r.appDef!;
const storage = await new MemStorageProvider({ clock: Date.now }).open('tasks');
const log = { info: console.log, warn: console.warn, error: console.error };
const engine = await deployApp({
  app,
  appQName: 'test/tasks',
  storage,
  log,
  extensions: {
    projectors: {
      'tasks.TrackOpenTasks': (ctx) => {
        for (const c of ctx.event.cuds)
          ctx.views.put('tasks.OpenTasks', {
            Project: c.record.fields.Project,
            Task: c.record.id,
            Title: c.record.fields.Title,
          });
      },
    },
  },
});
const wsid = 140737488486431;
await engine.createWorkspace({
  wsid,
  kind: 'tasks.TeamWS',
  name: 'team',
  initData: { Name: 'Team A' },
});
const res = await engine.command({
  wsid,
  command: 'sys.CUD',
  cuds: [
    { fields: { 'sys.ID': 1, 'sys.QName': 'tasks.Project', Title: 'P1', Code: 'PA' } },
    { fields: { 'sys.ID': 2, 'sys.QName': 'tasks.Task', Project: 1, Title: 'T1', Done: false } },
    {
      fields: {
        'sys.ID': 3,
        'sys.QName': 'tasks.Comment',
        'sys.ParentID': 2,
        'sys.Container': 'Comments',
        Author: 'me',
        Body: 'hi',
      },
    },
  ],
});
console.log(res);
try {
  await engine.command({
    wsid,
    command: 'sys.CUD',
    cuds: [{ fields: { 'sys.ID': 1, 'sys.QName': 'tasks.Project', Title: 'P2', Code: 'PA' } }],
  });
} catch (e) {
  console.log('expected', (e as any).status, (e as Error).message);
}
const q = await engine.query({ wsid, query: 'sys.Collection', args: { Schema: 'tasks.Task' } });
for await (const row of q.rows) console.log(JSON.stringify(row));
await new Promise((r) => setTimeout(r, 300));
for await (const row of engine.structs.readView(wsid, engine.structs.view('tasks.OpenTasks'), {
  Project: res.newIds['1'],
}))
  console.log('view', row);
for await (const row of engine.structs.readView(wsid, engine.structs.view('sys.WLogDates'), {
  Year: 2026,
}))
  console.log('dates', row);
await engine.stop();
