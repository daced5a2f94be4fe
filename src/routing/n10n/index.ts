// Notifications over server-sent events (http-api.md §4): the channel registry of the server,
// the API v2 and v1 routes, and the shutdown that ends every stream so that the server's close
// does not wait for clients that never hang up.
import type { FastifyInstance } from 'fastify';
import type { HttpContext } from '../http-context.js';
import { registerNotificationsV1 } from './api-v1.js';
import { registerNotificationsV2 } from './api-v2.js';
import { NotificationChannels, type NotificationQuotas } from './channels.js';

export {
  type ChannelInfo,
  DEFAULT_QUOTAS,
  HEARTBEAT_INTERVAL_MS,
  NotificationChannels,
  type NotificationQuotas,
} from './channels.js';
export { eventNameOf, HEARTBEAT_KEY, HEARTBEAT_PROJECTION } from './projection-key.js';

export interface NotificationOptions {
  /** Channel and subscription quotas (429 beyond); the reference's by default. */
  readonly quotas?: Partial<NotificationQuotas>;
  /** How often `sys.Heartbeat30` ticks, in ms. Default 30 000; tests shorten it. */
  readonly heartbeatIntervalMs?: number;
}

export interface NotificationRoutes {
  /** The server's channels (for metrics and tests). */
  readonly channels: NotificationChannels;
  /**
   * Ends every stream, closing its connection, and refuses new channels. The server's close
   * calls it (preClose); resolves when every stream is closed.
   */
  closeAll(): Promise<void>;
}

/** Mounts the notification routes on the server and ends their streams when it closes. */
export function registerNotificationRoutes(
  app: FastifyInstance,
  ctx: HttpContext,
  options: NotificationOptions = {},
): NotificationRoutes {
  const channels = new NotificationChannels({
    brokerOf: (name) => ctx.apps.engines.find((e) => e.appQName === name)?.broker,
    ...(options.quotas === undefined ? {} : { quotas: options.quotas }),
    ...(options.heartbeatIntervalMs === undefined
      ? {}
      : { heartbeatIntervalMs: options.heartbeatIntervalMs }),
  });
  registerNotificationsV2(app, ctx, channels);
  registerNotificationsV1(app, ctx, channels);
  // fastify's close waits for open requests, and a stream is one until it ends: end them first.
  app.addHook('preClose', async () => {
    await channels.closeAll();
  });
  return { channels, closeAll: () => channels.closeAll() };
}
