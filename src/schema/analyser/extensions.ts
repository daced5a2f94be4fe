// Extensions: commands, queries, projectors, jobs, and the storages of their STATE and INTENTS.
import {
  type CommandStmt,
  type DefQName,
  type JobStmt,
  type ProjectorStmt,
  type QueryStmt,
  qnameText,
  type StateStorageNode,
  type StorageScopeName,
  type StorageStmt,
} from '../ast.js';
import { isValidCron } from '../cron.js';
import { SYS_PACKAGE } from '../package-ast.js';
import { type Ctx, LookupError } from './model.js';
import type { Resolver } from './resolve.js';
import { tableKindOf } from './tables.js';
import { analyseWith } from './with.js';

/** A command's parameter or result: a TYPE, else a TABLE. */
function typeOrTable(r: Resolver, qn: DefQName, c: Ctx): void {
  const typ = r.tryLookup(qn, c, 'Type');
  if (typ.error !== undefined) {
    r.err(qn.pos, typ.error);
    return;
  }
  if (typ.r !== undefined) {
    r.a.qnames.set(qn, r.a.qn(typ.r.pkg, typ.r.stmt.name));
    return;
  }
  const tbl = r.tryLookup(qn, c, 'Table');
  if (tbl.error !== undefined) r.err(qn.pos, tbl.error);
  else if (tbl.r === undefined) r.err(qn.pos, `undefined type or table: ${qnameText(qn)}`);
  else r.a.qnames.set(qn, r.a.qn(tbl.r.pkg, tbl.r.stmt.name));
}

export function analyseCommand(r: Resolver, cmd: CommandStmt, c: Ctx): void {
  if (cmd.param?.kind === 'Def') typeOrTable(r, cmd.param, c);
  if (cmd.unloggedParam?.kind === 'Def') typeOrTable(r, cmd.unloggedParam, c);
  if (cmd.returns?.kind === 'Def') typeOrTable(r, cmd.returns, c);
  analyseWith(r, cmd.with, cmd, c);
  checkStorages(r, cmd.state, c, 'COMMANDS', 'state');
  checkStorages(r, cmd.intents, c, 'COMMANDS', 'intents');
}

export function analyseQuery(r: Resolver, q: QueryStmt, c: Ctx): void {
  if (q.param?.kind === 'Def') {
    const p = q.param;
    r.resolveOrReport(p, c, 'Type', (t) => r.a.qnames.set(p, r.a.qn(t.pkg, t.stmt.name)));
  }
  if (q.returns === undefined) r.err(q.pos, 'query must have a return type');
  else if (q.returns.kind === 'Def') {
    const p = q.returns;
    r.resolveOrReport(p, c, 'Type', (t) => r.a.qnames.set(p, r.a.qn(t.pkg, t.stmt.name)));
  }
  analyseWith(r, q.with, q, c);
  checkStorages(r, q.state, c, 'QUERIES', 'state');
}

/** Each storage exists, takes its entities, and has an operation scoped to this kind of extension. */
function checkStorages(
  r: Resolver,
  list: readonly StateStorageNode[],
  c: Ctx,
  scope: StorageScopeName,
  what: 'state' | 'intents',
): void {
  for (const key of list) {
    r.resolveOrReport(key.storage, c, 'Storage', (st) => {
      const entities = checkStorageEntity(r, key, st.stmt, c);
      const ops: readonly string[] =
        what === 'state' ? ['GET', 'GETBATCH', 'READ'] : ['INSERT', 'UPDATE'];
      const ok = st.stmt.ops.some((o) => ops.includes(o.op) && o.scopes.includes(scope));
      if (!ok) {
        throw new LookupError(
          `this kind of extension cannot use storage ${qnameText(key.storage)} in the ${what}`,
        );
      }
      r.a.stateStorages.set(key, { storage: r.a.qn(st.pkg, key.storage.name), entities });
    });
  }
}

