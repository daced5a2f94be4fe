// Notifications over server-sent events (http-api.md §4), black-box over loopback HTTP with a
// real SSE client: channels, subscriptions, updates from commands posted by other requests, the
// heartbeat, errors of both APIs, quotas, expiry, and streams ended by disconnects and shutdown.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EventSource, type FetchLikeResponse } from 'eventsource';
import type { FastifyInstance } from 'fastify';
import { createHttpServer, HttpApps } from '../../src/routing/index.js';
import type { NotificationOptions } from '../../src/routing/n10n/index.js';
import { sleep, waitFor } from '../engine/support.js';
import { APP_QNAME, request, serverForFile, v1 } from './support.js';

const HEARTBEAT_MS = 100;
const s = serverForFile(7000, { http: { notifications: { heartbeatIntervalMs: HEARTBEAT_MS } } });

const NOTIFICATIONS = `/api/v2/apps/${APP_QNAME}/notifications`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const HEARTBEAT_EVENT = '{"App":"/","Projection":"sys.Heartbeat30","WS":0}';

/** The SSE event name of a view of a workspace of the test application. */
const eventOf = (view: string, wsid: number) =>
  `{"App":"${APP_QNAME}","Projection":"${view}","WS":${wsid}}`;

let tokens = 0;
/** A token nobody else uses: each is its own subject (quotas count per subject). */
const newToken = () => `token-${++tokens}`;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

interface Frame {
  readonly event: string;
  readonly data: string;
}

/**
 * A real SSE client (the `eventsource` package) that records the frames of the event names it is
 * told about, and does not reconnect: the end of the stream is what the tests look for.
 */
class SseClient {
  readonly frames: Frame[] = [];
  readonly channelId: Promise<string>;
  readonly ended: Promise<void>;
  private readonly es: EventSource;

  constructor(
    url: string,
    events: readonly string[],
    init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
  ) {
    this.es = new EventSource(url, {
      fetch: (input, options): Promise<FetchLikeResponse> =>
        fetch(input, {
          ...options,
          method: init.method ?? 'GET',
          headers: { ...options.headers, ...init.headers },
          ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
        }),
    });
    this.channelId = new Promise((resolve, reject) => {
      this.es.addEventListener('channelId', (e) => resolve(e.data));
      this.es.addEventListener('error', (e) => reject(new Error(`stream failed: ${e.message}`)));
    });
    this.channelId.catch(() => {});
    this.ended = new Promise((resolve) => {
      this.es.addEventListener('error', () => {
        this.es.close();
        resolve();
      });
    });
    for (const event of ['channelId', 'error', ...events]) {
      this.es.addEventListener(event, (e) => {
        if (e instanceof MessageEvent) this.frames.push({ event, data: String(e.data) });
      });
    }
  }

  /** Waits for a frame of `event` (with `data`, when given) and returns it. */
  frame(event: string, data?: string, timeoutMs = 5000): Promise<Frame> {
    return waitFor(
      `frame ${event} ${data ?? ''} (have ${JSON.stringify(this.frames)})`,
      () => this.frames.find((f) => f.event === event && (data === undefined || f.data === data)),
      timeoutMs,
    );
  }

  close(): void {
    this.es.close();
  }
}

/** Opens an API v2 channel subscribed to `subscriptions`; `views` names the events to record. */
function watchV2(
  base: string,
  token: string,
  subscriptions: { entity: string; wsid: number }[],
  extra: { expiresIn?: number } = {},
): SseClient {
  return new SseClient(
    base + NOTIFICATIONS,
    subscriptions.map((x) =>
      x.entity === 'sys.Heartbeat30' ? HEARTBEAT_EVENT : eventOf(x.entity, x.wsid),
    ),
    { method: 'POST', body: { subscriptions, ...extra }, headers: bearer(token) },
  );
}

