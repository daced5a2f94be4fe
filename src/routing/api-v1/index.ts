// API v1 functions (http-api.md §1.1, §2.1-2.2): `POST|PATCH /api/{owner}/{app}/{wsid}/c.pkg.Cmd`
// runs a command, `.../q.pkg.Query` a query whose rows stream back in sections.
import type { FastifyInstance } from 'fastify';
import { commandAnswerV1 } from '../command-answer.js';
import type { HttpContext } from '../http-context.js';
import { HttpError } from '../http-errors.js';
import { sendRows, V1_SECTIONS } from '../json-stream.js';
import { principalTokenOf } from '../principal-token.js';
import { bodyText, jsonObjectBody } from '../request-body.js';
import { paramsOf, type RouteHandler, route } from '../route.js';

const QNAME = /^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/;

/** `c.pkg.Cmd` → command `pkg.Cmd`; `q.pkg.Query` → query; anything else is a 400. */
export function functionOf(resource: string): { kind: 'command' | 'query'; qname: string } {
  const qname = resource.slice(2);
  if (resource.length <= 5 || resource[1] !== '.' || !QNAME.test(qname)) {
    throw new HttpError(400, `wrong function name: ${resource}`);
  }
  const mark = resource[0];
  if (mark === 'c') return { kind: 'command', qname };
  if (mark === 'q') return { kind: 'query', qname };
  throw new HttpError(400, `wrong function mark "${mark}" for function ${qname}`);
}

export function registerApiV1(app: FastifyInstance, ctx: HttpContext): void {
  const call: RouteHandler = async (req, reply) => {
    const p = paramsOf(req);
    const target = ctx.apps.workspace(p.owner as string, p.app as string, p.wsid as string);
    const fn = functionOf(p['*'] as string);
    principalTokenOf(req);
    ctx.checkRate(target, fn.qname, req.ip);
    const { engine, wsid } = target;
    const def = engine.app.type(fn.qname);
    const rawParam = (def?.kind === 'Command' || def?.kind === 'Query') && def.param === 'sys.Raw';
    if (fn.kind === 'command') {
      const body = rawParam ? { args: { Body: bodyText(req.body) } } : jsonObjectBody(req.body);
      const result = await engine.command({
        wsid,
        command: fn.qname,
        args: body.args,
        unloggedArgs: body.unloggedArgs,
        cuds: body.cuds,
        cudIndexBase: 0,
      });
      return reply.type('application/json').send(commandAnswerV1(result));
    }
    const body = rawParam ? { args: { Body: bodyText(req.body) } } : jsonObjectBody(req.body);
    const release = ctx.beginQuery(target);
    let rows: AsyncIterable<unknown>;
    try {
      ({ rows } = await engine.queryV1({ wsid, query: fn.qname, body }));
    } catch (error) {
      release();
      throw error;
    }
    return sendRows(reply, rows, V1_SECTIONS, release);
  };
  // The HTTP method does not matter to the reference: POST and PATCH both call the function.
  route(app, '/api/:owner/:app/:wsid/*', 'v1', { POST: call, PATCH: call });
}
