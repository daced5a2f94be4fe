// One command, through the pipeline of core.md §4.2: workspace checks, arguments, CUDs, the
// extension, IDs, validation, records, sync projectors and the event. It runs inside a partition's
// batch and writes only to its own WriteSet, which the batch takes over when it succeeds.
import type { CommandContext, ProjectorCud } from '../../extensions/index.js';
import { appendChild } from '../../extensions/index.js';
import type { AppDef, FieldDef, StructureDef } from '../../schema/index.js';
import {
  type DbEvent,
  type FieldValues,
  isRawId,
  type ObjectNode,
  RECORDS_REGISTRY,
  type RecordRow,
  type RecordUpdate,
  recordsRegistryKey,
} from '../../structs/index.js';
import type { Deployment } from '../deployment.js';
import type { LayeredReader, WriteSet } from '../partition/write-set.js';
import { badRequest, conflict, forbidden, notFound, ProcessorError } from '../processor-error.js';
import { projectorContext } from '../projectors/projector-context.js';
import { projectorTriggered } from '../projectors/trigger.js';
import { recordReader } from '../record-reader.js';
import { buildArgument } from './args.js';
import { blobOwnershipUpdates } from './blob-ownership.js';
import { createDraft, parseCuds, updateDraft } from './cuds.js';
import type { ArgDraft, CreateDraft, UpdateDraft } from './drafts.js';
import { fieldValue } from './field-values.js';
import { uniquesOf, uniqueViewKey } from './uniques.js';

export interface CommandRequest {
  readonly wsid: number;
  /** The command's QName, `pkg.Name`. */
  readonly command: string;
  readonly args?: unknown;
  readonly unloggedArgs?: unknown;
  readonly cuds?: unknown;
  /** The request comes from the platform itself (the System principal). */
  readonly system?: boolean;
  /** Numbering of CUDs in error messages: v1 counts from 0, v2 from 1. */
  readonly cudIndexBase?: 0 | 1;
}

export interface CommandResult {
  readonly currentWLogOffset: number;
  /** Raw IDs of the request (as strings) to the IDs the records got; singletons are left out. */
  readonly newIds: Readonly<Record<string, number>>;
  readonly result: FieldValues | undefined;
}

/** The IDs an event gives out: raw to real, and the QName of each real one. */
interface EventIds {
  readonly real: Map<number, number>;
  readonly types: Map<number, string>;
}

/** A workspace's counters, held by its partition. */
export interface WorkspaceCounters {
  nextWLogOffset: number;
  nextRecordId: number;
}

export interface CommandEnv {
  readonly deployment: Deployment;
  readonly wsid: number;
  readonly partition: number;
  readonly plogOffset: number;
  readonly counters: WorkspaceCounters;
  readonly reader: LayeredReader;
  readonly writes: WriteSet;
  readonly now: number;
}

/** The command's outcome plus what the partition publishes once its batch is durable. */
export interface CommandOutcome {
  readonly result: CommandResult;
  readonly event: DbEvent;
  /** Views the sync projectors changed. */
  readonly views: ReadonlySet<string>;
}

const CUD_COMMANDS = new Set(['sys.CUD', 'sys.Init']);
/** Commands that run before the workspace is initialised (core.md §4.2 checkWSInitialized). */
const BEFORE_INIT = new Set(['sys.CreateWorkspace', 'sys.Init', 'sys.UploadBLOBHelper']);

export const WORKSPACE_DESCRIPTOR = 'sys.WorkspaceDescriptor';
export const WS_STATUS_ACTIVE = 0;

