// Runs a query function (core.md §5): workspace checks, arguments, then the function's rows,
// streamed: each emitted row waits until the consumer has taken the one before, so a slow client
// never makes the server hold a whole result.
import type { QueryContext } from '../../extensions/index.js';
import type { FieldValues } from '../../structs/index.js';
import { buildArgument } from '../command/args.js';
import { WORKSPACE_DESCRIPTOR, WS_STATUS_ACTIVE } from '../command/command-processor.js';
import type { Deployment } from '../deployment.js';
import { badRequest, forbidden, notFound, ProcessorError } from '../processor-error.js';
import { recordReader } from '../record-reader.js';

export interface QueryRequest {
  readonly wsid: number;
  /** The query's QName, `pkg.Name`. */
  readonly query: string;
  readonly args?: unknown;
  readonly system?: boolean;
}

/** Checks that the workspace is initialised and active, and returns its kind. */
export async function checkWorkspace(
  d: Deployment,
  wsid: number,
  system: boolean,
): Promise<string> {
  const id = d.structs.names.singletonId(WORKSPACE_DESCRIPTOR);
  const descriptor = id === undefined ? undefined : await d.structs.getRecord(wsid, id);
  const f = descriptor?.fields;
  if (f === undefined || !(Number(f.InitCompletedAtMs ?? 0) > 0) || (f.InitError ?? '') !== '') {
    throw forbidden('workspace is not initialized');
  }
  if (!system && Number(f.Status ?? 0) !== WS_STATUS_ACTIVE) {
    throw new ProcessorError(410, 'workspace status is not active');
  }
  return String(f.WSKind);
}

/** Prepares a query (every check that can fail before the first row) and returns its rows. */
export async function executeQuery(
  d: Deployment,
  req: QueryRequest,
): Promise<{ resultType: string | null; rows: AsyncIterable<FieldValues> }> {
  const q = d.app.type(req.query);
  if (q?.kind !== 'Query') throw badRequest(`query ${req.query} is not defined`);
  const wsKind = await checkWorkspace(d, req.wsid, req.system === true);
  if (d.app.workspaceType(wsKind, req.query) === undefined) {
    throw notFound(`query ${req.query} does not exist in workspace ${wsKind}`);
  }
  const argType = q.param === null ? undefined : d.app.structure(q.param);
  if (
    argType === undefined &&
    typeof req.args === 'object' &&
    req.args !== null &&
    Object.keys(req.args).length > 0
  ) {
    throw badRequest('args are not expected');
  }
  const arg =
    argType === undefined ? undefined : buildArgument(d.app, argType, req.args ?? {}, 'args');
  const fn = d.queries.get(req.query);
  if (fn === undefined) throw new ProcessorError(500, `query ${req.query} has no implementation`);
  const argObject =
    arg === undefined
      ? undefined
      : ({ 'sys.QName': arg.qname, ...arg.fields } as Record<string, unknown>);
  return { resultType: q.result, rows: streamRows(d, req.wsid, argObject, fn) };
}

function streamRows(
  d: Deployment,
  wsid: number,
  args: Record<string, unknown> | undefined,
  fn: (ctx: QueryContext) => void | Promise<void>,
): AsyncIterable<FieldValues> {
  const { structs } = d;
  return {
    [Symbol.asyncIterator]() {
      const channel = new RowChannel();
      const ctx: QueryContext = {
        wsid,
        args,
        log: d.host.log,
        secret: d.host.secrets,
        records: recordReader(structs.names, (id) => structs.getRecord(wsid, id)),
        views: {
          get: (view, key) => structs.getView(wsid, structs.view(view), key),
          read: (view, key) => structs.readView(wsid, structs.view(view), key),
        },
        wlog: {
          get: (offset) => structs.getWLogEvent(wsid, offset),
          read: (from, count) => structs.readWLog(wsid, from, from + count),
        },
        emit: (row) => channel.push(row),
      };
      Promise.resolve()
        .then(() => fn(ctx))
        .then(
          () => channel.end(),
          (error: unknown) =>
            channel.fail(
              error instanceof ProcessorError
                ? error
                : new ProcessorError(500, error instanceof Error ? error.message : String(error), {
                    cause: error,
                  }),
            ),
        );
      return channel;
    },
  };
}

/**
 * A one-slot hand-over between the query function and the consumer: `push` resolves when the
 * consumer has taken the row; when the consumer stops early, further pushes reject so the
 * function stops too.
 */
class RowChannel implements AsyncIterator<FieldValues> {
  private row: FieldValues | undefined;
  private done = false;
  private error: unknown;
  private closed = false;
  private taken: (() => void) | undefined;
  private available: (() => void) | undefined;

  push(row: FieldValues): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the query result is no longer read'));
    this.row = row;
    this.available?.();
    return new Promise((resolve) => {
      this.taken = resolve;
    });
  }

  end(): void {
    this.done = true;
    this.available?.();
  }

  fail(error: unknown): void {
    this.error = error;
    this.done = true;
    this.available?.();
  }

  async next(): Promise<IteratorResult<FieldValues>> {
    for (;;) {
      if (this.row !== undefined) {
        const row = this.row;
        this.row = undefined;
        const taken = this.taken;
        this.taken = undefined;
        taken?.();
        return { value: row, done: false };
      }
      if (this.done) {
        if (this.error !== undefined) throw this.error;
        return { value: undefined, done: true };
      }
      await new Promise<void>((resolve) => {
        this.available = resolve;
      });
      this.available = undefined;
    }
  }

  async return(): Promise<IteratorResult<FieldValues>> {
    this.closed = true;
    this.taken?.();
    return { value: undefined, done: true };
  }
}
