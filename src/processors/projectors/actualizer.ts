// An async projector of one partition (core.md §4.7): reads the partition log from its saved
// offset, runs the projector on the events that trigger it, and writes the view rows together
// with the new offset. At-least-once: after a crash it resumes from the last saved offset.
import type { FederationClient, MailMessage, ProjectorCud } from '../../extensions/index.js';
import type { DbEvent, RecordRow } from '../../structs/index.js';
import type { BoundProjector, Deployment } from '../deployment.js';
import { LayeredReader, WriteSet } from '../partition/write-set.js';
import { projectorContext } from './projector-context.js';
import { projectorTriggered } from './trigger.js';

export interface ActualizerOptions {
  /** Runs commands for the projector (as the System principal). */
  readonly federation: FederationClient;
  /** Flush after this many events handled since the last flush. */
  readonly bundleEvents?: number;
  readonly minBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** Views the projector changed, after they are durable. */
  readonly onFlush?: (views: readonly { wsid: number; view: string; offset: number }[]) => void;
}

const OFFSETS_VIEW = 'sys.projectionOffsets';
const DESCRIPTOR = 'sys.WorkspaceDescriptor';

export class Actualizer {
  private offset = 0;
  private stopped = false;
  private wake: (() => void) | undefined;
  private poked = false;
  private running: Promise<void> | undefined;
  private readonly wsKinds = new Map<number, string | undefined>();
  /** Consecutive failures; the back-off grows with them. */
  failures = 0;
  lastError: Error | undefined;

  constructor(
    private readonly d: Deployment,
    readonly projector: BoundProjector,
    readonly partition: number,
    private readonly options: ActualizerOptions,
  ) {}

  get name(): string {
    return this.projector.def.name;
  }

  /** The last PLog offset whose effects are saved. */
  get savedOffset(): number {
    return this.offset;
  }

  start(): void {
    this.running ??= this.loop();
  }

  /** New events were committed in the partition. */
  poke(): void {
    this.poked = true;
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running;
  }