export async function executeCommand(
  env: CommandEnv,
  req: CommandRequest,
): Promise<CommandOutcome> {
  const { deployment: d, reader, counters } = env;
  const { app, structs } = d;
  const wsid = req.wsid;

  const cmd = app.type(req.command);
  if (cmd?.kind !== 'Command') throw badRequest(`command ${req.command} is not defined`);

  // Workspace: descriptor, initialisation, status, kind.
  const descriptorId = structs.names.singletonId(WORKSPACE_DESCRIPTOR);
  const descriptor =
    descriptorId === undefined ? undefined : await reader.getRecord(wsid, descriptorId);
  const exempt = BEFORE_INIT.has(req.command) || (req.system === true && req.command === 'sys.CUD');
  if (!exempt) {
    const f = descriptor?.fields;
    if (f === undefined || !(Number(f.InitCompletedAtMs ?? 0) > 0) || (f.InitError ?? '') !== '') {
      throw forbidden('workspace is not initialized');
    }
  }
  if (
    descriptor !== undefined &&
    !req.system &&
    Number(descriptor.fields.Status ?? 0) !== WS_STATUS_ACTIVE
  ) {
    throw new ProcessorError(410, 'workspace status is not active');
  }
  const wsKind = descriptor === undefined ? undefined : String(descriptor.fields.WSKind);
  if (wsKind !== undefined && app.workspaceType(wsKind, req.command) === undefined) {
    throw notFound(`command ${req.command} does not exist in workspace ${wsKind}`);
  }

  // Arguments.
  const argType = cmd.param === null ? undefined : app.structure(cmd.param);
  if (argType === undefined && isNonEmpty(req.args)) throw badRequest('args are not expected');
  const unloggedType = cmd.unloggedParam === null ? undefined : app.structure(cmd.unloggedParam);
  if (unloggedType === undefined && isNonEmpty(req.unloggedArgs)) {
    throw badRequest('unloggedArgs are not expected');
  }
  const arg =
    argType === undefined ? undefined : buildArgument(app, argType, req.args ?? {}, 'args');
  const unlogged =
    unloggedType === undefined
      ? undefined
      : buildArgument(app, unloggedType, req.unloggedArgs ?? {}, 'unloggedArgs');

  // CUDs.
  let creates: CreateDraft[] = [];
  let updates: UpdateDraft[] = [];
  if (req.cuds !== undefined && !(Array.isArray(req.cuds) && req.cuds.length === 0)) {
    if (!CUD_COMMANDS.has(req.command)) throw badRequest('CUDs allowed for c.sys.CUD command only');
    ({ creates, updates } = await parseCuds(app, req.cuds, wsid, reader, req.cudIndexBase ?? 0));
  }

  // The extension. Record intents become further creates and updates.
  const fn = d.commands.get(req.command);
  if (fn === undefined)
    throw new ProcessorError(500, `command ${req.command} has no implementation`);
  let nextRaw = maxRawId(arg, creates) + 1;
  const pendingUpdates: { id: number; fields: FieldValues; where: string }[] = [];
  let resultFields: FieldValues | undefined;
  const argValue = arg === undefined ? undefined : argObject(arg);
  const ctx: CommandContext = {
    wsid,
    wlogOffset: counters.nextWLogOffset,
    args: argValue,
    unloggedArgs: unlogged === undefined ? undefined : argObject(unlogged),
    log: d.host.log,
    secret: d.host.secrets,
    records: {
      ...recordReader(
        structs.names,
        (id) => reader.getRecord(wsid, id),
        (table, values) => findUnique(env, table, values),
      ),
      insert: (qname, fields) => {
        const rawId = nextRaw++;
        creates.push(
          createDraft(app, { ...fields, 'sys.ID': rawId, 'sys.QName': qname }, 'intents'),
        );
        return rawId;
      },
      update: (id, fields) => {
        pendingUpdates.push({ id, fields, where: 'intents' });
      },
    },
    views: { get: (view, key) => reader.getView(wsid, structs.view(view), key) },
    wlog: { get: (offset) => reader.getWLogEvent(wsid, offset) },
    result: (fields) => {
      resultFields = { ...resultFields, ...fields };
    },
  };
  try {
    await fn(ctx);
  } catch (error) {
    if (error instanceof ProcessorError) throw error;
    throw new ProcessorError(500, error instanceof Error ? error.message : String(error), {
      cause: error,
    });
  }
  for (const u of pendingUpdates) {
    const existing = await reader.getRecord(wsid, u.id);
    if (existing === undefined)
      throw notFound(`${u.where}: record with queried id ${u.id} does not exist`);
    updates.push(updateDraft(app, existing, u.fields as Record<string, unknown>, u.where));
  }

  // BLOBs put into blob fields: refused when not theirs (403), else owned by their records.
  updates.push(...(await blobOwnershipUpdates(app, wsid, reader, creates, updates)));

  // IDs: raw IDs become the workspace's next IDs, singletons get their fixed IDs.
  const ids: EventIds = { real: new Map(), types: new Map() };
  const newIds: Record<string, number> = {};
  const nextId = (): number => counters.nextRecordId++;
  const assign = (rawId: number, real: number, qname: string, where: string, report: boolean) => {
    if (rawId !== 0 && ids.real.has(rawId)) {
      throw conflict(`${where}: raw ID ${rawId} is used more than once`);
    }
    if (rawId !== 0) ids.real.set(rawId, real);
    ids.types.set(real, qname);
    if (report && rawId !== 0) newIds[String(rawId)] = real;
  };
  const argNode = arg === undefined ? null : assignArgIds(app, arg, nextId, assign);
  const singletonsCreated = new Set<string>();
  const createdIds: number[] = [];
  for (const c of creates) {
    const t = app.structure(c.qname)!;
    if (t.singleton) {
      if (singletonsCreated.has(c.qname))
        throw conflict(`${c.where}: singleton ${c.qname} is created twice`);
      singletonsCreated.add(c.qname);
      const sid = structs.names.singletonId(c.qname)!;
      if ((await reader.getRecord(wsid, sid)) !== undefined) {
        throw conflict(`${c.where}: singleton ${c.qname} already exists`);
      }
      assign(c.rawId, sid, c.qname, c.where, false);
      createdIds.push(sid);
    } else {
      const id = nextId();
      assign(c.rawId, id, c.qname, c.where, true);
      createdIds.push(id);
    }
  }
  if (wsKind !== undefined) {
    for (const c of [
      ...creates.map((x) => ({ qname: x.qname, where: x.where })),
      ...updates.map((x) => ({ qname: x.existing.qname, where: x.where })),
    ]) {
      if (app.workspaceType(wsKind, c.qname) === undefined) {
        throw badRequest(`${c.where}: table ${c.qname} is not defined in workspace ${wsKind}`);
      }
    }
  }
  if (req.command === 'sys.CUD' && creates.length === 0 && updates.length === 0) {
    throw badRequest('sys.CUD needs at least one CUD');
  }
  for (const u of updates) {
    if (ids.types.has(u.existing.id))
      throw conflict(`${u.where}: record ${u.existing.id} is both created and updated`);
  }

  // Records: references resolved and checked, parents and containers checked.
  const createdRows = new Map<number, RecordRow>();
  const rows: RecordRow[] = [];
  for (let i = 0; i < creates.length; i++) {
    const c = creates[i]!;
    const t = app.structure(c.qname)!;
    const id = createdIds[i]!;
    const fields = await resolveRefs(env, t, c.fields, ids, c.where);
    let parentId = 0;
    if (c.parentId !== 0) {
      parentId = isRawId(c.parentId) ? (ids.real.get(c.parentId) ?? 0) : c.parentId;
      if (parentId === 0)
        throw badRequest(`${c.where}: parent raw ID ${c.parentId} is not defined in the request`);
      const parentType =
        createdRows.get(parentId)?.qname ?? (await reader.getRecord(wsid, parentId))?.qname;
      if (parentType === undefined)
        throw badRequest(`${c.where}: parent record ${parentId} does not exist`);
      const container = app.structure(parentType)?.containers.find((x) => x.name === c.container);
      if (container === undefined || container.type !== c.qname) {
        throw badRequest(
          `${c.where}: ${parentType} has no container «${c.container}» of ${c.qname}`,
        );
      }
    } else if (c.container !== '') {
      throw badRequest(`${c.where}: sys.Container is set but sys.ParentID is not`);
    }
    const row: RecordRow = {
      qname: c.qname,
      id,
      parentId,
      container: c.container,
      isActive: true,
      fields,
    };
    createdRows.set(id, row);
    rows.push(row);
  }
  const changed: { row: RecordRow; update: UpdateDraft; fields: FieldValues }[] = [];
  for (const u of updates) {
    const t = app.structure(u.existing.qname)!;
    const fields = await resolveRefs(env, t, u.fields, ids, u.where);
    const merged: Record<string, unknown> = { ...u.existing.fields };
    for (const [k, v] of Object.entries(fields)) {
      if (v === null) delete merged[k];
      else merged[k] = v;
    }
    const row: RecordRow = {
      ...u.existing,
      isActive: u.isActive ?? u.existing.isActive,
      fields: merged,
    };
    changed.push({ row, update: u, fields });
  }

  // Uniques: a new or re-activated record may not take values an active record holds.
  await checkUniques(env, rows, changed);

  // The event.
  const wlogOffset = counters.nextWLogOffset++;
  const event: DbEvent = {
    qname: req.command,
    partition: env.partition,
    plogOffset: env.plogOffset,
    wsid,
    wlogOffset,
    registeredAt: env.now,
    synced: false,
    deviceId: 0,
    syncedAt: 0,
    error: null,
    argument: argNode === null ? null : await resolveArgRefs(env, argNode, ids),
    unlogged: unlogged === undefined ? null : maskedNode(unlogged),
    creates: rows,
    updates: changed.map(
      ({ row, update, fields }): RecordUpdate => ({
        qname: row.qname,
        id: row.id,
        fields,
        isActive: update.isActive,
      }),
    ),
  };
  for (const row of rows) env.writes.putRecord(wsid, row);
  for (const { row } of changed) env.writes.putRecord(wsid, row);
  env.writes.events.push({ event, bytes: structs.encodeEvent(event) });

  // Sync projectors, in the same batch.
  const cuds: ProjectorCud[] = [
    ...rows.map((record) => ({
      isNew: true,
      record,
      changed: record.fields,
      activation: undefined,
    })),
    ...changed.map(({ row, update, fields }) => ({
      isNew: false,
      record: row,
      changed: fields,
      activation: activationOf(update),
    })),
  ];
  const views = new Set<string>();
  const trigger = { qname: event.qname, argumentQName: arg?.qname, error: false, cuds };
  for (const p of d.syncProjectors) {
    if (!projectorTriggered(app, p.def, trigger)) continue;
    const pctx = projectorContext(d, event, cuds, {
      getRecord: (id) => reader.getRecord(wsid, id),
      getView: (view, key) => reader.getView(wsid, view, key),
      readView: (view, key) => reader.readView(wsid, view, key),
      getWLogEvent: (offset) => reader.getWLogEvent(wsid, offset),
      putView: (view, row) => {
        env.writes.putView(structs, wsid, view, row);
        views.add(view.name);
      },
      sendMail: () => {
        throw new ProcessorError(500, `sync projector ${p.def.name} cannot send mail`);
      },
      federation: {
        command: async () => {
          throw new ProcessorError(500, `sync projector ${p.def.name} cannot run commands`);
        },
      },
    });
    try {
      await p.fn(pctx);
    } catch (error) {
      if (error instanceof ProcessorError) throw error;
      throw new ProcessorError(
        500,
        `projector ${p.def.name}: ${error instanceof Error ? error.message : String(error)}`,
        {
          cause: error,
        },
      );
    }
  }

  const result = checkResult(d, cmd.result, resultFields);
  return { result: { currentWLogOffset: wlogOffset, newIds, result }, event, views };
}

