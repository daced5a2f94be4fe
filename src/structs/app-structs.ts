import type { AppDef, ViewDef } from '../schema/index.js';
import type { KvBatchItem, KvStorage } from '../storage/index.js';
import {
  decodeEvent,
  decodeRecord,
  decodeViewRow,
  encodeEvent,
  encodeRecord,
  encodeViewRow,
} from './codec.js';
import { chunkOf, firstOfChunk, lowCc, lowCcEnd, plogPk, recordPk, wlogPk } from './keys.js';
import { NameRegistry } from './name-registry.js';
import type { DbEvent, ObjectNode, RecordRow, ViewRow } from './types.js';
import { prefixEnd, viewCc, viewPk } from './view-keys.js';

export const RECORDS_REGISTRY = 'sys.RecordsRegistry';

/** The sys.RecordsRegistry key of an ID: its partition holds 2^18 consecutive IDs. */
export function recordsRegistryKey(id: number): { IDHi: number; ID: number } {
  return { IDHi: Math.floor(id / 2 ** 18), ID: id };
}

/**
 * Typed persistence of one application on the storage contract: events in the partition and
 * workspace logs, records, and view rows. It reads committed data and builds the batch items
 * that the command processor and the actualizers write; it never writes on its own.
 */
export class AppStructs {
  private constructor(
    readonly storage: KvStorage,
    readonly app: AppDef,
    readonly names: NameRegistry,
  ) {}

  static async open(storage: KvStorage, app: AppDef): Promise<AppStructs> {
    const containers = new Set<string>();
    const singletons: string[] = [];
    for (const t of app.types()) {
      if ('containers' in t) for (const c of t.containers) containers.add(c.name);
      if ('singleton' in t && t.singleton && !t.abstract) singletons.push(t.name);
    }
    const names = await NameRegistry.open(storage, {
      qnames: app.types().map((t) => t.name),
      containers,
      singletons,
    });
    return new AppStructs(storage, app, names);
  }

  view(qname: string): ViewDef {
    const t = this.app.type(qname);
    if (t?.kind !== 'ViewRecord') throw new Error(`${qname} is not a view`);
    return t;
  }

  // Records -----------------------------------------------------------------------------------

  async getRecord(wsid: number, id: number): Promise<RecordRow | undefined> {
    const value = await this.storage.get(recordPk(wsid, id), lowCc(id));
    return value === undefined ? undefined : decodeRecord(this.names, value);
  }

  recordItem(wsid: number, row: RecordRow): KvBatchItem {
    return { pk: recordPk(wsid, row.id), cc: lowCc(row.id), value: encodeRecord(this.names, row) };
  }

  // Events ------------------------------------------------------------------------------------

  encodeEvent(event: DbEvent): Uint8Array {
    return encodeEvent(this.names, event);
  }

  /** The PLog and WLog rows of an event: the same bytes under both keys. */
  eventItems(event: DbEvent, bytes: Uint8Array): [KvBatchItem, KvBatchItem] {
    return [
      { pk: plogPk(event.partition, event.plogOffset), cc: lowCc(event.plogOffset), value: bytes },
      { pk: wlogPk(event.wsid, event.wlogOffset), cc: lowCc(event.wlogOffset), value: bytes },
    ];
  }

  /** The partition's events from `from` on, in offset order, up to (excluding) `to` when given. */
  readPLog(partition: number, from: number, to?: number): AsyncIterable<DbEvent> {
    return this.readLog((o) => plogPk(partition, o), from, to);
  }

  /** The workspace's events from `from` on, in offset order, up to (excluding) `to` when given. */
  readWLog(wsid: number, from: number, to?: number): AsyncIterable<DbEvent> {
    return this.readLog((o) => wlogPk(wsid, o), from, to);
  }

  async getWLogEvent(wsid: number, offset: number): Promise<DbEvent | undefined> {
    const value = await this.storage.get(wlogPk(wsid, offset), lowCc(offset));
    return value === undefined ? undefined : decodeEvent(this.names, value);
  }