  private async loop(): Promise<void> {
    const min = this.options.minBackoffMs ?? 100;
    const max = this.options.maxBackoffMs ?? 180_000;
    while (!this.stopped) {
      try {
        this.offset = await this.loadOffset();
        for (;;) {
          this.poked = false;
          const progressed = await this.catchUp();
          if (this.stopped) return;
          this.failures = 0;
          this.lastError = undefined;
          if (!progressed && !this.poked) await this.sleep(Number.POSITIVE_INFINITY);
        }
      } catch (error) {
        if (this.stopped) return;
        this.failures++;
        this.lastError = error as Error;
        const delay = Math.min(max, min * 2 ** (this.failures - 1));
        this.d.host.log.error(
          `projector ${this.name} (partition ${this.partition}) failed, retrying in ${delay} ms: ${this.lastError.message}`,
        );
        await this.sleep(delay);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = Number.isFinite(ms) ? setTimeout(() => done(), ms) : undefined;
      const done = () => {
        if (timer !== undefined) clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      this.wake = done;
      if (this.stopped || (this.poked && !Number.isFinite(ms))) done();
    });
  }

  private offsetKey() {
    return { partition: this.partition, projector: this.name };
  }

  private async loadOffset(): Promise<number> {
    const { structs } = this.d;
    const row = await structs.getView(0, structs.view(OFFSETS_VIEW), this.offsetKey());
    return Number(row?.offset ?? 0);
  }

  /** Handles the events after the saved offset; true when there were any. */
  private async catchUp(): Promise<boolean> {
    const { structs, app } = this.d;
    const limit = this.options.bundleEvents ?? 100;
    let bundle = new WriteSet();
    let mails: MailMessage[] = [];
    let changed = new Map<string, { wsid: number; view: string; offset: number }>();
    let handled = 0;
    let last = this.offset;
    const flush = async () => {
      const offsetsView = structs.view(OFFSETS_VIEW);
      bundle.putView(structs, 0, offsetsView, { ...this.offsetKey(), offset: last });
      await structs.storage.putBatch(bundle.items(structs));
      this.offset = last;
      this.options.onFlush?.([...changed.values()]);
      for (const m of mails) await this.send(m);
      bundle = new WriteSet();
      mails = [];
      changed = new Map();
      handled = 0;
    };
    let any = false;
    for await (const event of structs.readPLog(this.partition, this.offset + 1)) {
      if (this.stopped) break;
      any = true;
      last = event.plogOffset;
      const cuds = await this.cudsOf(event, bundle);
      const trigger = {
        qname: event.qname,
        argumentQName: event.argument?.qname,
        error: event.error !== null,
        cuds,
      };
      if (!projectorTriggered(app, this.projector.def, trigger)) continue;
      if (!(await this.declaredIn(event.wsid))) continue;
      const reader = new LayeredReader(structs, [bundle]);
      const ctx = projectorContext(this.d, event, cuds, {
        getRecord: (id) => reader.getRecord(event.wsid, id),
        getView: (view, key) => reader.getView(event.wsid, view, key),
        readView: (view, key) => reader.readView(event.wsid, view, key),
        getWLogEvent: (offset) => reader.getWLogEvent(event.wsid, offset),
        putView: (view, row) => {
          bundle.putView(structs, event.wsid, view, row);
          changed.set(`${event.wsid}:${view.name}`, {
            wsid: event.wsid,
            view: view.name,
            offset: event.wlogOffset,
          });
        },
        sendMail: (m) => mails.push(m),
        federation: this.options.federation,
      });
      await this.projector.fn(ctx);
      if (++handled >= limit) await flush();
    }
    if (last !== this.offset) await flush();
    return any;
  }

  /** The CUDs of an event with the records as they are now (the event keeps only changed fields). */
  private async cudsOf(event: DbEvent, bundle: WriteSet): Promise<ProjectorCud[]> {
    const out: ProjectorCud[] = event.creates.map((record) => ({
      isNew: true,
      record,
      changed: record.fields,
      activation: undefined,
    }));
    if (event.updates.length === 0) return out;
    const reader = new LayeredReader(this.d.structs, [bundle]);
    for (const u of event.updates) {
      const now = await reader.getRecord(event.wsid, u.id);
      const record: RecordRow = now ?? {
        qname: u.qname,
        id: u.id,
        parentId: 0,
        container: '',
        isActive: u.isActive ?? true,
        fields: u.fields,
      };
      out.push({
        isNew: false,
        record,
        changed: u.fields,
        activation: u.isActive === undefined ? undefined : u.isActive ? 'activated' : 'deactivated',
      });
    }
    return out;
  }

  /** Whether the projector is declared in (or inherited by) the event's workspace kind. */
  private async declaredIn(wsid: number): Promise<boolean> {
    let kind = this.wsKinds.get(wsid);
    if (!this.wsKinds.has(wsid)) {
      const { structs } = this.d;
      const id = structs.names.singletonId(DESCRIPTOR);
      const descriptor = id === undefined ? undefined : await structs.getRecord(wsid, id);
      kind = descriptor === undefined ? undefined : String(descriptor.fields.WSKind);
      // A workspace being created has no descriptor yet; do not remember that.
      if (kind !== undefined) this.wsKinds.set(wsid, kind);
    }
    if (kind === undefined) return this.projector.def.workspace === 'sys.Workspace';
    return this.d.app.workspaceType(kind, this.name) !== undefined;
  }

  private async send(m: MailMessage): Promise<void> {
    const mailer = this.d.host.mailer;
    if (mailer === undefined) {
      this.d.host.log.warn(
        `projector ${this.name}: no mailer configured; mail to ${m.to.join(', ')} dropped`,
      );
      return;
    }
    await mailer(m);
  }
}
