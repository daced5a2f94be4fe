// Shared fixture of the black-box HTTP tests: the engine tests' application served by the real
// HTTP server on a loopback port, and a small client over fetch that returns what came back.
import { after, before } from 'node:test';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { createHttpServer, HttpApps, type HttpServerOptions } from '../../src/routing/index.js';
import {
  APP_QNAME,
  createShop,
  type StartOptions,
  startEngine,
  type TestEngine,
  userWsid,
} from '../engine/support.js';

export { APP_QNAME, FIRST_ID } from '../engine/support.js';

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body parsed as JSON; undefined when it is not JSON. */
  readonly json: unknown;
}

export interface RequestOptions {
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
  readonly t: TestEngine;
  readonly logs: Record<string, unknown>[];
  /** A new initialised ShopWS workspace. */
  shop(): Promise<number>;
  /** A WSID nobody has created. */
  nextWsid(): number;
  request(method: string, path: string, options?: RequestOptions): Promise<Answer>;
}

export interface ServerForFileOptions extends StartOptions {
  readonly http?: Omit<HttpServerOptions, 'apps' | 'logger'>;
}

/** `/api/test/app/<wsid>` — the v1 prefix of a workspace of the test application. */
export const v1 = (wsid: number) => `/api/${APP_QNAME}/${wsid}`;
/** The v2 prefix of a workspace of the test application. */
export const v2 = (wsid: number) => `/api/v2/apps/${APP_QNAME}/workspaces/${wsid}`;

/** Starts the test application and its HTTP server before a file's tests, stops them after. */
export function serverForFile(base: number, options: ServerForFileOptions = {}): TestServer {
  let t: TestEngine | undefined;
  let server: FastifyInstance | undefined;
  let url = '';
  let next = 0;
  const logs: Record<string, unknown>[] = [];
  before(async () => {
    t = await startEngine({ clock: Date.now, ...options });
    const logger = pino(
      { level: 'debug' },
      { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) },
    );
    server = await createHttpServer({ apps: new HttpApps([t.engine]), logger, ...options.http });
    url = await server.listen({ host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await server?.close();
    await t?.close();
  });
  const running = () => {
    if (t === undefined) throw new Error('the server starts in before()');
    return t;
  };
  const nextWsid = () => userWsid(base + ++next);
  return {
    get base() {
      return url;
    },
    get t() {
      return running();
    },
    logs,
    nextWsid,
    shop: async () => {
      const wsid = nextWsid();
      await createShop(running().engine, wsid);
      return wsid;
    },
    request: (method, path, o = {}) => request(url, method, path, o),
  };
}

export async function request(
  base: string,
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<Answer> {
  const body =
    options.body === undefined
      ? undefined
      : typeof options.body === 'string' || options.body instanceof Uint8Array
        ? options.body
        : JSON.stringify(options.body);
  const res = await fetch(base + path, {
    method,
    ...(body === undefined ? {} : { body }),
    ...(options.headers === undefined ? {} : { headers: options.headers }),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}
