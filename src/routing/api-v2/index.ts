// API v2 (http-api.md §1.2, §2.3-2.4) under `/api/v2/apps/{owner}/{app}/workspaces/{wsid}`:
// documents (create, read, update, deactivate), CDoc lists, commands, queries and views.
import type { FastifyInstance } from 'fastify';
import { parseV2ReadParams, type V2ReadParams } from '../../processors/index.js';
import { commandAnswerV2 } from '../command-answer.js';
import type { WorkspaceTarget } from '../http-apps.js';
import type { HttpContext } from '../http-context.js';
import { HttpError } from '../http-errors.js';
import { sendRows, V2_RESULTS } from '../json-stream.js';
import { principalTokenOf } from '../principal-token.js';
import { bodyText, jsonObjectBody, optionalJsonObjectBody } from '../request-body.js';
import { paramsOf, type RouteRequest, route } from '../route.js';
import { docTable, insertCuds } from './doc-cuds.js';

export const V2_PREFIX = '/api/v2/apps/:owner/:app';
const WS = `${V2_PREFIX}/workspaces/:wsid`;
const QNAME = /^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/;

export function registerApiV2(app: FastifyInstance, ctx: HttpContext): void {
  /** The workspace and the `pkg.Name` the URL addresses; checks the Authorization header. */
  const target = (req: RouteRequest): WorkspaceTarget & { qname: string } => {
    const p = paramsOf(req);
    const t = ctx.apps.workspace(p.owner as string, p.app as string, p.wsid as string);
    const qname = p.qname as string;
    if (!QNAME.test(qname)) throw new HttpError(400, `invalid QName: ${qname}`);
    principalTokenOf(req);
    return { ...t, qname };
  };
  const recordId = (req: RouteRequest): number => {
    const text = paramsOf(req).id as string;
    const id = /^[0-9]{1,16}$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isSafeInteger(id)) throw new HttpError(400, `invalid record ID: ${text}`);
    return id;
  };
  const readParams = (req: RouteRequest, rawArgs = false): V2ReadParams =>
    parseV2ReadParams(req.query as Record<string, string>, { rawArgs });

  /** Runs a v2 read under the workspace's query cap, streaming its rows. */
  const list = async (
    t: WorkspaceTarget,
    reply: Parameters<typeof sendRows>[0],
    read: () => Promise<{ rows: AsyncIterable<unknown> }>,
  ) => {
    const release = ctx.beginQuery(t);
    let rows: AsyncIterable<unknown>;
    try {
      ({ rows } = await read());
    } catch (error) {
      release();
      throw error;
    }
    return sendRows(reply, rows, V2_RESULTS, release);
  };

  route(app, `${WS}/docs/:qname`, 'v2', {
    POST: async (req, reply) => {
      const t = target(req);
      ctx.checkRate(t, 'sys.CUD', req.ip);
      const table = docTable(t.engine.app, t.qname);
      const cuds = insertCuds(t.engine.app, table, jsonObjectBody(req.body));
      const r = await t.engine.command({ wsid: t.wsid, command: 'sys.CUD', cuds, cudIndexBase: 1 });
      return reply.status(201).send(commandAnswerV2(r));
    },
  });

  route(app, `${WS}/docs/:qname/:id`, 'v2', {
    GET: async (req, reply) => {
      const t = target(req);
      const id = recordId(req);
      const release = ctx.beginQuery(t);
      try {
        const doc = await t.engine.readDoc({
          wsid: t.wsid,
          qname: t.qname,
          id,
          params: readParams(req),
        });
        return reply.send(doc);
      } finally {
        release();
      }
    },
    PATCH: async (req, reply) => {
      const t = target(req);
      ctx.checkRate(t, 'sys.CUD', req.ip);
      docTable(t.engine.app, t.qname);
      const id = recordId(req);
      const fields = jsonObjectBody(req.body);
      if (Object.hasOwn(fields, 'sys.ID')) {
        throw new HttpError(400, 'sys.ID field is not allowed among fields to update');
      }
      await checkRecordType(t, id);
      const r = await t.engine.command({
        wsid: t.wsid,
        command: 'sys.CUD',
        cuds: [{ 'sys.ID': id, fields }],
        cudIndexBase: 1,
      });
      return reply.send(commandAnswerV2(r));
    },
    DELETE: async (req, reply) => {
      const t = target(req);
      ctx.checkRate(t, 'sys.CUD', req.ip);
      docTable(t.engine.app, t.qname);
      const id = recordId(req);
      if (Object.keys(optionalJsonObjectBody(req.body)).length > 0) {
        throw new HttpError(400, 'unexpected body is provided on delete');
      }
      await checkRecordType(t, id);
      const r = await t.engine.command({
        wsid: t.wsid,
        command: 'sys.CUD',
        cuds: [{ 'sys.ID': id, fields: { 'sys.IsActive': false } }],
        cudIndexBase: 1,
      });
      return reply.send(commandAnswerV2(r));
    },
  });

  route(app, `${WS}/cdocs/:qname`, 'v2-results', {
    GET: async (req, reply) => {
      const t = target(req);
      return list(t, reply, () =>
        t.engine.readCDocs({ wsid: t.wsid, qname: t.qname, params: readParams(req) }),
      );
    },
  });

  route(app, `${WS}/commands/:qname`, 'v2', {
    POST: async (req, reply) => {
      const t = target(req);
      ctx.checkRate(t, t.qname, req.ip);
      const def = t.engine.app.type(t.qname);
      const body =
        def?.kind === 'Command' && def.param === 'sys.Raw'
          ? { args: { Body: bodyText(req.body) } }
          : optionalJsonObjectBody(req.body);
      const r = await t.engine.command({
        wsid: t.wsid,
        command: t.qname,
        args: body.args,
        unloggedArgs: body.unloggedArgs,
        cuds: body.cuds,
        cudIndexBase: 1,
      });
      return reply.send(commandAnswerV2(r));
    },
  });

  route(app, `${WS}/queries/:qname`, 'v2-results', {
    GET: async (req, reply) => {
      const t = target(req);
      ctx.checkRate(t, t.qname, req.ip);
      const def = t.engine.app.type(t.qname);
      const params = readParams(req, def?.kind === 'Query' && def.param === 'sys.Raw');
      return list(t, reply, () => t.engine.queryV2({ wsid: t.wsid, query: t.qname, params }));
    },
  });

  route(app, `${WS}/views/:qname`, 'v2-results', {
    GET: async (req, reply) => {
      const t = target(req);
      const params = readParams(req);
      return list(t, reply, () => t.engine.readView({ wsid: t.wsid, view: t.qname, params }));
    },
  });
}

/** An update names the record's table in the URL; a record of another table is a 400. */
async function checkRecordType(t: WorkspaceTarget & { qname: string }, id: number): Promise<void> {
  const record = await t.engine.structs.getRecord(t.wsid, id);
  if (record !== undefined && record.qname !== t.qname) {
    throw new HttpError(
      400,
      `record id ${id} leads to ${record.qname} QName whereas ${t.qname} QName is mentioned in the request`,
    );
  }
}
