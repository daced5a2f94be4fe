// A partition: one command queue, one writer, group commit (ARCHITECTURE.md mechanism 2).
import { type DbEvent, FIRST_OFFSET, FIRST_RECORD_ID } from '../../structs/index.js';
import {
  type CommandOutcome,
  type CommandRequest,
  type CommandResult,
  executeCommand,
  type WorkspaceCounters,
} from '../command/command-processor.js';
import type { Deployment } from '../deployment.js';
import { ProcessorError, toProcessorError } from '../processor-error.js';
import type { GroupWriter } from './group-writer.js';
import { LayeredReader, RecordCache, WriteSet } from './write-set.js';

/** What a partition reports once a batch is durable. */
export interface CommittedBatch {
  readonly partition: number;
  readonly outcomes: readonly CommandOutcome[];
}

export interface PartitionOptions {
  /** At most this many commands in one batch. */
  readonly maxBatchCommands?: number;
  /** Stop adding commands to a batch once it holds this many storage rows. */
  readonly maxBatchRows?: number;
  readonly onCommit?: (batch: CommittedBatch) => void;
  /** Joins this partition's writes with the other partitions' (default: write alone). */
  readonly writer?: GroupWriter;
}

interface Pending {
  readonly req: CommandRequest;
  readonly resolve: (r: CommandResult) => void;
  readonly reject: (e: ProcessorError) => void;
}

/** The in-memory state a partition recovers from its log. */
interface PartitionState {
  nextPLogOffset: number;
  readonly workspaces: Map<number, WorkspaceCounters>;
}

/**
 * Commands of a partition's workspaces run here one after another, never in parallel. The
 * partition takes every command waiting in its queue, executes each against the writes of the
 * ones before it, writes them all in one storage batch, and answers each caller when that batch
 * is durable. While a batch is being written the next one is already executing on top of it; it
 * is written only after the first is durable, and fails with it when the first write fails.
 */
export class Partition {
  private readonly queue: Pending[] = [];
  private running = false;
  private state: PartitionState | undefined;
  /** The batch being written: its writes are visible to the next batch's commands. */
  private inflight: WriteSet | undefined;
  private idle: Promise<void> = Promise.resolve();
  /** Wakes the loop waiting on a write when a command arrives. */
  private arrived: (() => void) | undefined;
  private readonly cache = new RecordCache();
  /** The PLog offset of the last durable event of this partition (0 when there is none). */
  lastCommittedOffset = 0;
  private readonly maxBatchCommands: number;
  private readonly maxBatchRows: number;

  constructor(
    readonly id: number,
    private readonly deployment: Deployment,
    private readonly options: PartitionOptions = {},
  ) {
    this.maxBatchCommands = options.maxBatchCommands ?? 1000;
    this.maxBatchRows = options.maxBatchRows ?? 50_000;
  }

