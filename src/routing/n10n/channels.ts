// The notification channels of a server (http-api.md §4; the reference's in10nmem broker): a
// channel belongs to a subject, lives until its stream ends or it expires, and holds
// subscriptions to projection keys. Each subscription is a listener on the broker of the key's
// application, released when the channel unsubscribes or closes. Quotas bound how much one
// subject, and everybody together, may hold.
import { randomUUID } from 'node:crypto';
import { NotificationBroker } from '../../processors/index.js';
import {
  eventNameOf,
  HEARTBEAT_KEY,
  isHeartbeat,
  keyStringOf,
  type ProjectionKey,
} from './projection-key.js';

export interface NotificationQuotas {
  /** Open channels of the whole server. */
  readonly channels: number;
  readonly channelsPerSubject: number;
  /** Subscriptions of the whole server. */
  readonly subscriptions: number;
  readonly subscriptionsPerSubject: number;
}

/**
 * The reference's defaults: 50 channels and 100 subscriptions per subject, and 1000 of each per
 * command processor (10) for the whole server.
 */
export const DEFAULT_QUOTAS: NotificationQuotas = {
  channels: 10_000,
  channelsPerSubject: 50,
  subscriptions: 10_000,
  subscriptionsPerSubject: 100,
};

/** How often the heartbeat key ticks, by default. */
export const HEARTBEAT_INTERVAL_MS = 30_000;

/** The channel is not open (never was, ended, or expired). */
export class UnknownChannelError extends Error {
  constructor() {
    super('channel does not exist');
  }
}

/** A quota is used up; the message names which, as the reference's does. */
export class QuotaExceededError extends Error {
  constructor(what: string) {
    super(`quota exceeded: number of ${what}`);
  }
}

/** No application here publishes the key's notifications. */
export class UnknownAppError extends Error {
  constructor(app: string) {
    super(`unknown app ${app}`);
  }
}

/** The server is shutting down: no new channels. */
export class ChannelsClosedError extends Error {
  constructor() {
    super('notifications are shutting down');
  }
}

/** Where a channel's updates go (its SSE stream). */
export interface ChannelSink {
  /** One update: the key's event name and the offset, as text. */
  send(event: string, data: string): void;
  /** Ends the delivery; resolves when the connection is done with. */
  end(options?: { closeConnection?: boolean }): Promise<void>;
}

export interface ChannelInfo {
  readonly id: string;
  readonly subject: string;
  /** Epoch ms after which the channel is closed. */
  readonly expiresAt: number;
}

interface Channel extends ChannelInfo {
  readonly sink: ChannelSink;
  /** Key string → the subscription. */
  readonly subscriptions: Map<string, Subscription>;
  expiryTimer: NodeJS.Timeout | undefined;
}

interface Subscription {
  /** Removes the broker listener. */
  release: () => void;
}

interface SubjectUsage {
  channels: number;
  subscriptions: number;
}

export interface NotificationChannelsOptions {
  /** The broker of an application, `owner/name`; undefined when it is not served here. */
  readonly brokerOf: (app: string) => NotificationBroker | undefined;
  readonly quotas?: Partial<NotificationQuotas>;
  readonly heartbeatIntervalMs?: number;
}

