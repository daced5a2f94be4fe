// API v2 schema routes (http-api.md §1.2): the HTML list of an application's workspaces and of a
// workspace's roles, a role's OpenAPI document (or its Swagger UI page for a browser), and the
// Swagger UI files, served from the installed package so the page works offline.
import { createReadStream } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { HttpContext } from '../http-context.js';
import { HttpError } from '../http-errors.js';
import {
  roleSchemaAnswer,
  SWAGGER_UI_ASSETS_PREFIX,
  schemasAnswer,
  swaggerUiAsset,
  workspaceRolesAnswer,
} from '../openapi/index.js';
import { paramsOf, route } from '../route.js';
import { V2_PREFIX } from './index.js';

export function registerSchemaRoutes(app: FastifyInstance, ctx: HttpContext): void {
  route(app, `${V2_PREFIX}/schemas`, 'v2', {
    GET: async (req, reply) => {
      const p = paramsOf(req);
      const { engine, appQName } = ctx.apps.app(p.owner as string, p.app as string);
      const a = schemasAnswer(engine.app, { appQName });
      return reply.type(a.contentType).send(a.body);
    },
  });
  route(app, `${V2_PREFIX}/schemas/:workspace/roles`, 'v2', {
    GET: async (req, reply) => {
      const p = paramsOf(req);
      const { engine, appQName } = ctx.apps.app(p.owner as string, p.app as string);
      const a = workspaceRolesAnswer(engine.app, { appQName, workspace: p.workspace as string });
      return reply.type(a.contentType).send(a.body);
    },
  });
  route(app, `${V2_PREFIX}/schemas/:workspace/roles/:role`, 'v2', {
    GET: async (req, reply) => {
      const p = paramsOf(req);
      const { engine, appQName } = ctx.apps.app(p.owner as string, p.app as string);
      const accept = req.headers.accept;
      const a = roleSchemaAnswer(engine.app, {
        appQName,
        workspace: p.workspace as string,
        role: p.role as string,
        ...(accept === undefined ? {} : { accept }),
      });
      return reply.type(a.contentType).send(a.body);
    },
  });
  app.get(`${SWAGGER_UI_ASSETS_PREFIX}:file`, async (req, reply) => {
    const asset = swaggerUiAsset(paramsOf(req).file as string);
    if (asset === undefined) throw new HttpError(404, 'no such file');
    return reply
      .type(asset.contentType)
      .header('cache-control', 'public, max-age=86400')
      .send(createReadStream(asset.path));
  });
}