/** Opens an API v1 channel (GET, no token) subscribed to views of the test application. */
function watchV1(
  base: string,
  subject: string,
  keys: { view: string; wsid: number }[],
  moreEvents: string[] = [],
): SseClient {
  const payload = {
    SubjectLogin: subject,
    ProjectionKey: keys.map((k) => ({ App: APP_QNAME, Projection: k.view, WS: k.wsid })),
  };
  return new SseClient(
    `${base}/n10n/channel?payload=${encodeURIComponent(JSON.stringify(payload))}`,
    [
      ...keys.map((k) =>
        k.view === 'sys.Heartbeat30' ? HEARTBEAT_EVENT : eventOf(k.view, k.wsid),
      ),
      ...moreEvents,
    ],
  );
}

/** Inserts a purchase in a workspace through a separate request; returns the command's offset. */
async function buyIn(wsid: number, n = 5): Promise<number> {
  const r = await s.request('POST', `${v1(wsid)}/c.sys.CUD`, {
    body: { cuds: [{ fields: { 'sys.ID': 1, 'sys.QName': 'tst.Purchase', Number: n } }] },
  });
  assert.equal(r.status, 200, r.text);
  return (r.json as { CurrentWLogOffset: number }).CurrentWLogOffset;
}

const subscriptionUrl = (channel: string, wsid: number | string, view: string) =>
  `${NOTIFICATIONS}/${channel}/workspaces/${wsid}/subscriptions/${view}`;

/** A server of its own on the file's engine, for tests that need other options or close it. */
async function ownServer(notifications: NotificationOptions = {}) {
  const server: FastifyInstance = await createHttpServer({
    apps: new HttpApps([s.t.engine]),
    notifications,
  });
  const base = await server.listen({ host: '127.0.0.1', port: 0 });
  return { server, base };
}

