import type { ViewDef } from '../../schema/index.js';
import type { KvBatchItem } from '../../storage/index.js';
import type { AppStructs, DbEvent, RecordRow, ViewRow } from '../../structs/index.js';

interface PendingView {
  readonly wsid: number;
  readonly view: ViewDef;
  readonly row: ViewRow;
}

/**
 * Writes not yet in storage: one command's, or a whole batch's. Reads during command processing
 * look here before storage, so each command sees the effects of the commands before it.
 */
export class WriteSet {
  readonly records = new Map<string, RecordRow>();
  readonly views = new Map<string, PendingView>();
  readonly events: { event: DbEvent; bytes: Uint8Array }[] = [];

  static recordKey(wsid: number, id: number): string {
    return `${wsid}:${id}`;
  }

  putRecord(wsid: number, row: RecordRow): void {
    this.records.set(WriteSet.recordKey(wsid, row.id), row);
  }

  putView(structs: AppStructs, wsid: number, view: ViewDef, row: ViewRow): void {
    this.views.set(structs.viewKeyString(wsid, view, row), { wsid, view, row });
  }

  /** Takes over another set's writes (a command's, once it has succeeded). */
  absorb(other: WriteSet): void {
    for (const [k, v] of other.records) this.records.set(k, v);
    for (const [k, v] of other.views) this.views.set(k, v);
    for (const e of other.events) this.events.push(e);
  }

  get empty(): boolean {
    return this.events.length === 0 && this.records.size === 0 && this.views.size === 0;
  }

  /** The storage rows of every write: events first, then records, then views. */
  items(structs: AppStructs): KvBatchItem[] {
    const items: KvBatchItem[] = [];
    for (const { event, bytes } of this.events) items.push(...structs.eventItems(event, bytes));
    for (const [key, row] of this.records) {
      items.push(structs.recordItem(Number(key.slice(0, key.indexOf(':'))), row));
    }
    for (const { wsid, view, row } of this.views.values())
      items.push(structs.viewItem(wsid, view, row));
    return items;
  }
}

/**
 * Reads through layers of pending writes (newest first) to committed storage: the command's own
 * writes, its batch's, then the batch still being written.
 */
export class LayeredReader {
  constructor(
    private readonly structs: AppStructs,
    private readonly layers: readonly WriteSet[],
  ) {}

  async getRecord(wsid: number, id: number): Promise<RecordRow | undefined> {
    const key = WriteSet.recordKey(wsid, id);
    for (const layer of this.layers) {
      const r = layer.records.get(key);
      if (r !== undefined) return r;
    }
    return this.structs.getRecord(wsid, id);
  }

  async getView(wsid: number, view: ViewDef, key: ViewRow): Promise<ViewRow | undefined> {
    if (this.layers.some((l) => l.views.size > 0)) {
      const k = this.structs.viewKeyString(wsid, view, key);
      for (const layer of this.layers) {
        const pending = layer.views.get(k);
        if (pending !== undefined) return pending.row;
      }
    }
    return this.structs.getView(wsid, view, key);
  }

  /**
   * A view range merged with pending rows. Pending rows of the range replace stored ones with
   * the same key and are yielded in key order among them.
   */
  async *readView(wsid: number, view: ViewDef, key: ViewRow): AsyncIterable<ViewRow> {
    const pending = new Map<string, ViewRow>();
    const prefix = this.structs.viewPrefixString(wsid, view, key);
    for (let i = this.layers.length - 1; i >= 0; i--) {
      for (const [k, v] of this.layers[i]!.views) {
        if (v.wsid === wsid && v.view === view && k.startsWith(prefix)) pending.set(k, v.row);
      }
    }
    if (pending.size === 0) {
      yield* this.structs.readView(wsid, view, key);
      return;
    }
    const extra = [...pending.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    let i = 0;
    for await (const row of this.structs.readView(wsid, view, key)) {
      const k = this.structs.viewKeyString(wsid, view, row);
      while (i < extra.length && extra[i]![0] < k) yield extra[i++]![1];
      if (i < extra.length && extra[i]![0] === k) {
        yield extra[i++]![1];
        continue;
      }
      yield row;
    }
    while (i < extra.length) yield extra[i++]![1];
  }

  async getWLogEvent(wsid: number, offset: number): Promise<DbEvent | undefined> {
    for (const layer of this.layers) {
      for (const e of layer.events)
        if (e.event.wsid === wsid && e.event.wlogOffset === offset) return e.event;
    }
    return this.structs.getWLogEvent(wsid, offset);
  }
}
