// API v1 notifications (http-api.md §4.2): GET `/n10n/channel?payload=` opens a channel and
// streams it, GET `/n10n/subscribe` and `/n10n/unsubscribe` change its subscriptions, and
// `/n10n/update/{offset}` publishes an offset (the reference's test hook). Errors are plain
// text, as the reference's router writes them. The reference checks nothing here; ours check
// each subscription as API v2 does (see subscription-checks.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { ProcessorError } from '../../processors/index.js';
import type { AppTarget } from '../http-apps.js';
import type { HttpContext } from '../http-context.js';
import { HttpError } from '../http-errors.js';
import { bodyText } from '../request-body.js';
import { startStream } from './api-v2.js';
import type { NotificationChannels } from './channels.js';
import { channelHttpError } from './errors.js';
import { isHeartbeat, type ProjectionKey } from './projection-key.js';
import {
  PayloadError,
  parseChannelPayload,
  parseProjectionKey,
  parseSubscriptionPayload,
} from './requests.js';
import { SseStream } from './sse-stream.js';
import { checkSubscription } from './subscription-checks.js';

/** A v1 channel lives a day (the reference's `hours24`). */
const V1_CHANNEL_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** The reference writes some errors with `http.Error` (a line break after the text, nosniff). */
type TextStyle = 'text' | 'http-error';

type Handler = (req: FastifyRequest, reply: FastifyReply) => Promise<void>;

const ALL_METHODS: HTTPMethods[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

export function registerNotificationsV1(
  app: FastifyInstance,
  ctx: HttpContext,
  channels: NotificationChannels,
): void {
  /** The application of a key; 400 when it is not served here. */
  const appOf = (key: ProjectionKey): AppTarget => {
    const slash = key.app.indexOf('/');
    return ctx.apps.app(key.app.slice(0, slash), key.app.slice(slash + 1));
  };
  /** The checks of subscription-checks.ts; the heartbeat is nobody's data and passes. */
  const check = async (key: ProjectionKey): Promise<void> => {
    if (isHeartbeat(key.projection)) return;
    await checkSubscription(appOf(key).engine, { token: undefined }, key.wsid, key.projection);
  };

  getOnly(app, '/n10n/channel', 'text', async (req, reply) => {
    const text = payloadOf(req);
    if (text === undefined) {
      throw new HttpError(
        400,
        'query parameter with payload (SubjectLogin id and ProjectionKey) is missing',
      );
    }
    const payload = unmarshal(() => parseChannelPayload(text));
    for (const key of payload.keys) await check(key);
    const stream = new SseStream(reply.raw);
    let channel: ReturnType<NotificationChannels['open']>;
    try {
      channel = channels.open(payload.subjectLogin, V1_CHANNEL_LIFETIME_MS, stream);
    } catch (error) {
      throw channelHttpError(error, 'v1', 'create new channel failed: ');
    }
    stream.onEnd(() => void channels.close(channel.id));
    // As the reference: the channel ID first, then the subscriptions; a failed one is reported
    // in the stream (the 200 is out already), which then ends.
    if (!startStream(reply, stream, channel.id)) return;
    for (const key of payload.keys) {
      try {
        channels.subscribe(channel.id, key);
      } catch (error) {
        stream.send('error', `subscribe failed: ${(error as Error).message}`);
        await channels.close(channel.id);
        return;
      }
    }
  });

  getOnly(app, '/n10n/subscribe', 'http-error', async (req, reply) => {
    const payload = subscriptionPayloadOf(req);
    for (const key of payload.keys) {
      try {
        await check(key);
        channels.subscribe(payload.channel, key);
      } catch (error) {
        throw prefixed(channelHttpError(error, 'v1'), 'subscribe failed: ');
      }
    }
    reply.status(200).send('');
  });

  getOnly(app, '/n10n/unsubscribe', 'http-error', async (req, reply) => {
    const payload = subscriptionPayloadOf(req);
    for (const key of payload.keys) {
      try {
        channels.unsubscribe(payload.channel, key);
      } catch (error) {
        throw channelHttpError(error, 'v1');
      }
    }
    reply.status(200).send('');
  });

  // Any method, as the reference's route has none. It is public there too: anybody may make
  // subscribers of a key re-read it, and an offset beyond the real ones holds back the key's
  // notifications until the real offsets pass it.
  app.route({
    method: ALL_METHODS,
    url: '/n10n/update/:offset(^\\d{1,10}$)',
    handler: plainTextErrors('http-error', async (req, reply) => {
      const offset = Number((req.params as Record<string, string>).offset);
      let key: ProjectionKey;
      try {
        key = parseProjectionKey(JSON.parse(bodyText(req.body)));
      } catch {
        throw new HttpError(400, 'Error when parse request body');
      }
      appOf(key).engine.broker.publish(key, offset);
      reply.status(200).send('');
    }),
  });
}

/** The route answers GET; other methods (HEAD, and OPTIONS: no preflight) get an empty 405. */
function getOnly(app: FastifyInstance, url: string, style: TextStyle, handler: Handler): void {
  app.route({
    method: 'GET',
    url,
    exposeHeadRoute: false,
    handler: plainTextErrors(style, handler),
  });
  app.route({
    method: [...ALL_METHODS.filter((m) => m !== 'GET'), 'HEAD'],
    url,
    handler: async (_req, reply) => reply.status(405).send(''),
  });
}

/** The first `payload` query parameter; undefined when missing or empty. */
function payloadOf(req: FastifyRequest): string | undefined {
  const value = (req.query as Record<string, string | string[] | undefined>).payload;
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? undefined : first;
}

function subscriptionPayloadOf(req: FastifyRequest) {
  const text = payloadOf(req);
  if (text === undefined) {
    throw new HttpError(
      400,
      'url parameter with payload (channel id and projection key) is missing',
    );
  }
  return unmarshal(() => parseSubscriptionPayload(text));
}

function unmarshal<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof PayloadError) {
      throw new HttpError(400, `cannot unmarshal input payload ${error.message}`);
    }
    throw error;
  }
}

function prefixed(error: unknown, prefix: string): unknown {
  if (!(error instanceof ProcessorError)) return error;
  return new HttpError(error.status, `${prefix}${error.message}`);
}

/**
 * Runs a handler and answers its failures as plain text with their status (unexpected ones as a
 * 500, logged), unless the response was taken over for a stream already.
 */
function plainTextErrors(style: TextStyle, handler: Handler): Handler {
  return async (req, reply) => {
    try {
      await handler(req, reply);
    } catch (error) {
      if (reply.sent) {
        req.log.error({ err: error }, 'notification request failed after its answer');
        return;
      }
      const e =
        error instanceof ProcessorError ? error : new HttpError(500, (error as Error).message);
      if (e.status >= 500) req.log.error({ err: error }, e.message);
      if (style === 'http-error') {
        reply
          .status(e.status)
          .header('x-content-type-options', 'nosniff')
          .type('text/plain; charset=utf-8')
          .send(`${e.message}\n`);
      } else {
        reply.status(e.status).type('text/plain').send(e.message);
      }
    }
  };
}