function isNonEmpty(v: unknown): boolean {
  return typeof v === 'object' && v !== null && Object.keys(v).length > 0;
}

function activationOf(u: UpdateDraft): ProjectorCud['activation'] {
  if (u.isActive === undefined || u.isActive === u.existing.isActive) return undefined;
  return u.isActive ? 'activated' : 'deactivated';
}

function maxRawId(arg: ArgDraft | undefined, creates: readonly CreateDraft[]): number {
  let max = 0;
  const visit = (a: ArgDraft) => {
    max = Math.max(max, a.rawId);
    for (const c of a.children) visit(c);
  };
  if (arg !== undefined) visit(arg);
  for (const c of creates) max = Math.max(max, c.rawId);
  return max;
}

/** An argument draft as the extension sees it: fields, with children under their containers. */
function argObject(a: ArgDraft): Record<string, unknown> {
  const out: Record<string, unknown> = { 'sys.QName': a.qname, ...a.fields };
  if (a.rawId !== 0) out['sys.ID'] = a.rawId;
  for (const c of a.children) {
    appendChild(out, c.container, argObject(c));
  }
  return out;
}

function assignArgIds(
  app: AppDef,
  a: ArgDraft,
  nextId: () => number,
  assign: (raw: number, real: number, qname: string, where: string, report: boolean) => void,
  parentId = 0,
): ObjectNode {
  const kind = app.structure(a.qname)?.kind;
  const isDoc = kind === 'ODoc' || kind === 'ORecord';
  let id = 0;
  if (isDoc) {
    id = nextId();
    assign(a.rawId, id, a.qname, 'args', true);
  }
  return {
    qname: a.qname,
    id,
    parentId,
    container: a.container,
    fields: a.fields,
    children: a.children.map((c) => assignArgIds(app, c, nextId, assign, id)),
  };
}

