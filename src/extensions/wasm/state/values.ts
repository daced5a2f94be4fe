// The values guests read, in the field names of the reference's storages (core.md §4.10): events
// (sys.Event, sys.WLog) and records. Arguments and records are already plain objects with nested
// records as arrays under their container names, which is what `AsValue` walks.
import type { DbEvent } from '../../../structs/index.js';
import type { ArgObject, ProjectorEvent } from '../../context.js';
import { argObjectOf, recordValue } from '../../record-value.js';

type Fields = Record<string, unknown>;

/** sys.Event of a projector. */
export function projectorEventValue(e: ProjectorEvent): Fields {
  return {
    WLogOffset: e.wlogOffset,
    Workspace: e.wsid,
    RegisteredAt: e.registeredAt,
    SyncedAt: 0,
    DeviceID: 0,
    Offset: e.plogOffset,
    Synced: false,
    QName: e.qname,
    Error: errorValue(e.error, e.qname),
    ArgumentObject: e.args ?? {},
    CUDs: e.cuds.map((c) => ({ IsNew: c.isNew, ...recordValue(c.record) })),
  };
}

/** A WLog event as sys.WLog gives it. */
export function wlogEventValue(e: DbEvent): Fields {
  return {
    RegisteredAt: e.registeredAt,
    SyncedAt: e.syncedAt,
    DeviceID: e.deviceId,
    Offset: e.wlogOffset,
    Synced: e.synced,
    QName: e.error === null ? e.qname : 'sys.Error',
    Error: errorValue(e.error?.message, e.error?.originalQName ?? e.qname),
    ArgumentObject: e.argument === null ? {} : argObjectOf(e.argument),
    CUDs: [
      ...e.creates.map((r) => ({ IsNew: true, ...recordValue(r) })),
      ...e.updates.map((u) => ({
        IsNew: false,
        'sys.ID': u.id,
        'sys.QName': u.qname,
        ...(u.isActive === undefined ? {} : { 'sys.IsActive': u.isActive }),
        ...u.fields,
      })),
    ],
  };
}

function errorValue(message: string | undefined, qname: string): Fields {
  return message === undefined
    ? { ErrStr: '', ValidEvent: true, QNameFromParams: qname }
    : { ErrStr: message, ValidEvent: false, QNameFromParams: qname };
}

/** An argument as extensions get it, or an empty object when the function takes none. */
export function argValue(args: ArgObject | undefined): Fields {
  return (args as Fields | undefined) ?? {};
}