function checkStorageEntity(r: Resolver, key: StateStorageNode, st: StorageStmt, c: Ctx): string[] {
  const entities: string[] = [];
  if (st.entityRecord) {
    if (key.entities.length === 0)
      throw new LookupError(`storage ${qnameText(key.storage)} requires entity`);
    for (const e of key.entities) {
      const t = r.resolve(e, c, 'Table');
      if (t.stmt.abstract)
        throw new LookupError(`projector refers to abstract table ${qnameText(e)}`);
      entities.push(r.a.qn(t.pkg, e.name));
    }
  }
  if (st.entityView) {
    if (key.entities.length === 0)
      throw new LookupError(`storage ${qnameText(key.storage)} requires entity`);
    for (const e of key.entities) {
      const v = r.resolve(e, c, 'View');
      entities.push(r.a.qn(v.pkg, v.stmt.name));
    }
  }
  return entities;
}

export function analyseProjector(r: Resolver, p: ProjectorStmt, c: Ctx): void {
  for (const trigger of p.triggers) {
    if (trigger.cron !== undefined)
      r.err(p.pos, 'scheduled projector deprecated; use jobs instead');
    for (const q of trigger.qnames) {
      if (trigger.tableActions.length > 0) {
        const wd = r.tryLookup(q, c, 'Descriptor');
        if (wd.error !== undefined) {
          r.err(q.pos, wd.error);
          continue;
        }
        if (wd.r !== undefined) {
          r.a.qnames.set(q, r.a.qn(wd.r.pkg, wd.r.stmt.name));
          continue;
        }
        r.resolveOrReport(q, c, 'Table', (t) => {
          const sysRecord =
            t.pkg.path === SYS_PACKAGE && (t.stmt.name === 'CRecord' || t.stmt.name === 'WRecord');
          if (t.stmt.abstract && !sysRecord) {
            throw new LookupError(`projector refers to abstract table ${qnameText(q)}`);
          }
          const k = tableKindOf(r, t.stmt, t.pkg, c);
          if (k.kind === 'ODoc' && trigger.tableActions.some((a) => a !== 'INSERT')) {
            throw new LookupError('only INSERT allowed for ODoc or ORecord');
          }
          r.a.qnames.set(q, r.a.qn(t.pkg, t.stmt.name));
        });
      } else if (trigger.execute?.withParam === true) {
        const typ = r.tryLookup(q, c, 'Type');
        if (typ.error !== undefined) {
          r.err(q.pos, typ.error);
          continue;
        }
        let pkg = typ.r?.pkg;
        if (typ.r === undefined) {
          const odoc = r.tryLookup(q, c, 'Table');
          if (odoc.error !== undefined) {
            r.err(q.pos, odoc.error);
            continue;
          }
          if (odoc.r === undefined || r.a.tableKind.get(odoc.r.stmt) !== 'ODoc') {
            r.err(q.pos, `undefined type or ODoc: ${qnameText(q)}`);
            continue;
          }
          pkg = odoc.r.pkg;
        }
        if (pkg !== undefined) r.a.qnames.set(q, r.a.qn(pkg, q.name));
      } else {
        r.resolveOrReport(q, c, 'Command', (cmd) =>
          r.a.qnames.set(q, r.a.qn(cmd.pkg, cmd.stmt.name)),
        );
      }
    }
  }
  checkStorages(r, p.state, c, 'PROJECTORS', 'state');
  checkStorages(r, p.intents, c, 'PROJECTORS', 'intents');
}

export function analyseJob(r: Resolver, j: JobStmt, c: Ctx): void {
  const ws = c.ws;
  if (ws === undefined || ws.ws.name !== 'AppWorkspaceWS' || ws.pkg.name !== SYS_PACKAGE) {
    r.err(j.pos, 'JOB is only allowed in AppWorkspaceWS');
  }
  if (j.cron === undefined || j.cron === '') {
    r.err(j.pos, 'job without cron schedule is not allowed');
    return;
  }
  if (!isValidCron(j.cron)) r.err(j.pos, `invalid cron schedule: ${j.cron}`);
  checkStorages(r, j.state, c, 'JOBS', 'state');
  checkStorages(r, j.intents, c, 'JOBS', 'intents');
}
