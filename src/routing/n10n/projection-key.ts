// Projection keys as clients see them (http-api.md §4): what a subscription names, and the SSE
// event name of an update. The heartbeat key is special: whatever app and workspace a client
// names with it, it is one key for everybody.
import type { ProjectionKey } from '../../processors/index.js';

export type { ProjectionKey };

/** The projection that ticks every heartbeat interval; it stands for no view of any workspace. */
export const HEARTBEAT_PROJECTION = 'sys.Heartbeat30';

/** The one key heartbeats go out under: App "/" (the reference's empty AppQName) and WS 0. */
export const HEARTBEAT_KEY: ProjectionKey = { app: '/', projection: HEARTBEAT_PROJECTION, wsid: 0 };

export function isHeartbeat(projection: string): boolean {
  return projection === HEARTBEAT_PROJECTION;
}

/**
 * The SSE event name of an update: the key as JSON with the keys App, Projection, WS in that
 * order (clients match the string as a whole, so the order is part of the wire format).
 */
export function eventNameOf(key: ProjectionKey): string {
  return JSON.stringify({ App: key.app, Projection: key.projection, WS: key.wsid });
}

/** A map key for a projection key. */
export function keyStringOf(key: ProjectionKey): string {
  return `${key.app}\u0000${key.projection}\u0000${key.wsid}`;
}

/** `pkg.Name` */
export const QNAME = /^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/;

/** `owner/name` */
export const APP_QNAME = /^[A-Za-z_][A-Za-z0-9_-]*\/[A-Za-z_][A-Za-z0-9_-]*$/;
