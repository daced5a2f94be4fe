// Runs the tracker in process on a fresh embedded store and prints what happens, step by step.
// `npx tsx examples/tracker/demo.ts`; the README shows its output, and a test keeps it true.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deployApp, loadAppPackage } from '../../src/apps/index.js';
import type { ProcessorError } from '../../src/processors/index.js';
import { LmdbStorageProvider } from '../../src/storage/index.js';

const dir = mkdtempSync(join(tmpdir(), 'tracker-demo-'));
const provider = await LmdbStorageProvider.open({ path: dir });
const pkg = await loadAppPackage(new URL('.', import.meta.url).pathname);
const engine = await deployApp({
  app: pkg.app,
  appQName: pkg.qname,
  storage: await provider.open('tracker'),
  extensions: pkg.extensions,
  partitions: 4,
});

const team = 140737488486431;
await engine.createWorkspace({
  wsid: team,
  kind: 'tracker.TeamWS',
  name: 'core',
  initData: { Name: 'Core team' },
});
console.log(`workspace ${team} created`);

// A project and a task with a two-item checklist, in one command: raw IDs 1..4 refer to each other.
const created = await engine.command({
  wsid: team,
  command: 'sys.CUD',
  cuds: [
    { fields: { 'sys.ID': 1, 'sys.QName': 'tracker.Project', Code: 'WEB', Title: 'Web site' } },
    {
      fields: {
        'sys.ID': 2,
        'sys.QName': 'tracker.Task',
        Project: 1,
        Title: 'Landing page',
        Estimate: 5,
        Done: false,
      },
    },
    {
      fields: {
        'sys.ID': 3,
        'sys.QName': 'tracker.ChecklistItem',
        'sys.ParentID': 2,
        'sys.Container': 'Checklist',
        Text: 'Copy',
        Checked: true,
      },
    },
    {
      fields: {
        'sys.ID': 4,
        'sys.QName': 'tracker.ChecklistItem',
        'sys.ParentID': 2,
        'sys.Container': 'Checklist',
        Text: 'Images',
        Checked: false,
      },
    },
    {
      fields: {
        'sys.ID': 5,
        'sys.QName': 'tracker.Task',
        Project: 1,
        Title: 'Pricing page',
        Estimate: 3,
        Done: false,
      },
    },
  ],
});
console.log('CUD ->', JSON.stringify(created));
const project = created.newIds['1'] as number;
const landing = created.newIds['2'] as number;

try {
  await engine.command({
    wsid: team,
    command: 'sys.CUD',
    cuds: [
      { fields: { 'sys.ID': 1, 'sys.QName': 'tracker.Project', Code: 'WEB', Title: 'Again' } },
    ],
  });
} catch (error) {
  const e = error as ProcessorError;
  console.log(`duplicate code -> ${e.status} ${e.message}`);
}

const closed = await engine.command({
  wsid: team,
  command: 'tracker.CloseTask',
  args: { Task: landing },
});
console.log('CloseTask ->', JSON.stringify(closed));

const status = await engine.query({
  wsid: team,
  query: 'tracker.ProjectStatus',
  args: { Project: project },
});
for await (const row of status.rows) console.log('ProjectStatus ->', JSON.stringify(row));

// The task index is kept by an asynchronous projector: wait until it has caught up.
await engine.projectorsCaughtUp();
const open = await engine.query({
  wsid: team,
  query: 'tracker.OpenTasks',
  args: { Project: project },
});
for await (const row of open.rows) console.log('OpenTasks ->', JSON.stringify(row));

const tasks = await engine.queryV1({
  wsid: team,
  query: 'sys.Collection',
  body: {
    args: { Schema: 'tracker.Task' },
    elements: [{ fields: ['Title', 'Done'] }, { path: 'Checklist', fields: ['Text', 'Checked'] }],
  },
});
for await (const row of tasks.rows) console.log('Collection ->', JSON.stringify(row));

await engine.stop();
await provider.close();
rmSync(dir, { recursive: true, force: true });
