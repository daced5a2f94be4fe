// The channel registry against a real broker: quotas, subscriptions as broker listeners released
// on unsubscribe and close, the heartbeat key, expiry, and the shutdown.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NotificationBroker } from '../../processors/index.js';
import {
  type ChannelSink,
  ChannelsClosedError,
  NotificationChannels,
  QuotaExceededError,
  UnknownAppError,
  UnknownChannelError,
} from './channels.js';
import { eventNameOf, HEARTBEAT_KEY } from './projection-key.js';

const APP = 'test/app';

/** A sink recording what it gets. */
class RecordingSink implements ChannelSink {
  readonly frames: [string, string][] = [];
  ends: { closeConnection?: boolean }[] = [];
  send(event: string, data: string): void {
    this.frames.push([event, data]);
  }
  end(options: { closeConnection?: boolean } = {}): Promise<void> {
    this.ends.push(options);
    return Promise.resolve();
  }
}

function setup(options: Partial<ConstructorParameters<typeof NotificationChannels>[0]> = {}) {
  const broker = new NotificationBroker();
  const channels = new NotificationChannels({
    brokerOf: (app) => (app === APP ? broker : undefined),
    heartbeatIntervalMs: 60_000,
    ...options,
  });
  return { broker, channels };
}

const key = (projection: string, wsid = 1) => ({ app: APP, projection, wsid });
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('NotificationChannels', () => {
  test('a subscription is a broker listener: updates reach the sink until it is released', async () => {
    const { broker, channels } = setup();
    const sink = new RecordingSink();
    const c = channels.open('s', 60_000, sink);
    channels.subscribe(c.id, key('p.V'));
    assert.equal(broker.subscriptions, 1);
    broker.publish(key('p.V'), 5);
    broker.publish(key('p.Other'), 6);
    channels.unsubscribe(c.id, key('p.V'));
    assert.equal(broker.subscriptions, 0);
    broker.publish(key('p.V'), 7);
    assert.deepEqual(sink.frames, [[eventNameOf(key('p.V')), '5']]);
    await channels.closeAll();
  });

  test('the latest offset comes at once, unless the subscription is gone by then', async () => {
    const { broker, channels } = setup();
    broker.publish(key('p.V'), 3);
    const sink = new RecordingSink();
    const c = channels.open('s', 60_000, sink);
    channels.subscribe(c.id, key('p.V'));
    await tick();
    assert.deepEqual(sink.frames, [[eventNameOf(key('p.V')), '3']]);
    channels.subscribe(c.id, key('p.V', 2));
    broker.publish(key('p.V', 2), 1);
    sink.frames.length = 0;
    channels.unsubscribe(c.id, key('p.V', 2));
    channels.subscribe(c.id, key('p.V', 3));
    channels.unsubscribe(c.id, key('p.V', 3));
    await tick();
    assert.deepEqual(sink.frames, []);
    await channels.closeAll();
  });

  test('closing a channel releases its listeners and ends its sink', async () => {
    const { broker, channels } = setup();
    const sink = new RecordingSink();
    const c = channels.open('s', 60_000, sink);
    channels.subscribe(c.id, key('p.A'));
    channels.subscribe(c.id, key('p.B'));
    await channels.close(c.id);
    assert.equal(broker.subscriptions, 0);
    assert.equal(channels.subscriptions, 0);
    assert.equal(channels.channelCount, 0);
    assert.deepEqual(sink.ends, [{}]);
    assert.throws(() => channels.subscribe(c.id, key('p.A')), UnknownChannelError);
    assert.throws(() => channels.unsubscribe(c.id, key('p.A')), UnknownChannelError);
    await channels.close(c.id);
    await channels.closeAll();
  });

  test('quotas: channels and subscriptions, per subject and in total', async () => {
    const { channels } = setup({
      quotas: { channels: 3, channelsPerSubject: 2, subscriptions: 4, subscriptionsPerSubject: 3 },
    });
    const a1 = channels.open('a', 60_000, new RecordingSink());
    channels.open('a', 60_000, new RecordingSink());
    assert.throws(() => channels.open('a', 60_000, new RecordingSink()), {
      message: 'quota exceeded: number of channels per subject',
    });
    const b = channels.open('b', 60_000, new RecordingSink());
    assert.throws(() => channels.open('c', 60_000, new RecordingSink()), {
      message: 'quota exceeded: number of channels',
    });

    channels.subscribe(a1.id, key('p.A'));
    channels.subscribe(a1.id, key('p.A'));
    channels.subscribe(a1.id, key('p.B'));
    channels.subscribe(a1.id, key('p.C'));
    assert.throws(() => channels.subscribe(a1.id, key('p.D')), {
      message: 'quota exceeded: number of subscriptions per subject',
    });
    channels.subscribe(b.id, key('p.A'));
    assert.throws(() => channels.subscribe(b.id, key('p.B')), {
      message: 'quota exceeded: number of subscriptions',
    });
    assert.ok(new QuotaExceededError('x') instanceof Error);

    // Released quotas are usable again.
    channels.unsubscribe(a1.id, key('p.C'));
    channels.subscribe(b.id, key('p.B'));
    await channels.close(a1.id);
    channels.open('c', 60_000, new RecordingSink());
    assert.equal(channels.subscriptions, 2);
    await channels.closeAll();
  });

  test('a key of an application not served here', async () => {
    const { channels } = setup();
    const c = channels.open('s', 60_000, new RecordingSink());
    assert.throws(() => channels.subscribe(c.id, { ...key('p.V'), app: 'o/x' }), UnknownAppError);
    await channels.closeAll();
  });

  test('the heartbeat: one key whatever the app and workspace, ticking 1, 2, 3', async () => {
    const { broker, channels } = setup({ heartbeatIntervalMs: 5 });
    const sink = new RecordingSink();
    const c = channels.open('s', 60_000, sink);
    channels.subscribe(c.id, { app: 'any/app', projection: 'sys.Heartbeat30', wsid: 42 });
    channels.subscribe(c.id, key('sys.Heartbeat30', 7));
    assert.equal(channels.subscriptions, 1, 'the same key twice');
    assert.equal(broker.subscriptions, 0, 'not on the application broker');
    while (sink.frames.length < 3) await new Promise((r) => setTimeout(r, 5));
    const beats = sink.frames.slice(0, 3);
    assert.deepEqual(
      beats.map(([event]) => event),
      Array(3).fill('{"App":"/","Projection":"sys.Heartbeat30","WS":0}'),
    );
    assert.equal(eventNameOf(HEARTBEAT_KEY), beats[0]?.[0]);
    const offsets = beats.map(([, data]) => Number(data));
    assert.deepEqual(offsets, [offsets[0], (offsets[0] as number) + 1, (offsets[0] as number) + 2]);
    channels.unsubscribe(c.id, { app: 'x/y', projection: 'sys.Heartbeat30', wsid: 1 });
    assert.equal(channels.subscriptions, 0);
    await channels.closeAll();
  });

  test('a channel expires: its sink is ended and it is gone', async () => {
    const { broker, channels } = setup();
    const sink = new RecordingSink();
    const c = channels.open('s', 30, sink);
    channels.subscribe(c.id, key('p.V'));
    while (sink.ends.length === 0) await new Promise((r) => setTimeout(r, 5));
    assert.equal(channels.channel(c.id), undefined);
    assert.equal(broker.subscriptions, 0);
    await channels.closeAll();
  });

  test('closeAll ends every sink with its connection and refuses new channels', async () => {
    const { channels } = setup();
    const sinks = [new RecordingSink(), new RecordingSink()];
    for (const sink of sinks) channels.open('s', 60_000, sink);
    await channels.closeAll();
    assert.deepEqual(
      sinks.map((s) => s.ends),
      [[{ closeConnection: true }], [{ closeConnection: true }]],
    );
    assert.throws(() => channels.open('s', 60_000, new RecordingSink()), ChannelsClosedError);
  });
});