  submit(req: CommandRequest): Promise<CommandResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ req, resolve, reject });
      if (!this.running) this.idle = this.run();
      else if (this.arrived !== undefined) {
        const wake = this.arrived;
        this.arrived = undefined;
        wake();
      }
    });
  }

  /** Resolves when every command submitted so far has been answered. */
  async drain(): Promise<void> {
    while (this.running) await this.idle;
  }

  /** Rebuilds offsets and ID counters from the partition log (core.md §4.5). */
  async recover(): Promise<void> {
    const state: PartitionState = { nextPLogOffset: FIRST_OFFSET, workspaces: new Map() };
    for await (const event of this.deployment.structs.readPLog(this.id, FIRST_OFFSET)) {
      advance(state, event);
    }
    this.state = state;
    this.lastCommittedOffset = state.nextPLogOffset - 1;
    this.cache.clear();
  }

  private async run(): Promise<void> {
    this.running = true;
    /** The write of the previous batch, while it is under way. */
    let previous: Promise<boolean> | undefined;
    try {
      for (;;) {
        if (this.queue.length === 0) {
          if (previous === undefined) break;
          // Wait for the write or for a new command, whichever comes first: a command that
          // arrives now executes at once, on top of the batch being written.
          const first = await Promise.race([
            previous.then(() => 'written' as const),
            this.arrival(),
          ]);
          if (first === 'written') {
            previous = undefined;
            continue;
          }
        }
        if (this.state === undefined) {
          if (previous !== undefined) await previous;
          previous = undefined;
          await this.recover();
        }
        const state = this.state as PartitionState;
        const batch = new WriteSet();
        const done: { pending: Pending; outcome: CommandOutcome }[] = [];
        let rows = 0;
        // The batch grows while the previous one is being written: commands that arrive in the
        // meantime join it, so a slow write makes the next batch bigger, not later.
        const full = () => done.length >= this.maxBatchCommands || rows >= this.maxBatchRows;
        for (;;) {
          while (this.queue.length > 0 && !full()) {
            const pending = this.queue.shift() as Pending;
            const outcome = await this.execute(state, batch, pending);
            if (outcome !== undefined) {
              done.push({ pending, outcome });
              const e = outcome.event;
              rows += 2 + e.creates.length + e.updates.length + outcome.views.size * 2;
            }
          }
          if (previous === undefined || full()) break;
          const first = await Promise.race([
            previous.then(() => 'written' as const),
            this.arrival(),
          ]);
          if (first === 'written') break;
        }
        const ok = previous === undefined ? true : await previous;
        previous = undefined;
        if (!ok) {
          // The batch underneath this one was not written: this one was built on it.
          const retry = new ProcessorError(
            503,
            `partition ${this.id} is recovering after a failed write, retry`,
          );
          for (const { pending } of done) pending.reject(retry);
          this.state = undefined;
          continue;
        }
        if (done.length === 0) continue;
        this.inflight = batch;
        previous = this.write(batch, done);
      }
    } finally {
      this.running = false;
      this.arrived = undefined;
    }
    if (this.queue.length > 0) this.idle = this.run();
  }

  /** Resolves when the next command is submitted. */
  private arrival(): Promise<'arrived'> {
    return new Promise((resolve) => {
      this.arrived = () => resolve('arrived');
    });
  }

  /** Runs one command; on failure it is answered at once and leaves no trace. */
  private async execute(
    state: PartitionState,
    batch: WriteSet,
    pending: Pending,
  ): Promise<CommandOutcome | undefined> {
    const wsid = pending.req.wsid;
    let counters = state.workspaces.get(wsid);
    const isNew = counters === undefined;
    counters ??= { nextWLogOffset: FIRST_OFFSET, nextRecordId: FIRST_RECORD_ID };
    const saved = { ...counters };
    const writes = new WriteSet();
    const layers = this.inflight === undefined ? [writes, batch] : [writes, batch, this.inflight];
    try {
      const outcome = await executeCommand(
        {
          deployment: this.deployment,
          wsid,
          partition: this.id,
          plogOffset: state.nextPLogOffset,
          counters,
          reader: new LayeredReader(this.deployment.structs, layers, this.cache),
          writes,
          now: this.deployment.host.clock(),
        },
        pending.req,
      );
      state.nextPLogOffset++;
      if (isNew) state.workspaces.set(wsid, counters);
      batch.absorb(writes);
      return outcome;
    } catch (error) {
      Object.assign(counters, saved);
      pending.reject(toProcessorError(error));
      return undefined;
    }
  }

  private async write(
    batch: WriteSet,
    done: readonly { pending: Pending; outcome: CommandOutcome }[],
  ): Promise<boolean> {
    const { structs } = this.deployment;
    try {
      const items = batch.items(structs);
      await (this.options.writer?.write(items) ?? structs.storage.putBatch(items));
    } catch (error) {
      const failure = new ProcessorError(500, `storage write failed: ${(error as Error).message}`, {
        cause: error,
      });
      for (const { pending } of done) pending.reject(failure);
      this.deployment.host.log.error(
        `partition ${this.id}: batch write failed, recovering: ${failure.message}`,
      );
      this.state = undefined;
      return false;
    } finally {
      if (this.inflight === batch) this.inflight = undefined;
    }
    for (const [key, row] of batch.records) this.cache.set(key, row);
    const last = done[done.length - 1];
    if (last !== undefined) this.lastCommittedOffset = last.outcome.event.plogOffset;
    for (const { pending, outcome } of done) pending.resolve(outcome.result);
    this.options.onCommit?.({ partition: this.id, outcomes: done.map((d) => d.outcome) });
    return true;
  }
}

function advance(state: PartitionState, event: DbEvent): void {
  state.nextPLogOffset = event.plogOffset + 1;
  let ws = state.workspaces.get(event.wsid);
  if (ws === undefined) {
    ws = { nextWLogOffset: FIRST_OFFSET, nextRecordId: FIRST_RECORD_ID };
    state.workspaces.set(event.wsid, ws);
  }
  ws.nextWLogOffset = event.wlogOffset + 1;
  const bump = (id: number) => {
    if (id >= ws.nextRecordId) ws.nextRecordId = id + 1;
  };
  for (const r of event.creates) bump(r.id);
  const visit = (n: NonNullable<DbEvent['argument']>) => {
    bump(n.id);
    for (const c of n.children) visit(c);
  };
  if (event.argument !== null) visit(event.argument);
}