  private async *readLog(
    pkOf: (offset: number) => Uint8Array,
    from: number,
    to: number | undefined,
  ): AsyncIterable<DbEvent> {
    // Offsets are contiguous, so the log ends at the first chunk that is not full.
    for (let chunk = chunkOf(from); ; chunk++) {
      const start = Math.max(from, firstOfChunk(chunk));
      const endOfChunk = firstOfChunk(chunk + 1);
      const end = to === undefined || to >= endOfChunk ? undefined : lowCcEnd(to);
      if (to !== undefined && start >= to) return;
      let last = start - 1;
      for await (const page of this.storage.readPages(pkOf(start), lowCc(start), end)) {
        for (const { cc, value } of page) {
          last = firstOfChunk(chunk) + ((cc[0]! << 8) | cc[1]!);
          yield decodeEvent(this.names, value);
        }
      }
      if (to !== undefined && to <= endOfChunk) return;
      // A chunk that does not reach its last offset is where the log ends.
      if (last < endOfChunk - 1) return;
    }
  }

  /** Where sys.RecordsRegistry says a record was created: its QName and WLog offset. */
  async registeredRecord(
    wsid: number,
    id: number,
  ): Promise<{ qname: string; wlogOffset: number } | undefined> {
    const row = await this.getView(wsid, this.view(RECORDS_REGISTRY), recordsRegistryKey(id));
    return row === undefined
      ? undefined
      : { qname: String(row.QName), wlogOffset: Number(row.WLogOffset) };
  }

  /**
   * An O document or record by ID. O records are kept only inside the event that carried them;
   * sys.RecordsRegistry says which event (core.md §3.7, the reference's `GetORec`). A caller that
   * has already read the registry passes what it found.
   */
  async getORecord(
    wsid: number,
    id: number,
    registered?: { readonly wlogOffset: number },
  ): Promise<RecordRow | undefined> {
    const reg = registered ?? (await this.registeredRecord(wsid, id));
    if (reg === undefined) return undefined;
    const event = await this.getWLogEvent(wsid, reg.wlogOffset);
    const find = (n: ObjectNode | null): RecordRow | undefined => {
      if (n === null) return undefined;
      if (n.id === id) {
        const { qname, parentId, container, fields } = n;
        return { qname, id, parentId, container, isActive: true, fields };
      }
      for (const c of n.children) {
        const found = find(c);
        if (found !== undefined) return found;
      }
      return undefined;
    };
    return find(event?.argument ?? null);
  }

  // Views -------------------------------------------------------------------------------------

  viewItem(wsid: number, view: ViewDef, row: ViewRow): KvBatchItem {
    return {
      pk: viewPk(this.names, view, wsid, row),
      cc: viewCc(this.names, view, row),
      value: encodeViewRow(this.names, view, row),
    };
  }

  /** The storage key of a view row. */
  viewKey(wsid: number, view: ViewDef, row: ViewRow): { pk: Uint8Array; cc: Uint8Array } {
    return { pk: viewPk(this.names, view, wsid, row), cc: viewCc(this.names, view, row) };
  }

  encodeViewRow(view: ViewDef, row: ViewRow): Uint8Array {
    return encodeViewRow(this.names, view, row);
  }

  /** The start of the key strings of the rows {@link readView} reads with this key. */
  viewPrefixString(wsid: number, view: ViewDef, key: ViewRow): string {
    const pk = viewPk(this.names, view, wsid, key);
    const cc = viewCc(this.names, view, key, true);
    return `${Buffer.from(pk).toString('latin1')}\u0000${Buffer.from(cc).toString('latin1')}`;
  }

  async getView(wsid: number, view: ViewDef, key: ViewRow): Promise<ViewRow | undefined> {
    const value = await this.storage.get(
      viewPk(this.names, view, wsid, key),
      viewCc(this.names, view, key),
    );
    return value === undefined ? undefined : decodeViewRow(this.names, view, value);
  }

  /**
   * The rows of one view partition (every partition-key field set in `key`) whose clustering
   * columns start with the ones set in `key`, left to right, in key order.
   */
  async *readView(wsid: number, view: ViewDef, key: ViewRow): AsyncIterable<ViewRow> {
    const pk = viewPk(this.names, view, wsid, key);
    const from = viewCc(this.names, view, key, true);
    const to = from.length === 0 ? undefined : prefixEnd(from);
    for await (const page of this.storage.readPages(pk, from, to)) {
      for (const { value } of page) yield decodeViewRow(this.names, view, value);
    }
  }
}