describe('API v2 notifications', () => {
  test('a client is notified of the offset of a command that updated its view', async () => {
    const ws = await s.shop();
    const client = watchV2(s.base, newToken(), [{ entity: 'tst.PurchaseLog', wsid: ws }]);
    try {
      assert.match(await client.channelId, UUID);
      const offset = await buyIn(ws);
      await client.frame(eventOf('tst.PurchaseLog', ws), String(offset));
      const next = await buyIn(ws, 6);
      assert.ok(next > offset);
      await client.frame(eventOf('tst.PurchaseLog', ws), String(next));
    } finally {
      client.close();
    }
  });

  test('an async projector view notifies with the offset of the event it handled', async () => {
    const ws = await s.shop();
    const client = watchV2(s.base, newToken(), [{ entity: 'tst.AsyncPurchaseLog', wsid: ws }]);
    try {
      await client.channelId;
      const offset = await buyIn(ws);
      await client.frame(eventOf('tst.AsyncPurchaseLog', ws), String(offset));
    } finally {
      client.close();
    }
  });

  test('a late subscriber gets the latest offset at once', async () => {
    const ws = await s.shop();
    await buyIn(ws, 1);
    const latest = await buyIn(ws, 2);
    const client = watchV2(s.base, newToken(), [{ entity: 'tst.PurchaseLog', wsid: ws }]);
    try {
      await client.frame(eventOf('tst.PurchaseLog', ws), String(latest));
      assert.deepEqual(
        client.frames.map((f) => f.event),
        ['channelId', eventOf('tst.PurchaseLog', ws)],
        'the channel ID comes first, then only the latest offset',
      );
    } finally {
      client.close();
    }
  });

  test('the stream answers 200 with the SSE and CORS headers, channelId first', async () => {
    const ws = await s.shop();
    const abort = new AbortController();
    const res = await fetch(s.base + NOTIFICATIONS, {
      method: 'POST',
      headers: bearer(newToken()),
      body: JSON.stringify({ subscriptions: [{ entity: 'tst.PurchaseLog', wsid: ws }] }),
      signal: abort.signal,
    });
    try {
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'text/event-stream');
      assert.equal(res.headers.get('cache-control'), 'no-cache');
      assert.equal(res.headers.get('connection'), 'keep-alive');
      assert.equal(res.headers.get('access-control-allow-origin'), '*');
      const reader = res.body?.getReader();
      assert.ok(reader !== undefined);
      const { value } = await reader.read();
      assert.match(
        new TextDecoder().decode(value),
        /^event: channelId\ndata: [0-9a-f-]{36}\n\n$/,
        'the first frame, exactly',
      );
    } finally {
      abort.abort();
    }
  });

  test('the token may come in an Authorization cookie', async () => {
    const ws = await s.shop();
    const client = new SseClient(s.base + NOTIFICATIONS, [eventOf('tst.PurchaseLog', ws)], {
      method: 'POST',
      body: { subscriptions: [{ entity: 'tst.PurchaseLog', wsid: ws }] },
      headers: { cookie: `Authorization=${encodeURIComponent(`Bearer ${newToken()}`)}` },
    });
    try {
      assert.match(await client.channelId, UUID);
    } finally {
      client.close();
    }
  });

  test('PUT adds a subscription (200 {}), DELETE removes one (204)', async () => {
    const ws = await s.shop();
    const token = newToken();
    const client = new SseClient(
      s.base + NOTIFICATIONS,
      [eventOf('tst.PurchaseLog', ws), eventOf('tst.AsyncPurchaseLog', ws)],
      {
        method: 'POST',
        body: { subscriptions: [{ entity: 'tst.PurchaseLog', wsid: ws }], expiresIn: 42 },
        headers: bearer(token),
      },
    );
    try {
      const channel = await client.channelId;
      const before = s.t.engine.broker.subscriptions;
      const put = await s.request('PUT', subscriptionUrl(channel, ws, 'tst.AsyncPurchaseLog'), {
        headers: bearer(token),
      });
      assert.deepEqual([put.status, put.text], [200, '{}']);
      assert.equal(put.headers.get('content-type'), 'application/json; charset=utf-8');
      assert.equal(s.t.engine.broker.subscriptions, before + 1);
      // Subscribing again changes nothing.
      const again = await s.request('PUT', subscriptionUrl(channel, ws, 'tst.AsyncPurchaseLog'), {
        headers: bearer(token),
      });
      assert.equal(again.status, 200);
      assert.equal(s.t.engine.broker.subscriptions, before + 1);

      const first = await buyIn(ws);
      await client.frame(eventOf('tst.PurchaseLog', ws), String(first));
      await client.frame(eventOf('tst.AsyncPurchaseLog', ws), String(first));

      const del = await s.request('DELETE', subscriptionUrl(channel, ws, 'tst.PurchaseLog'), {
        headers: bearer(token),
      });
      assert.deepEqual([del.status, del.text], [204, '']);
      assert.equal(s.t.engine.broker.subscriptions, before);
      // Removing a subscription the channel does not have is no error.
      const none = await s.request('DELETE', subscriptionUrl(channel, ws, 'tst.PurchaseLog'), {
        headers: bearer(token),
      });
      assert.equal(none.status, 204);

      const second = await buyIn(ws, 7);
      // The async view is notified after the sync one would have been: by then, nothing came.
      await client.frame(eventOf('tst.AsyncPurchaseLog', ws), String(second));
      assert.equal(
        client.frames.filter((f) => f.event === eventOf('tst.PurchaseLog', ws)).length,
        1,
        'no update of the view unsubscribed from',
      );
    } finally {
      client.close();
    }
  });

  test('the heartbeat ticks 1, 2, 3, ... under one key whatever the workspace', async () => {
    const ws = await s.shop();
    const client = watchV2(s.base, newToken(), [{ entity: 'sys.Heartbeat30', wsid: ws }]);
    try {
      await client.channelId;
      await waitFor('three heartbeats', () =>
        client.frames.filter((f) => f.event === HEARTBEAT_EVENT).length >= 3 ? true : undefined,
      );
      const beats = client.frames.filter((f) => f.event === HEARTBEAT_EVENT).map((f) => +f.data);
      for (let i = 1; i < beats.length; i++) assert.equal(beats[i], (beats[i - 1] as number) + 1);
    } finally {
      client.close();
    }
  });

  test('a disconnecting client releases its broker listeners', async () => {
    const ws = await s.shop();
    const before = s.t.engine.broker.subscriptions;
    const client = watchV2(s.base, newToken(), [
      { entity: 'tst.PurchaseLog', wsid: ws },
      { entity: 'tst.AsyncPurchaseLog', wsid: ws },
    ]);
    await client.channelId;
    assert.equal(s.t.engine.broker.subscriptions, before + 2);
    client.close();
    await waitFor('listeners released', () => s.t.engine.broker.subscriptions === before);
  });

  test('an expired channel ends its stream and is gone', async () => {
    const ws = await s.shop();
    const token = newToken();
    const before = s.t.engine.broker.subscriptions;
    const client = watchV2(s.base, token, [{ entity: 'tst.PurchaseLog', wsid: ws }], {
      expiresIn: 1,
    });
    const channel = await client.channelId;
    const started = Date.now();
    await client.ended;
    assert.ok(Date.now() - started < 3000, 'ended after about a second');
    assert.equal(s.t.engine.broker.subscriptions, before);
    const put = await s.request('PUT', subscriptionUrl(channel, ws, 'tst.PurchaseLog'), {
      headers: bearer(token),
    });
    assert.equal(put.status, 404);
  });

  describe('errors before the stream', () => {
    const post = (body: unknown, headers: Record<string, string> = bearer(newToken())) =>
      s.request('POST', NOTIFICATIONS, { body, headers });

    test('401 without a token, even without a body', async () => {
      for (const body of ['', '{"subscriptions":[{"entity":"tst.PurchaseLog","wsid":1}]}']) {
        const r = await post(body, {});
        assert.equal(r.status, 401);
        assert.deepEqual(Object.keys(r.json as object), ['status', 'message']);
        assert.equal((r.json as { status: number }).status, 401);
      }
    });

    test('400 on malformed bodies, with the reference messages', async () => {
      const cases: [string, string | RegExp][] = [
        ['', /^failed to unmarshal request body/],
        ['{}', 'no subscriptions provided'],
        ['{"subscriptions":[]}', 'no subscriptions provided'],
        ['{"subscriptions":42}', /^failed to unmarshal request body: cannot unmarshal number/],
        ['{"wrong":42}', 'failed to unmarshal request body: unknown field "wrong"'],
        [
          '{"subscriptions":[{"wrong":42}]}',
          'failed to unmarshal request body: unknown field "wrong"',
        ],
        [
          '{"subscriptions":[{"entity":"test.test"}]}',
          'subscriptions[0]: entity and/or wsid is not provided',
        ],
        ['{"subscriptions":[{"wsid":42}]}', 'subscriptions[0]: entity and/or wsid is not provided'],
        ['{"subscriptions":[{"entity":42,"wsid":42}]}', /cannot unmarshal number/],
        ['{"subscriptions":[{"entity":"a.b","wsid":"str"}]}', /cannot unmarshal string/],
        [
          '{"subscriptions":[{"entity":"test.test","wsid":42}],"expiresIn":"str"}',
          /cannot unmarshal string/,
        ],
        [
          '{"subscriptions":[{"entity":"wrong","wsid":42}]}',
          'subscriptions[0]: failed to parse entity wrong as a QName',
        ],
        [
          '{"subscriptions":[{"entity":"test.test","wsid":-1}]}',
          'subscriptions[0]: failed to parse wsid -1: number overflow: -1 to WSID',
        ],
        [
          '{"subscriptions":[{"entity":"test.test","wsid":42}],"expiresIn":-1}',
          'invalid expiresIn value -1',
        ],
      ];
      for (const [body, message] of cases) {
        const r = await post(body);
        assert.equal(r.status, 400, `${body}: ${r.text}`);
        const got = (r.json as { message: string }).message;
        if (typeof message === 'string') assert.equal(got, message, body);
        else assert.match(got, message, body);
      }
    });

    test('a workspace that does not exist: 403 as the reference', async () => {
      const r = await post({ subscriptions: [{ entity: 'tst.PurchaseLog', wsid: s.nextWsid() }] });
      assert.deepEqual(r.json, { status: 403, message: 'workspace is not initialized' });
    });

    test('an entity that is not a view of the workspace: 400', async () => {
      const ws = await s.shop();
      for (const entity of ['tst.Nothing', 'tst.Purchase', 'tst.JobRuns']) {
        const r = await post({ subscriptions: [{ entity, wsid: ws }] });
        assert.equal(r.status, 400, `${entity}: ${r.text}`);
      }
    });

    test('PUT and DELETE: 401, 400, 404 as the reference', async () => {
      const ws = await s.shop();
      const token = newToken();
      const client = watchV2(s.base, token, [{ entity: 'tst.PurchaseLog', wsid: ws }]);
      try {
        const channel = await client.channelId;
        for (const method of ['PUT', 'DELETE']) {
          const url = subscriptionUrl(channel, ws, 'tst.AsyncPurchaseLog');
          const noToken = await s.request(method, url);
          assert.equal(noToken.status, 401, method);
          const body = await s.request(method, url, { body: 'some body', headers: bearer(token) });
          assert.deepEqual(body.json, { status: 400, message: 'unexpected body' }, method);
          const malformed = await s.request(method, subscriptionUrl(channel, ws, 'malformed'), {
            headers: bearer(token),
          });
          assert.equal(malformed.status, 400, method);
          const badWsid = await s.request(
            method,
            subscriptionUrl(channel, 'x', 'tst.PurchaseLog'),
            {
              headers: bearer(token),
            },
          );
          assert.equal(badWsid.status, 400, method);
          const unknown = await s.request(
            method,
            subscriptionUrl('unknown', ws, 'tst.PurchaseLog'),
            {
              headers: bearer(token),
            },
          );
          assert.equal(unknown.status, 404, `${method}: ${unknown.text}`);
          assert.match((unknown.json as { message: string }).message, /channel does not exist$/);
        }
        const notAView = await s.request('PUT', subscriptionUrl(channel, ws, 'tst.Purchase'), {
          headers: bearer(token),
        });
        assert.equal(notAView.status, 400);
        const noWs = await s.request(
          'PUT',
          subscriptionUrl(channel, s.nextWsid(), 'tst.PurchaseLog'),
          {
            headers: bearer(token),
          },
        );
        assert.equal(noWs.status, 403);
      } finally {
        client.close();
      }
    });

    test('OPTIONS answers the CORS preflight', async () => {
      const r = await s.request('OPTIONS', NOTIFICATIONS);
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('access-control-allow-origin'), '*');
    });
  });
});

