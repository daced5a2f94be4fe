import type {
  FederationClient,
  MailMessage,
  ProjectorContext,
  ProjectorCud,
  ProjectorEvent,
} from '../../extensions/index.js';
import { argObjectOf } from '../../extensions/index.js';
import type { ViewDef } from '../../schema/index.js';
import type { DbEvent, RecordRow, ViewRow } from '../../structs/index.js';
import type { Deployment } from '../deployment.js';
import { recordReader } from '../record-reader.js';

/** Where a projector's (or job's) reads go and its intents land; the runner decides. */
export interface ProjectorSources {
  getRecord(id: number): Promise<RecordRow | undefined>;
  getView(view: ViewDef, key: ViewRow): Promise<ViewRow | undefined>;
  readView(view: ViewDef, key: ViewRow): AsyncIterable<ViewRow>;
  getWLogEvent(offset: number): Promise<DbEvent | undefined>;
  putView(view: ViewDef, row: ViewRow): void;
  sendMail(message: MailMessage): void;
  readonly federation: FederationClient;
}

export function projectorEventOf(event: DbEvent, cuds: readonly ProjectorCud[]): ProjectorEvent {
  return {
    qname: event.qname,
    wsid: event.wsid,
    wlogOffset: event.wlogOffset,
    plogOffset: event.plogOffset,
    registeredAt: event.registeredAt,
    args: event.argument === null ? undefined : argObjectOf(event.argument),
    error: event.error?.message,
    cuds,
  };
}

export function projectorContext(
  d: Deployment,
  event: DbEvent,
  cuds: readonly ProjectorCud[],
  src: ProjectorSources,
): ProjectorContext {
  const { structs } = d;
  return {
    wsid: event.wsid,
    event: projectorEventOf(event, cuds),
    log: d.host.log,
    secret: d.host.secrets,
    records: recordReader(structs.names, (id) => src.getRecord(id)),
    views: {
      get: (view, key) => src.getView(structs.view(view), key),
      read: (view, key) => src.readView(structs.view(view), key),
      put: (view, row) => src.putView(structs.view(view), row),
    },
    wlog: {
      get: (offset) => src.getWLogEvent(offset),
      read: (from, count) => structs.readWLog(event.wsid, from, from + count),
    },
    sendMail: (message) => src.sendMail(message),
    federation: src.federation,
  };
}
