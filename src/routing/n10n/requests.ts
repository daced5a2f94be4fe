// The requests of the notification routes, parsed with the reference's messages (http-api.md §4):
// the v2 subscribe-and-watch body, strict about unknown fields; the v1 `payload` query parameter,
// lenient like Go's JSON decoding (field names in any case, unknown fields ignored).
import { HttpError } from '../http-errors.js';
import { jsonObjectBody } from '../request-body.js';
import { APP_QNAME, type ProjectionKey, QNAME } from './projection-key.js';

/** v2 `expiresIn` when the body has none (or 0): a day. */
export const DEFAULT_EXPIRES_IN_SECONDS = 86_400;

export interface EntitySubscription {
  /** The view, `pkg.View`. */
  readonly entity: string;
  readonly wsid: number;
}

export interface SubscribeAndWatchRequest {
  readonly subscriptions: readonly EntitySubscription[];
  readonly expiresInSeconds: number;
}

const UNMARSHAL = 'failed to unmarshal request body';

/**
 * `{"subscriptions":[{"entity":"pkg.View","wsid":N}],"expiresIn":S}`; 400 with the reference's
 * messages for anything else.
 */
export function parseSubscribeAndWatch(body: unknown): SubscribeAndWatchRequest {
  const json = jsonObjectBody(body);
  let items: unknown[] = [];
  let expiresIn = 0;
  for (const [field, value] of Object.entries(json)) {
    if (field === 'subscriptions') {
      if (value === null) continue;
      if (!Array.isArray(value)) throw mistyped(value, 'subscriptions', 'an array');
      items = value;
    } else if (field === 'expiresIn') {
      if (value === null) continue;
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
        throw mistyped(value, 'expiresIn', 'an integer');
      }
      expiresIn = value;
    } else {
      throw new HttpError(400, `${UNMARSHAL}: unknown field "${field}"`);
    }
  }
  const raw = items.map((item, i) => rawSubscription(item, i));
  if (expiresIn < 0) throw new HttpError(400, `invalid expiresIn value ${expiresIn}`);
  if (raw.length === 0) throw new HttpError(400, 'no subscriptions provided');
  const subscriptions = raw.map(({ entity, wsid }, i): EntitySubscription => {
    if (entity === '' || wsid === undefined) {
      throw new HttpError(400, `subscriptions[${i}]: entity and/or wsid is not provided`);
    }
    return { wsid: wsidOf(wsid, i), entity: entityOf(entity, i) };
  });
  return {
    subscriptions,
    expiresInSeconds: expiresIn === 0 ? DEFAULT_EXPIRES_IN_SECONDS : expiresIn,
  };
}

/** One element of `subscriptions` as written: the entity text and the WSID number (or its text). */
function rawSubscription(item: unknown, i: number): { entity: string; wsid: number | undefined } {
  const path = `subscriptions[${i}]`;
  if (item === null) return { entity: '', wsid: undefined };
  if (typeof item !== 'object' || Array.isArray(item)) throw mistyped(item, path, 'an object');
  let entity = '';
  let wsid: number | undefined;
  for (const [field, value] of Object.entries(item)) {
    if (field === 'entity') {
      if (value === null) continue;
      if (typeof value !== 'string') throw mistyped(value, `${path}.entity`, 'a string');
      entity = value;
    } else if (field === 'wsid') {
      if (value === null) continue;
      // Go decodes it as a json.Number, which also takes a quoted number.
      const n =
        typeof value === 'string' && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(value)
          ? Number(value)
          : value;
      if (typeof n !== 'number') throw mistyped(value, `${path}.wsid`, 'a number');
      wsid = n;
    } else {
      throw new HttpError(400, `${UNMARSHAL}: unknown field "${field}"`);
    }
  }
  return { entity, wsid };
}