describe('quotas', () => {
  test('channels and subscriptions per subject and in total: 429', async () => {
    const { server, base } = await ownServer({
      quotas: { channelsPerSubject: 1, subscriptionsPerSubject: 2, channels: 3 },
    });
    const clients: SseClient[] = [];
    const before = s.t.engine.broker.subscriptions;
    try {
      const ws = await s.shop();
      const one = [{ entity: 'tst.PurchaseLog', wsid: ws }];
      const post = (token: string, subscriptions: unknown[]) =>
        request(base, 'POST', NOTIFICATIONS, { body: { subscriptions }, headers: bearer(token) });

      // Channels per subject.
      const a = newToken();
      clients.push(watchV2(base, a, one));
      const aChannel = await (clients[0] as SseClient).channelId;
      const secondOfA = await post(a, one);
      assert.deepEqual(secondOfA.json, {
        status: 429,
        message: 'quota exceeded: number of channels per subject',
      });

      // Subscriptions per subject: when opening, and when adding.
      const b = newToken();
      const three = ['tst.PurchaseLog', 'tst.AsyncPurchaseLog', 'tst.FlakyLog'].map((entity) => ({
        entity,
        wsid: ws,
      }));
      const tooMany = await post(b, three);
      assert.deepEqual(tooMany.json, {
        status: 429,
        message: 'subscribe failed: quota exceeded: number of subscriptions per subject',
      });
      clients.push(watchV2(base, b, three.slice(0, 2)));
      const bChannel = await (clients[1] as SseClient).channelId;
      const third = await request(base, 'PUT', subscriptionUrl(bChannel, ws, 'tst.FlakyLog'), {
        headers: bearer(b),
      });
      assert.equal(third.status, 429);
      // A is at 1 of 2: it may add one.
      const aSecond = await request(base, 'PUT', subscriptionUrl(aChannel, ws, 'tst.FlakyLog'), {
        headers: bearer(a),
      });
      assert.equal(aSecond.status, 200);

      // Channels in total (3): A, B, then C; D is refused.
      clients.push(watchV2(base, newToken(), one));
      await (clients[2] as SseClient).channelId;
      const d = await post(newToken(), one);
      assert.deepEqual(d.json, { status: 429, message: 'quota exceeded: number of channels' });

      // API v1 counts against the same quotas; its errors are plain text.
      const v1Payload = JSON.stringify({ SubjectLogin: 'v1-subject', ProjectionKey: [] });
      const v1 = await request(
        base,
        'GET',
        `/n10n/channel?payload=${encodeURIComponent(v1Payload)}`,
      );
      assert.deepEqual(
        [v1.status, v1.text],
        [429, 'create new channel failed: quota exceeded: number of channels'],
      );

      // A closed channel frees its quota.
      (clients[0] as SseClient).close();
      await waitFor('A released', async () => {
        // A successful POST is a stream: open it with the SSE client.
        const again = watchV2(base, a, one);
        clients.push(again);
        return again.channelId.then(
          () => true,
          () => undefined,
        );
      });
    } finally {
      for (const c of clients) c.close();
      await server.close();
    }
    await waitFor('listeners released', () => s.t.engine.broker.subscriptions === before);
  });
});

