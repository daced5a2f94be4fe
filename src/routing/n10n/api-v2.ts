// API v2 notifications (http-api.md §4.1): POST `.../notifications` opens a channel subscribed
// to views and streams it; PUT and DELETE `.../notifications/{channel}/workspaces/{wsid}/
// subscriptions/{view}` add and remove a subscription. Errors before the stream are v2 bodies.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { V2_PREFIX } from '../api-v2/index.js';
import type { HttpContext } from '../http-context.js';
import { HttpError } from '../http-errors.js';
import { principalTokenOf } from '../principal-token.js';
import { bodyText } from '../request-body.js';
import { paramsOf, type RouteRequest, route } from '../route.js';
import type { NotificationChannels } from './channels.js';
import { channelHttpError } from './errors.js';
import { QNAME } from './projection-key.js';
import { parseSubscribeAndWatch } from './requests.js';
import { SseStream } from './sse-stream.js';
import { checkSubscription } from './subscription-checks.js';

const NOTIFICATIONS = `${V2_PREFIX}/notifications`;
const SUBSCRIPTION = `${NOTIFICATIONS}/:channelId/workspaces/:wsid/subscriptions/:view`;

export function registerNotificationsV2(
  app: FastifyInstance,
  ctx: HttpContext,
  channels: NotificationChannels,
): void {
  route(app, NOTIFICATIONS, 'v2', {
    POST: async (req, reply) => {
      const p = paramsOf(req);
      const target = ctx.apps.app(p.owner as string, p.app as string);
      const token = requiredToken(req);
      const request = parseSubscribeAndWatch(req.body);
      for (const s of request.subscriptions) {
        await checkSubscription(target.engine, { token }, s.wsid, s.entity);
      }
      // The channel belongs to the token until the auth issue gives us the token's login.
      const stream = new SseStream(reply.raw);
      const channel = openChannel(channels, token, request.expiresInSeconds * 1000, stream);
      stream.onEnd(() => void channels.close(channel.id));
      try {
        for (const s of request.subscriptions) {
          channels.subscribe(channel.id, {
            app: target.appQName,
            projection: s.entity,
            wsid: s.wsid,
          });
        }
      } catch (error) {
        await channels.close(channel.id);
        throw channelHttpError(error, 'v2', 'subscribe failed: ');
      }
      startStream(reply, stream, channel.id);
    },
  });

  route(app, SUBSCRIPTION, 'v2', {
    PUT: async (req, reply) => {
      const { target, view, channelId } = subscriptionOf(req);
      const token = requiredToken(req);
      denyBody(req);
      await checkSubscription(target.engine, { token }, target.wsid, view);
      try {
        channels.subscribe(channelId, {
          app: target.appQName,
          projection: view,
          wsid: target.wsid,
        });
      } catch (error) {
        throw channelHttpError(error, 'v2', 'subscribe failed: ');
      }
      return reply.type('application/json').send('{}');
    },
    DELETE: async (req, reply) => {
      const { target, view, channelId } = subscriptionOf(req);
      requiredToken(req);
      denyBody(req);
      try {
        channels.unsubscribe(channelId, {
          app: target.appQName,
          projection: view,
          wsid: target.wsid,
        });
      } catch (error) {
        throw channelHttpError(error, 'v2');
      }
      return reply.status(204).send();
    },
  });

  /** The URL's application, workspace (pseudo WSIDs rewritten), view and channel. */
  function subscriptionOf(req: RouteRequest) {
    const p = paramsOf(req);
    const target = ctx.apps.workspace(p.owner as string, p.app as string, p.wsid as string);
    const view = p.view as string;
    if (!QNAME.test(view)) throw new HttpError(400, `invalid QName: ${view}`);
    return { target, view, channelId: p.channelId as string };
  }
}

/** The principal token; 401 without one (its verification comes with the auth issue). */
function requiredToken(req: RouteRequest): string {
  const token = principalTokenOf(req);
  if (token === undefined || token === '') {
    throw new HttpError(401, 'access denied: a principal token is required');
  }
  return token;
}

function denyBody(req: RouteRequest): void {
  if (bodyText(req.body).length > 0) throw new HttpError(400, 'unexpected body');
}

function openChannel(
  channels: NotificationChannels,
  subject: string,
  lifetimeMs: number,
  stream: SseStream,
) {
  try {
    return channels.open(subject, lifetimeMs, stream);
  } catch (error) {
    throw channelHttpError(error, 'v2');
  }
}

/**
 * Takes the response over from fastify and starts the stream with the `channelId` frame; the
 * headers fastify holds (CORS) go out with the SSE ones.
 */
export function startStream(reply: FastifyReply, stream: SseStream, channelId: string): boolean {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value !== undefined) headers[name] = typeof value === 'number' ? String(value) : value;
  }
  reply.hijack();
  return stream.open(headers, { event: 'channelId', data: channelId });
}
