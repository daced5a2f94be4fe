// Workspace descriptor and lifecycle: creation, initialisation, deactivation (core.md §7).
import type { CommandFunction, ProjectorFunction } from '../../extensions/index.js';
import { WORKSPACE_DESCRIPTOR } from '../../processors/command/command-processor.js';
import { badRequest, conflict } from '../../processors/processor-error.js';
import type { AppDef } from '../../schema/index.js';

export const WS_STATUS_ACTIVE = 0;
export const WS_STATUS_DEACTIVATING = 1;
export const WS_STATUS_INACTIVE = 2;

/**
 * c.sys.CreateWorkspace: creates the new workspace's descriptor and its kind's descriptor (from
 * the initialisation data, a JSON object of the kind descriptor's fields). Without a template
 * there is nothing to apply, so the workspace is initialised at once; with one, the
 * InitializeWorkspace projector records the outcome.
 */
export function createWorkspace(app: AppDef, clock: () => number): CommandFunction {
  return (ctx) => {
    const a = ctx.args ?? {};
    const kind = String(a.WSKind);
    const ws = app.workspace(kind);
    if (ws === undefined || ws.abstract)
      throw badRequest(`${kind} is not a workspace kind that can be created`);
    const now = clock();
    const template = String(a.TemplateName ?? '');
    const fields: Record<string, unknown> = {
      OwnerWSID: a.OwnerWSID,
      OwnerID: a.OwnerID,
      OwnerApp: a.OwnerApp,
      WSName: a.WSName,
      WSKind: kind,
      WSID: ctx.wsid,
      CreatedAtMs: now,
      InitStartedAtMs: now,
      Status: WS_STATUS_ACTIVE,
    };
    for (const f of [
      'OwnerQName',
      'WSKindInitializationData',
      'TemplateName',
      'TemplateParams',
      'OwnerQName2',
    ]) {
      if (a[f] !== undefined) fields[f] = a[f];
    }
    if (template === '') fields.InitCompletedAtMs = now;
    ctx.records.insert(WORKSPACE_DESCRIPTOR, fields);
    if (ws.descriptor !== null && app.structure(ws.descriptor)?.singleton) {
      let data: unknown = {};
      const raw = String(a.WSKindInitializationData ?? '');
      if (raw !== '') {
        try {
          data = JSON.parse(raw);
        } catch {
          throw badRequest('WSKindInitializationData is not valid JSON');
        }
      }
      if (typeof data !== 'object' || data === null || Array.isArray(data)) {
        throw badRequest('WSKindInitializationData must be a JSON object');
      }
      ctx.records.insert(ws.descriptor, data as Record<string, unknown>);
    }
  };
}

/**
 * sys.InitializeWorkspace: a workspace created from a template is initialised here. Templates
 * (BLOB and data import) are not supported yet, so such a workspace gets an InitError saying so
 * rather than staying "being initialised" forever.
 */
export const initializeWorkspace: ProjectorFunction = async (ctx) => {
  for (const cud of ctx.event.cuds) {
    if (!cud.isNew || cud.record.qname !== WORKSPACE_DESCRIPTOR) continue;
    const f = cud.record.fields;
    if (Number(f.InitCompletedAtMs ?? 0) > 0 || (f.InitError ?? '') !== '') continue;
    await ctx.federation.command(ctx.wsid, 'sys.CUD', {
      cuds: [
        {
          'sys.ID': cud.record.id,
          fields: {
            InitError: `workspace template ${String(f.TemplateName)} cannot be applied: templates are not supported yet`,
          },
        },
      ],
    });
  }
};

/** c.sys.InitiateDeactivateWorkspace: marks the workspace as being deactivated. */
export const initiateDeactivateWorkspace: CommandFunction = async (ctx) => {
  const d = await ctx.records.getSingleton(WORKSPACE_DESCRIPTOR);
  if (d === undefined) throw badRequest('workspace has no descriptor');
  if (Number(d.Status ?? 0) !== WS_STATUS_ACTIVE) {
    throw conflict('workspace is already deactivated');
  }
  ctx.records.update(Number(d['sys.ID']), { Status: WS_STATUS_DEACTIVATING });
};

/** sys.ApplyDeactivateWorkspace: finishes deactivation; the workspace then answers 410. */
export const applyDeactivateWorkspace: ProjectorFunction = async (ctx) => {
  const d = await ctx.records.getSingleton(WORKSPACE_DESCRIPTOR);
  if (d === undefined || Number(d.Status) !== WS_STATUS_DEACTIVATING) return;
  await ctx.federation.command(ctx.wsid, 'sys.CUD', {
    cuds: [{ 'sys.ID': d['sys.ID'], fields: { Status: WS_STATUS_INACTIVE } }],
  });
};