async function resolveArgRefs(
  env: CommandEnv,
  node: ObjectNode,
  ids: EventIds,
): Promise<ObjectNode> {
  const t = env.deployment.app.structure(node.qname)!;
  return {
    ...node,
    fields: await resolveRefs(env, t, node.fields, ids, 'args'),
    children: await Promise.all(node.children.map((c) => resolveArgRefs(env, c, ids))),
  };
}

/** Replaces raw IDs in reference fields with the IDs they got, and checks every reference. */
async function resolveRefs(
  env: CommandEnv,
  type: StructureDef,
  fields: FieldValues,
  ids: EventIds,
  where: string,
): Promise<FieldValues> {
  let out: Record<string, unknown> | undefined;
  for (const f of type.fields) {
    if (f.data !== 'RecordID' || f.system) continue;
    const v = fields[f.name];
    if (typeof v !== 'number' || v === 0) {
      if (v === 0 && f.required) throw badRequest(`${where}: required reference «${f.name}» is 0`);
      continue;
    }
    let id = v;
    if (isRawId(v)) {
      const real = ids.real.get(v);
      if (real === undefined) {
        throw badRequest(
          `${where}: referential integrity violation: raw ID ${v} in «${f.name}» is not defined in the request`,
        );
      }
      id = real;
      out ??= { ...fields };
      out[f.name] = real;
    }
    await checkRefTarget(env, f, id, where, ids);
  }
  return out ?? fields;
}