/** setTimeout takes at most this (about 24.8 days); longer lifetimes re-arm their timer. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class NotificationChannels {
  readonly quotas: NotificationQuotas;
  private readonly channels = new Map<string, Channel>();
  private readonly subjects = new Map<string, SubjectUsage>();
  private subscriptionCount = 0;
  private readonly brokerOf: (app: string) => NotificationBroker | undefined;
  /** The heartbeat key's own broker: it belongs to no application. */
  private readonly heartbeat = new NotificationBroker();
  private readonly heartbeatTimer: NodeJS.Timeout;
  private closed = false;

  constructor(options: NotificationChannelsOptions) {
    this.brokerOf = options.brokerOf;
    this.quotas = { ...DEFAULT_QUOTAS, ...options.quotas };
    // Offsets 1, 2, 3, ... from the server's start; a late subscriber gets the latest at once,
    // as with any other key.
    let beat = 0;
    this.heartbeatTimer = setInterval(
      () => this.heartbeat.publish(HEARTBEAT_KEY, ++beat),
      options.heartbeatIntervalMs ?? HEARTBEAT_INTERVAL_MS,
    );
    this.heartbeatTimer.unref();
  }

  /** Open channels. */
  get channelCount(): number {
    return this.channels.size;
  }

  /** Subscriptions of all open channels. */
  get subscriptions(): number {
    return this.subscriptionCount;
  }

  /** A channel's subject and expiry; undefined when it is not open. */
  channel(id: string): ChannelInfo | undefined {
    const c = this.channels.get(id);
    return c === undefined ? undefined : { id: c.id, subject: c.subject, expiresAt: c.expiresAt };
  }

  /**
   * Opens a channel of `subject` for `lifetimeMs`, delivering to `sink`. Throws
   * QuotaExceededError when the subject or the server has all the channels it may have.
   */
  open(subject: string, lifetimeMs: number, sink: ChannelSink): ChannelInfo {
    if (this.closed) throw new ChannelsClosedError();
    if (this.channels.size >= this.quotas.channels) throw new QuotaExceededError('channels');
    const usage = this.subjects.get(subject) ?? { channels: 0, subscriptions: 0 };
    if (usage.channels >= this.quotas.channelsPerSubject) {
      throw new QuotaExceededError('channels per subject');
    }
    usage.channels++;
    this.subjects.set(subject, usage);
    const channel: Channel = {
      id: randomUUID(),
      subject,
      expiresAt: Date.now() + lifetimeMs,
      sink,
      subscriptions: new Map(),
      expiryTimer: undefined,
    };
    this.channels.set(channel.id, channel);
    this.armExpiry(channel);
    return { id: channel.id, subject, expiresAt: channel.expiresAt };
  }

  /**
   * Subscribes a channel to a key; the channel then gets the key's latest offset, and each later
   * one. Subscribing again to a key changes nothing. Throws UnknownChannelError,
   * QuotaExceededError or UnknownAppError.
   */
  subscribe(channelId: string, key: ProjectionKey): void {
    const channel = this.openChannel(channelId);
    const { key: target, broker } = this.resolve(key);
    const k = keyStringOf(target);
    if (channel.subscriptions.has(k)) return;
    const usage = this.usageOf(channel);
    if (this.subscriptionCount >= this.quotas.subscriptions) {
      throw new QuotaExceededError('subscriptions');
    }
    if (usage.subscriptions >= this.quotas.subscriptionsPerSubject) {
      throw new QuotaExceededError('subscriptions per subject');
    }
    const event = eventNameOf(target);
    const subscription: Subscription = { release: () => {} };
    channel.subscriptions.set(k, subscription);
    // The broker hands the latest offset over a moment later: by then the subscription may be
    // gone, and its frame is no longer wanted.
    subscription.release = broker.subscribe(target, (offset) => {
      if (channel.subscriptions.get(k) === subscription) this.deliver(channel, event, offset);
    });
    usage.subscriptions++;
    this.subscriptionCount++;
  }

  /** Unsubscribes a channel from a key; a key it is not subscribed to is no error. */
  unsubscribe(channelId: string, key: ProjectionKey): void {
    const channel = this.openChannel(channelId);
    const target = isHeartbeat(key.projection) ? HEARTBEAT_KEY : key;
    this.release(channel, keyStringOf(target));
  }

  /**
   * Closes a channel: its subscriptions are released and its sink ended. Closing a channel that is
   * not open does nothing. Resolves when the sink is done.
   */
  close(channelId: string, options: { closeConnection?: boolean } = {}): Promise<void> {
    const channel = this.channels.get(channelId);
    if (channel === undefined) return Promise.resolve();
    this.channels.delete(channelId);
    clearTimeout(channel.expiryTimer);
    for (const k of [...channel.subscriptions.keys()]) this.release(channel, k);
    const usage = this.usageOf(channel);
    usage.channels--;
    if (usage.channels === 0 && usage.subscriptions === 0) this.subjects.delete(channel.subject);
    return channel.sink.end(options);
  }

  /**
   * Closes every channel and their connections, stops the heartbeat, and refuses new channels
   * from now on: the server is shutting down. Resolves when every stream is closed.
   */
  async closeAll(): Promise<void> {
    this.closed = true;
    clearInterval(this.heartbeatTimer);
    await Promise.all(
      [...this.channels.keys()].map((id) => this.close(id, { closeConnection: true })),
    );
  }

  private deliver(channel: Channel, event: string, offset: number): void {
    // The reference checks expiry on the next update; the timer usually comes first.
    if (Date.now() >= channel.expiresAt) {
      void this.close(channel.id);
      return;
    }
    channel.sink.send(event, String(offset));
  }

  private release(channel: Channel, k: string): void {
    const subscription = channel.subscriptions.get(k);
    if (subscription === undefined) return;
    subscription.release();
    channel.subscriptions.delete(k);
    this.usageOf(channel).subscriptions--;
    this.subscriptionCount--;
  }

  private resolve(key: ProjectionKey): { key: ProjectionKey; broker: NotificationBroker } {
    // Whatever app and workspace come with it, the heartbeat is one key (the reference's rule).
    if (isHeartbeat(key.projection)) return { key: HEARTBEAT_KEY, broker: this.heartbeat };
    const broker = this.brokerOf(key.app);
    if (broker === undefined) throw new UnknownAppError(key.app);
    return { key, broker };
  }

  private openChannel(id: string): Channel {
    const channel = this.channels.get(id);
    if (channel === undefined) throw new UnknownChannelError();
    return channel;
  }

  private usageOf(channel: Channel): SubjectUsage {
    const usage = this.subjects.get(channel.subject);
    if (usage === undefined) throw new Error(`no usage of subject ${channel.subject}`);
    return usage;
  }

  private armExpiry(channel: Channel): void {
    const left = channel.expiresAt - Date.now();
    if (left <= 0) {
      void this.close(channel.id);
      return;
    }
    channel.expiryTimer = setTimeout(() => this.armExpiry(channel), Math.min(left, MAX_TIMER_MS));
    channel.expiryTimer.unref();
  }
}
