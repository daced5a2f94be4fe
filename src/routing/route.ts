// Route registration shared by the API modules: a path answers its methods, OPTIONS with an empty
// 200 (the CORS preflight, http-api.md §0), and any other method with 405 — in the error format of
// the API it belongs to.
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { type ErrorFormat, HttpError } from './http-errors.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

// biome-ignore lint/suspicious/noExplicitAny: route handlers read typed params through `paramsOf`
export type RouteRequest = FastifyRequest<any>;
export type RouteHandler = (req: RouteRequest, reply: FastifyReply) => Promise<unknown>;

/** What each route keeps in its fastify config; the error handler reads it. */
export interface RouteConfig {
  readonly errorFormat: ErrorFormat;
}

const ALL_METHODS: readonly HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

export function route(
  app: FastifyInstance,
  url: string,
  errorFormat: ErrorFormat,
  handlers: Partial<Record<Method, RouteHandler>>,
): void {
  const config: RouteConfig = { errorFormat };
  const allowed = Object.keys(handlers) as Method[];
  for (const method of allowed) {
    app.route({ method, url, config, handler: handlers[method] as RouteHandler });
  }
  app.route({
    method: 'OPTIONS',
    url,
    config,
    handler: async (_req, reply) => reply.status(200).send(''),
  });
  const others = ALL_METHODS.filter(
    (m) => !allowed.includes(m as Method) && !(m === 'HEAD' && allowed.includes('GET')),
  );
  if (others.length > 0) {
    app.route({
      method: others as HTTPMethods[],
      url,
      config,
      handler: async () => {
        throw new HttpError(405, `method not allowed; allowed: ${allowed.join(', ')}`, {
          headers: { allow: [...allowed, 'OPTIONS'].join(', ') },
        });
      },
    });
  }
}

/** The route's string parameters. */
export function paramsOf(req: RouteRequest): Record<string, string> {
  return req.params as Record<string, string>;
}