async function checkRefTarget(
  env: CommandEnv,
  f: FieldDef,
  id: number,
  where: string,
  ids: EventIds,
): Promise<void> {
  const qname =
    ids.types.get(id) ??
    (await env.reader.getRecord(env.wsid, id))?.qname ??
    (await registeredQName(env, id));
  if (qname === undefined) {
    throw badRequest(
      `${where}: referential integrity violation: record ${id} in «${f.name}» does not exist`,
    );
  }
  if (f.refs.length > 0 && !f.refs.includes(qname)) {
    throw badRequest(
      `${where}: referential integrity violation: «${f.name}» may refer to ${f.refs.join(', ')}, not ${qname}`,
    );
  }
}

/** The QName of an ODoc/ORecord by its ID, from sys.RecordsRegistry. */
async function registeredQName(env: CommandEnv, id: number): Promise<string | undefined> {
  const { structs } = env.deployment;
  const row = await env.reader.getView(
    env.wsid,
    structs.view(RECORDS_REGISTRY),
    recordsRegistryKey(id),
  );
  return row === undefined ? undefined : String(row.QName);
}

async function checkUniques(
  env: CommandEnv,
  created: readonly RecordRow[],
  changed: readonly { row: RecordRow; update: UpdateDraft; fields: FieldValues }[],
): Promise<void> {
  const { app, structs } = env.deployment;
  const view = structs.view('sys.Uniques');
  const claimed = new Map<string, number>();
  const claim = async (row: RecordRow) => {
    const t = app.structure(row.qname)!;
    for (const u of uniquesOf(t)) {
      const key = uniqueViewKey(t, u, row.fields);
      if (key === undefined) continue;
      const k = `${key.QName}\u0000${Buffer.from(key.Values).toString('latin1')}`;
      const holder =
        claimed.get(k) ?? Number((await env.reader.getView(env.wsid, view, key))?.ID ?? 0);
      if (holder !== 0 && holder !== row.id)
        throw conflict(`"${u.qname}" unique constraint violation`);
      claimed.set(k, row.id);
    }
  };
  for (const row of created) await claim(row);
  for (const { row, update, fields } of changed) {
    const t = app.structure(row.qname)!;
    for (const u of uniquesOf(t)) {
      if (u.fields.some((f) => f in fields))
        throw forbidden(`${update.where}: unique field of ${u.qname} cannot be changed`);
    }
    if (update.isActive === true && !update.existing.isActive) await claim(row);
  }
}

