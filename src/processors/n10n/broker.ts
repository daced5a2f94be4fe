// The in-process notifications broker (ARCHITECTURE.md mechanism 6): every commit publishes "view
// V of workspace W advanced to offset N"; subscribers re-read. Offsets, never rows, go out.

export interface ProjectionKey {
  /** The application, `owner/name`. */
  readonly app: string;
  /** The view (or projection) QName. */
  readonly projection: string;
  readonly wsid: number;
}

export type OffsetListener = (offset: number) => void;

/** How many keys keep their latest offset for late subscribers; the oldest are forgotten. */
const MAX_REMEMBERED = 100_000;

export class NotificationBroker {
  private readonly listeners = new Map<string, Set<OffsetListener>>();
  private readonly latest = new Map<string, number>();

  static keyOf(k: ProjectionKey): string {
    return `${k.app}\u0000${k.projection}\u0000${k.wsid}`;
  }

  /**
   * Calls `listener` with each offset published for the key from now on, and at once with the
   * latest offset published before, as the reference delivers it. Returns the unsubscribe call.
   */
  subscribe(key: ProjectionKey, listener: OffsetListener): () => void {
    const k = NotificationBroker.keyOf(key);
    let set = this.listeners.get(k);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(k, set);
    }
    set.add(listener);
    const last = this.latest.get(k);
    if (last !== undefined) queueMicrotask(() => listener(last));
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(k) === set) this.listeners.delete(k);
    };
  }

  publish(key: ProjectionKey, offset: number): void {
    const k = NotificationBroker.keyOf(key);
    const prev = this.latest.get(k);
    if (prev !== undefined && prev >= offset) return;
    this.latest.delete(k);
    this.latest.set(k, offset);
    if (this.latest.size > MAX_REMEMBERED) {
      this.latest.delete(this.latest.keys().next().value as string);
    }
    const set = this.listeners.get(k);
    if (set === undefined) return;
    for (const listener of set) {
      try {
        listener(offset);
      } catch {
        // A failing subscriber must not stop delivery to the others.
      }
    }
  }

  /** The number of subscriptions, for metrics and tests. */
  get subscriptions(): number {
    let n = 0;
    for (const s of this.listeners.values()) n += s.size;
    return n;
  }
}
