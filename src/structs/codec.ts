// Value encodings. Every stored value starts with a version byte so the format can change later
// without a migration; the body is MessagePack (msgpackr) of compact arrays, with QNames and
// container names as the registry's small numbers.
import { Packr } from 'msgpackr';
import type { ViewDef } from '../schema/index.js';
import type { NameRegistry } from './name-registry.js';
import type {
  DbEvent,
  FieldValues,
  ObjectNode,
  RecordRow,
  RecordUpdate,
  ViewRow,
} from './types.js';

const VERSION_1 = 1;

// Plain maps and arrays only: msgpackr's record extension would need its structures stored too.
const packr = new Packr({ useRecords: false, mapsAsObjects: true });

function frame(body: unknown): Uint8Array {
  const packed = packr.pack(body);
  const out = new Uint8Array(packed.length + 1);
  out[0] = VERSION_1;
  out.set(packed, 1);
  return out;
}

function unframe(value: Uint8Array): unknown {
  const version = value[0];
  if (version !== VERSION_1) throw new Error(`unknown stored value version ${version}`);
  return packr.unpack(value.subarray(1));
}

type RecordTuple = [number, number, number, number, 0 | 1, FieldValues];

function recordTuple(names: NameRegistry, r: RecordRow): RecordTuple {
  return [
    names.qnameId(r.qname),
    r.id,
    r.parentId,
    names.containerId(r.container),
    r.isActive ? 1 : 0,
    r.fields,
  ];
}

function recordOf(names: NameRegistry, t: RecordTuple): RecordRow {
  return {
    qname: names.qname(t[0]),
    id: t[1],
    parentId: t[2],
    container: names.container(t[3]),
    isActive: t[4] === 1,
    fields: t[5] ?? {},
  };
}

export function encodeRecord(names: NameRegistry, r: RecordRow): Uint8Array {
  return frame(recordTuple(names, r));
}

export function decodeRecord(names: NameRegistry, value: Uint8Array): RecordRow {
  return recordOf(names, unframe(value) as RecordTuple);
}

type NodeTuple = [number, number, number, number, FieldValues, NodeTuple[]];

function nodeTuple(names: NameRegistry, n: ObjectNode): NodeTuple {
  return [
    names.qnameId(n.qname),
    n.id,
    n.parentId,
    names.containerId(n.container),
    n.fields,
    n.children.map((c) => nodeTuple(names, c)),
  ];
}

function nodeOf(names: NameRegistry, t: NodeTuple): ObjectNode {
  return {
    qname: names.qname(t[0]),
    id: t[1],
    parentId: t[2],
    container: names.container(t[3]),
    fields: t[4] ?? {},
    children: t[5].map((c) => nodeOf(names, c)),
  };
}

type UpdateTuple = [number, number, FieldValues, -1 | 0 | 1];

type EventTuple = [
  qname: number,
  partition: number,
  plogOffset: number,
  wsid: number,
  wlogOffset: number,
  registeredAt: number,
  synced: 0 | 1,
  deviceId: number,
  syncedAt: number,
  error: [string, string] | null,
  argument: NodeTuple | null,
  unlogged: NodeTuple | null,
  creates: RecordTuple[],
  updates: UpdateTuple[],
];

export function encodeEvent(names: NameRegistry, e: DbEvent): Uint8Array {
  const t: EventTuple = [
    names.qnameId(e.qname),
    e.partition,
    e.plogOffset,
    e.wsid,
    e.wlogOffset,
    e.registeredAt,
    e.synced ? 1 : 0,
    e.deviceId,
    e.syncedAt,
    e.error === null ? null : [e.error.message, e.error.originalQName],
    e.argument === null ? null : nodeTuple(names, e.argument),
    e.unlogged === null ? null : nodeTuple(names, e.unlogged),
    e.creates.map((r) => recordTuple(names, r)),
    e.updates.map(
      (u): UpdateTuple => [
        names.qnameId(u.qname),
        u.id,
        u.fields,
        u.isActive === undefined ? -1 : u.isActive ? 1 : 0,
      ],
    ),
  ];
  return frame(t);
}

export function decodeEvent(names: NameRegistry, value: Uint8Array): DbEvent {
  const t = unframe(value) as EventTuple;
  return {
    qname: names.qname(t[0]),
    partition: t[1],
    plogOffset: t[2],
    wsid: t[3],
    wlogOffset: t[4],
    registeredAt: t[5],
    synced: t[6] === 1,
    deviceId: t[7],
    syncedAt: t[8],
    error: t[9] === null ? null : { message: t[9][0], originalQName: t[9][1] },
    argument: t[10] === null ? null : nodeOf(names, t[10]),
    unlogged: t[11] === null ? null : nodeOf(names, t[11]),
    creates: t[12].map((r) => recordOf(names, r)),
    updates: t[13].map(
      (u): RecordUpdate => ({
        qname: names.qname(u[0]),
        id: u[1],
        fields: u[2] ?? {},
        isActive: u[3] === -1 ? undefined : u[3] === 1,
      }),
    ),
  };
}

/**
 * A view row is stored whole (key fields too), so a read needs no key decoding. Fields of kind
 * `record` hold a whole record and `QName` fields a name; both are stored as registry numbers.
 */
export function encodeViewRow(names: NameRegistry, view: ViewDef, row: ViewRow): Uint8Array {
  return frame(mapViewFields(view, row, (kind, v) => encodeViewField(names, kind, v)));
}

export function decodeViewRow(names: NameRegistry, view: ViewDef, value: Uint8Array): ViewRow {
  return mapViewFields(view, unframe(value) as ViewRow, (kind, v) =>
    decodeViewField(names, kind, v),
  );
}

function mapViewFields(
  view: ViewDef,
  row: ViewRow,
  map: (kind: string, v: unknown) => unknown,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const part of [view.partitionKey, view.clusteringColumns, view.value]) {
    for (const f of part) {
      if (f.system) continue;
      const v = row[f.name];
      if (v !== undefined) out[f.name] = map(f.data, v);
    }
  }
  return out;
}

function encodeViewField(names: NameRegistry, kind: string, v: unknown): unknown {
  if (kind === 'Record' && v !== null) return recordTuple(names, v as RecordRow);
  if (kind === 'QName' && typeof v === 'string') return v === '' ? 0 : names.qnameId(v);
  return v;
}

function decodeViewField(names: NameRegistry, kind: string, v: unknown): unknown {
  if (kind === 'Record' && Array.isArray(v)) return recordOf(names, v as RecordTuple);
  if (kind === 'QName' && typeof v === 'number') return v === 0 ? '' : names.qname(v);
  return v;
}