async function findUnique(
  env: CommandEnv,
  table: string,
  values: FieldValues,
): Promise<number | undefined> {
  const { app, structs } = env.deployment;
  const t = app.structure(table);
  if (t === undefined) throw badRequest(`${table} is not a table`);
  for (const u of uniquesOf(t)) {
    const key = uniqueViewKey(t, u, values);
    if (key === undefined) continue;
    const row = await env.reader.getView(env.wsid, structs.view('sys.Uniques'), key);
    const id = Number(row?.ID ?? 0);
    return id === 0 ? undefined : id;
  }
  return undefined;
}

function maskedNode(a: ArgDraft): ObjectNode {
  return {
    qname: a.qname,
    id: 0,
    parentId: 0,
    container: a.container,
    fields: Object.fromEntries(Object.keys(a.fields).map((k) => [k, '*'])),
    children: a.children.map(maskedNode),
  };
}

function checkResult(
  d: Deployment,
  resultType: string | null,
  fields: FieldValues | undefined,
): FieldValues | undefined {
  if (resultType === null) return undefined;
  const t = d.app.structure(resultType);
  if (t === undefined) return fields;
  const out: Record<string, unknown> = { 'sys.QName': resultType };
  for (const f of t.fields) {
    if (f.system) continue;
    const v = fields?.[f.name];
    if (v === undefined || v === null) {
      if (f.required)
        throw new ProcessorError(500, `command result: required field «${f.name}» is not set`);
      continue;
    }
    if (f.data === 'bytes' && v instanceof Uint8Array) {
      out[f.name] = v;
      continue;
    }
    try {
      out[f.name] = fieldValue(f, v, 'command result');
    } catch (error) {
      throw new ProcessorError(500, (error as Error).message, { cause: error });
    }
  }
  for (const name of Object.keys(fields ?? {})) {
    if (!t.fields.some((f) => f.name === name)) {
      throw new ProcessorError(
        500,
        `command result: field «${name}» is not defined in ${resultType}`,
      );
    }
  }
  return out;
}