describe('API v1 notifications', () => {
  test('channel, update from a command, subscribe, unsubscribe', async () => {
    const ws = await s.shop();
    const sync = eventOf('tst.PurchaseLog', ws);
    const async = eventOf('tst.AsyncPurchaseLog', ws);
    const client = watchV1(s.base, 'v1-login', [{ view: 'tst.PurchaseLog', wsid: ws }], [async]);
    try {
      const channel = await client.channelId;
      const offset = await buyIn(ws);
      await client.frame(sync, String(offset));

      const payload = (view: string) =>
        encodeURIComponent(
          JSON.stringify({
            Channel: channel,
            ProjectionKey: [{ App: APP_QNAME, Projection: view, WS: ws }],
          }),
        );
      const sub = await s.request(
        'GET',
        `/n10n/subscribe?payload=${payload('tst.AsyncPurchaseLog')}`,
      );
      assert.deepEqual([sub.status, sub.text], [200, '']);
      assert.equal(sub.headers.get('access-control-allow-origin'), '*');
      const unsub = await s.request(
        'GET',
        `/n10n/unsubscribe?payload=${payload('tst.PurchaseLog')}`,
      );
      assert.deepEqual([unsub.status, unsub.text], [200, '']);

      const next = await buyIn(ws, 8);
      await client.frame(async, String(next));
      assert.equal(client.frames.filter((f) => f.event === sync).length, 1);
    } finally {
      client.close();
    }
  });

  test('subscribe via v1, then the update hook publishes an offset', async () => {
    const ws = await s.shop();
    const view = eventOf('tst.AsyncPurchaseLog', ws);
    const client = new SseClient(
      `${s.base}/n10n/channel?payload=${encodeURIComponent(
        JSON.stringify({ SubjectLogin: 'hook', ProjectionKey: [] }),
      )}`,
      [view],
    );
    try {
      const channel = await client.channelId;
      const payload = encodeURIComponent(
        JSON.stringify({
          Channel: channel,
          ProjectionKey: [{ App: APP_QNAME, Projection: 'tst.AsyncPurchaseLog', WS: ws }],
        }),
      );
      assert.equal((await s.request('GET', `/n10n/subscribe?payload=${payload}`)).status, 200);
      const update = await s.request('POST', '/n10n/update/13', {
        body: { App: APP_QNAME, Projection: 'tst.AsyncPurchaseLog', WS: ws },
      });
      assert.deepEqual([update.status, update.text], [200, '']);
      await client.frame(view, '13');
    } finally {
      client.close();
    }
  });

  test('the heartbeat through v1', async () => {
    const ws = await s.shop();
    const client = watchV1(s.base, 'beats', [{ view: 'sys.Heartbeat30', wsid: ws }]);
    try {
      await client.frame(HEARTBEAT_EVENT);
    } finally {
      client.close();
    }
  });

  test('errors are plain text', async () => {
    const ws = await s.shop();
    const text = async (path: string, method = 'GET', body?: unknown) => {
      const r = await s.request(method, path, body === undefined ? {} : { body });
      return [r.status, r.text, r.headers.get('content-type')];
    };
    assert.deepEqual(await text('/n10n/channel'), [
      400,
      'query parameter with payload (SubjectLogin id and ProjectionKey) is missing',
      'text/plain',
    ]);
    const [status, message] = await text('/n10n/channel?payload=%7Bnope');
    assert.equal(status, 400);
    assert.match(String(message), /^cannot unmarshal input payload /);
    assert.deepEqual(await text('/n10n/subscribe'), [
      400,
      'url parameter with payload (channel id and projection key) is missing\n',
      'text/plain; charset=utf-8',
    ]);
    const key = { App: APP_QNAME, Projection: 'tst.PurchaseLog', WS: ws };
    const unknownChannel = encodeURIComponent(
      JSON.stringify({ Channel: 'nope', ProjectionKey: [key] }),
    );
    assert.deepEqual((await text(`/n10n/subscribe?payload=${unknownChannel}`)).slice(0, 2), [
      400,
      'subscribe failed: channel does not exist\n',
    ]);
    assert.deepEqual((await text(`/n10n/unsubscribe?payload=${unknownChannel}`)).slice(0, 2), [
      400,
      'channel does not exist\n',
    ]);
    // Ours check what the reference's v1 does not: the projection must be a view of the workspace.
    const channelOf = (k: unknown) =>
      `/n10n/channel?payload=${encodeURIComponent(JSON.stringify({ SubjectLogin: 'x', ProjectionKey: [k] }))}`;
    assert.equal((await text(channelOf({ ...key, Projection: 'paa.price' })))[0], 400);
    assert.equal((await text(channelOf({ ...key, WS: s.nextWsid() })))[0], 403);
    assert.equal((await text(channelOf({ ...key, App: 'nobody/here' })))[0], 400);
    assert.deepEqual((await text('/n10n/update/1', 'POST', 'nope')).slice(0, 2), [
      400,
      'Error when parse request body\n',
    ]);
    // GET only, without a preflight.
    assert.equal((await text('/n10n/channel', 'OPTIONS'))[0], 405);
    assert.equal((await text('/n10n/subscribe', 'POST'))[0], 405);
    assert.equal((await text('/n10n/channel', 'HEAD'))[0], 405);
  });
});

describe('shutdown', () => {
  test("the server's close ends open streams and returns promptly", async () => {
    const { server, base } = await ownServer();
    const ws = await s.shop();
    const before = s.t.engine.broker.subscriptions;
    const clients = [
      watchV2(base, newToken(), [{ entity: 'tst.PurchaseLog', wsid: ws }]),
      watchV1(base, 'closing', [{ view: 'tst.AsyncPurchaseLog', wsid: ws }]),
    ];
    try {
      for (const c of clients) await c.channelId;
      assert.equal(s.t.engine.broker.subscriptions, before + 2);
      const started = Date.now();
      await server.close();
      assert.ok(Date.now() - started < 500, `closed in ${Date.now() - started} ms`);
      await Promise.all(clients.map((c) => c.ended));
      assert.equal(s.t.engine.broker.subscriptions, before);
    } finally {
      for (const c of clients) c.close();
    }
    await sleep(0);
  });
});