function wsidOf(wsid: number, i: number): number {
  const prefix = `subscriptions[${i}]: failed to parse wsid ${wsid}`;
  if (!Number.isInteger(wsid))
    throw new HttpError(400, `${prefix}: failed to cast ${wsid} to WSID`);
  // WSIDs stay below 2^53 (cluster << 47 | base): a larger number could not be told apart.
  if (wsid < 0 || !Number.isSafeInteger(wsid)) {
    throw new HttpError(400, `${prefix}: number overflow: ${wsid} to WSID`);
  }
  return wsid;
}

function entityOf(entity: string, i: number): string {
  if (!QNAME.test(entity)) {
    throw new HttpError(400, `subscriptions[${i}]: failed to parse entity ${entity} as a QName`);
  }
  return entity;
}

function mistyped(value: unknown, field: string, expected: string): HttpError {
  return new HttpError(
    400,
    `${UNMARSHAL}: cannot unmarshal ${jsonTypeOf(value)} into field ${field}: ${expected} is expected`,
  );
}

function jsonTypeOf(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'object' : typeof value;
}

/** `/n10n/channel?payload={"SubjectLogin":"x","ProjectionKey":[...]}` */
export interface ChannelPayload {
  readonly subjectLogin: string;
  readonly keys: readonly ProjectionKey[];
}

/** `/n10n/subscribe|unsubscribe?payload={"Channel":"id","ProjectionKey":[...]}` */
export interface SubscriptionPayload {
  readonly channel: string;
  readonly keys: readonly ProjectionKey[];
}

/** Why a v1 payload or projection key is refused; the routes prefix the reference's words. */
export class PayloadError extends Error {}

export function parseChannelPayload(text: string): ChannelPayload {
  const json = payloadObject(text);
  return {
    subjectLogin: stringField(json, 'SubjectLogin'),
    keys: keysField(json),
  };
}

export function parseSubscriptionPayload(text: string): SubscriptionPayload {
  const json = payloadObject(text);
  return { channel: stringField(json, 'Channel'), keys: keysField(json) };
}

/** `{"App":"owner/name","Projection":"pkg.View","WS":N}` */
export function parseProjectionKey(value: unknown, path = 'ProjectionKey'): ProjectionKey {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new PayloadError(`${path}: a JSON object is expected`);
  }
  const o = value as Record<string, unknown>;
  const app = fieldOf(o, 'App') ?? '';
  if (typeof app !== 'string' || !APP_QNAME.test(app)) {
    throw new PayloadError(`${path}.App: invalid application QName ${JSON.stringify(app)}`);
  }
  const projection = fieldOf(o, 'Projection') ?? '';
  if (typeof projection !== 'string' || !QNAME.test(projection)) {
    throw new PayloadError(`${path}.Projection: invalid QName ${JSON.stringify(projection)}`);
  }
  const ws = fieldOf(o, 'WS') ?? 0;
  if (typeof ws !== 'number' || !Number.isSafeInteger(ws) || ws < 0) {
    throw new PayloadError(`${path}.WS: invalid WSID ${JSON.stringify(ws)}`);
  }
  return { app, projection, wsid: ws };
}

function payloadObject(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new PayloadError((error as Error).message);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new PayloadError('a JSON object is expected');
  }
  return value as Record<string, unknown>;
}

function stringField(json: Record<string, unknown>, name: string): string {
  const value = fieldOf(json, name) ?? '';
  if (typeof value !== 'string') throw new PayloadError(`${name}: a string is expected`);
  return value;
}

function keysField(json: Record<string, unknown>): ProjectionKey[] {
  const value = fieldOf(json, 'ProjectionKey') ?? [];
  if (!Array.isArray(value)) throw new PayloadError('ProjectionKey: an array is expected');
  return value.map((k, i) => parseProjectionKey(k, `ProjectionKey[${i}]`));
}

/** A field by name in any letter case, as Go's decoder matches it; null counts as absent. */
function fieldOf(json: Record<string, unknown>, name: string): unknown {
  if (Object.hasOwn(json, name)) return json[name] ?? undefined;
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(json)) if (k.toLowerCase() === lower) return v ?? undefined;
  return undefined;
}
