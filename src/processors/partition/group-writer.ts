import type { KvBatchItem, KvStorage } from '../../storage/index.js';

interface Waiting {
  readonly items: readonly KvBatchItem[];
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Joins the batches of all partitions into one storage write at a time (or a few, for a store
 * that writes in parallel). Each storage commit
 * costs an fsync, and the embedded store commits transactions one after another, so sixteen
 * partitions writing on their own would wait on sixteen fsyncs; joined, they wait on one. The
 * batches that arrive while a write is under way go together in the next one. A failed write
 * fails every batch in it; each partition then recovers from its log.
 */
export class GroupWriter {
  private waiting: Waiting[] = [];
  private active = 0;
  private readonly lanes: number;

  constructor(
    private readonly storage: KvStorage,
    private readonly maxRows = 90_000,
  ) {
    // A store that runs writes in parallel (PostgreSQL, on several connections) gets several
    // lanes; batches of one partition still go one after another, since a partition submits
    // its next batch only when the previous one is durable.
    this.lanes = Math.max(1, storage.writeConcurrency ?? 1);
  }

  write(items: readonly KvBatchItem[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ items, resolve, reject });
      if (this.active < this.lanes) {
        this.active++;
        // Let the other partitions finishing in this turn join the first write too.
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    while (this.waiting.length > 0) {
      const group: Waiting[] = [];
      let rows = 0;
      while (this.waiting.length > 0) {
        const next = this.waiting[0] as Waiting;
        if (group.length > 0 && rows + next.items.length > this.maxRows) break;
        group.push(next);
        rows += next.items.length;
        this.waiting.shift();
      }
      const items =
        group.length === 1 ? (group[0] as Waiting).items : group.flatMap((w) => w.items);
      try {
        await this.storage.putBatch(items);
        for (const w of group) w.resolve();
      } catch (error) {
        for (const w of group) w.reject(error);
      }
    }
    this.active--;
  }
}
