// The HTTP server (fastify): CORS, body limits, the error bodies of each API, request ids on every
// log line, and the API modules mounted on it.
import { randomUUID } from 'node:crypto';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import type { Logger } from 'pino';
import { type Engine, toProcessorError } from '../processors/index.js';
import { registerApiV1 } from './api-v1/index.js';
import { registerApiV2 } from './api-v2/index.js';
import { registerSchemaRoutes } from './api-v2/schemas.js';
import { registerBlobRoutes } from './blobs/index.js';
import { HttpApps } from './http-apps.js';
import type { HttpContext } from './http-context.js';
import { errorBody, HttpError } from './http-errors.js';
import {
  FunctionRateLimiter,
  QUERY_CAP_RETRY_AFTER_SECONDS,
  WorkspaceQueryCap,
} from './limits/index.js';
import { type NotificationOptions, registerNotificationRoutes } from './n10n/index.js';
import type { RouteConfig } from './route.js';

export interface HttpServerOptions {
  readonly apps: HttpApps;
  /** Where request logs go (JSON lines, each with the request's `reqId`); none when omitted. */
  readonly logger?: Logger;
  /** The largest request body the API routes take, in bytes (413 beyond). Default 1 MiB. */
  readonly bodyLimit?: number;
  /** Concurrent queries per workspace before 503 (the reference's MaxQueriesPerWS). Default 10. */
  readonly maxQueriesPerWorkspace?: number;
  /** Notification quotas and heartbeat interval (the reference's by default). */
  readonly notifications?: NotificationOptions;
  /** The largest BLOB uploads take, in bytes (413 beyond). Default 20 MiB, the reference's. */
  readonly blobMaxSize?: number;
}

const CORS_PREFIXES = ['/api/', '/blob/', '/n10n/'];
const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers':
    'Accept, Content-Type, Content-Length, Accept-Encoding, Authorization, Blob-Name',
};

/** Builds the server; call `listen` on it. Closing it ends open notification streams. */
export async function createHttpServer(options: HttpServerOptions): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    ...(options.logger === undefined
      ? { logger: false }
      : { loggerInstance: options.logger as FastifyBaseLogger }),
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    // A client's X-Request-Id is kept (so that its logs and ours line up); otherwise one is made.
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    logController: new RequestLog(),
    // The reference reads a request, body included, within 15 s.
    requestTimeout: 15_000,
    return503OnClosing: true,
    routerOptions: { ignoreDuplicateSlashes: false, ignoreTrailingSlash: false },
  });

  // API bodies are read as text whatever their content type, and parsed by the routes.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.addHook('onRequest', async (req, reply) => {
    if (CORS_PREFIXES.some((p) => req.url.startsWith(p))) reply.headers(CORS_HEADERS);
  });

  app.setErrorHandler((error: FastifyError, req, reply) => {
    const config = req.routeOptions.config as Partial<RouteConfig> | undefined;
    const format = config?.errorFormat ?? 'v2';
    const e = httpErrorOf(error);
    if (e.status >= 500) req.log.error({ err: error }, e.message);
    reply.status(e.status);
    if (e instanceof HttpError) reply.headers(e.headers);
    if (e instanceof HttpError && e.emptyBody) return reply.send('');
    return reply.type('application/json').send(errorBody(e, format));
  });
  app.setNotFoundHandler(async (req, reply) => {
    const e = new HttpError(404, `no route for ${req.method} ${req.url.split('?')[0]}`);
    return reply.status(404).type('application/json').send(errorBody(e, 'v2'));
  });

  const ctx = httpContext(options);
  app.route({
    method: ['GET', 'POST', 'OPTIONS'],
    url: '/api/check',
    handler: async (_req, reply) => reply.type('text/plain').send('ok'),
  });
  registerApiV1(app, ctx);
  registerApiV2(app, ctx);
  registerSchemaRoutes(app, ctx);
  registerNotificationRoutes(app, ctx, options.notifications);
  registerBlobRoutes(app, ctx, { maxSize: options.blobMaxSize ?? 20 * 1024 * 1024 });
  return app;
}

/**
 * One line per request, at debug level: at thousands of requests a second, info-level access
 * lines would cost more than the requests. Failed requests are logged by the error handler.
 */
class RequestLog extends LogController {
  override incomingRequest(): void {}
  override requestCompleted(_error: unknown, req: FastifyRequest, reply: FastifyReply): void {
    req.log.debug(
      { method: req.method, url: req.url, status: reply.statusCode, ms: reply.elapsedTime },
      'request completed',
    );
  }
}

/** Fastify's own failures (body too large, bad content) as our errors, with their status. */
function httpErrorOf(error: FastifyError) {
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new HttpError(413, 'request body is too large');
  }
  if (error.code?.startsWith('FST_ERR_') && (error.statusCode ?? 500) < 500) {
    return new HttpError(error.statusCode ?? 400, error.message);
  }
  return toProcessorError(error);
}

function httpContext(options: HttpServerOptions): HttpContext {
  const queryCap = new WorkspaceQueryCap({
    ...(options.maxQueriesPerWorkspace === undefined
      ? {}
      : { maxQueriesPerWS: options.maxQueriesPerWorkspace }),
  });
  const limiters = new WeakMap<Engine, FunctionRateLimiter>();
  return {
    apps: options.apps,
    checkRate: (t, fn, ip) => {
      let limiter = limiters.get(t.engine);
      if (limiter === undefined) {
        limiter = FunctionRateLimiter.forApp(t.engine.app);
        limiters.set(t.engine, limiter);
      }
      if (!limiter.isLimited(fn)) return;
      const appPartition = t.wsid % t.engine.partitions.length;
      const retryAfter = limiter.checkCall(fn, { appPartition, wsid: t.wsid, ip });
      if (retryAfter !== undefined) {
        throw new HttpError(429, '', { headers: { 'retry-after': String(retryAfter) } });
      }
    },
    beginQuery: (t) => {
      if (!queryCap.tryAcquire(t.appQName, t.wsid)) {
        throw new HttpError(503, 'too many queries in the workspace', {
          headers: { 'retry-after': String(QUERY_CAP_RETRY_AFTER_SECONDS) },
          emptyBody: true,
        });
      }
      let released = false;
      return () => {
        if (released) return;
        released = true;
        queryCap.release(t.appQName, t.wsid);
      };
    },
  };
}

export { HttpApps };
