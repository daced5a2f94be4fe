import type { ViewDef } from '../../schema/index.js';
import type { KvBatchItem } from '../../storage/index.js';
import type { AppStructs, DbEvent, RecordRow, ViewRow } from '../../structs/index.js';

interface PendingView {
  readonly wsid: number;
  readonly view: ViewDef;
  readonly row: ViewRow;
  /** The row's storage key, computed once for the map key and the batch item. */
  readonly pk: Uint8Array;
  readonly cc: Uint8Array;
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
    const { pk, cc } = structs.viewKey(wsid, view, row);
    this.views.set(keyString(pk, cc), { wsid, view, row, pk, cc });
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
    for (const { view, row, pk, cc } of this.views.values()) {
      items.push({ pk, cc, value: structs.encodeViewRow(view, row) });
    }
    return items;
  }
}

/** A storage key as a map key; the partition key is self-delimiting, so a separator suffices. */
export function keyString(pk: Uint8Array, cc: Uint8Array): string {
  const p = Buffer.from(pk.buffer, pk.byteOffset, pk.byteLength).toString('latin1');
  const c = Buffer.from(cc.buffer, cc.byteOffset, cc.byteLength).toString('latin1');
  return `${p}\u0000${c}`;
}

/**
 * Records a partition has recently written or read. The partition is the only writer of its
 * workspaces' records, so once a batch is durable its records can be served from here; the
 * oldest entries are dropped beyond the limit.
 */
export class RecordCache {
  private readonly map = new Map<string, RecordRow>();

  constructor(private readonly limit = 20_000) {}

  get(wsid: number, id: number): RecordRow | undefined {
    return this.map.get(WriteSet.recordKey(wsid, id));
  }

  set(key: string, row: RecordRow): void {
    this.map.delete(key);
    this.map.set(key, row);
    if (this.map.size > this.limit) this.map.delete(this.map.keys().next().value as string);
  }

  clear(): void {
    this.map.clear();
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
    private readonly cache?: RecordCache,
  ) {}

  async getRecord(wsid: number, id: number): Promise<RecordRow | undefined> {
    const key = WriteSet.recordKey(wsid, id);
    for (const layer of this.layers) {
      const r = layer.records.get(key);
      if (r !== undefined) return r;
    }
    if (this.cache === undefined) return this.structs.getRecord(wsid, id);
    const cached = this.cache.get(wsid, id);
    if (cached !== undefined) return cached;
    const stored = await this.structs.getRecord(wsid, id);
    if (stored !== undefined) this.cache.set(key, stored);
    return stored;
  }

  async getView(wsid: number, view: ViewDef, key: ViewRow): Promise<ViewRow | undefined> {
    if (this.layers.some((l) => l.views.size > 0)) {
      const { pk, cc } = this.structs.viewKey(wsid, view, key);
      const k = keyString(pk, cc);
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
      const { pk, cc } = this.structs.viewKey(wsid, view, row);
      const k = keyString(pk, cc);
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
