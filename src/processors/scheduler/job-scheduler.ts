// Runs JOBs on their cron schedules (core.md §4.9): one timer per job and application workspace,
// each in the partition that owns the workspace. A job's view writes are applied when it returns.
import type { FederationClient, JobContext, MailMessage } from '../../extensions/index.js';
import type { BoundJob, Deployment } from '../deployment.js';
import { LayeredReader, WriteSet } from '../partition/write-set.js';
import { recordReader } from '../record-reader.js';
import { type CronSchedule, parseCronSchedule } from './cron-schedule.js';

export interface JobSchedulerOptions {
  readonly federation: FederationClient;
  /** The time zone of schedules without TZ=; the server's by default. */
  readonly timeZone?: string;
  /** Views the job changed, once durable. */
  readonly onFlush?: (views: readonly { wsid: number; view: string }[]) => void;
}

interface Timer {
  readonly job: BoundJob;
  readonly wsid: number;
  readonly schedule: CronSchedule;
  handle: NodeJS.Timeout | undefined;
}

/** setTimeout cannot wait longer than about 24.8 days; longer waits are taken in steps. */
const MAX_TIMEOUT = 2 ** 31 - 1;

export class JobScheduler {
  private readonly timers: Timer[] = [];
  private stopped = false;
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly d: Deployment,
    private readonly options: JobSchedulerOptions,
  ) {}

  /** Schedules every job in each of the given application workspaces. */
  start(appWorkspaces: readonly number[]): void {
    for (const job of this.d.jobs) {
      const schedule = parseCronSchedule(
        job.def.cron,
        this.options.timeZone ? { defaultTimeZone: this.options.timeZone } : {},
      );
      for (const wsid of appWorkspaces) {
        const t: Timer = { job, wsid, schedule, handle: undefined };
        this.timers.push(t);
        this.arm(t, this.d.host.clock());
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t.handle);
    await Promise.all(this.running);
  }

  private arm(t: Timer, after: number): void {
    if (this.stopped) return;
    const at = t.schedule.next(after);
    if (Number.isNaN(at)) {
      this.d.host.log.warn(`job ${t.job.def.name}: its schedule '${t.job.def.cron}' never fires`);
      return;
    }
    const wait = () => {
      const delay = at - this.d.host.clock();
      if (delay > MAX_TIMEOUT) {
        t.handle = setTimeout(wait, MAX_TIMEOUT);
        return;
      }
      t.handle = setTimeout(
        () => {
          const run = this.run(t.job, t.wsid, at).finally(() => this.running.delete(run));
          this.running.add(run);
          this.arm(t, at);
        },
        Math.max(0, delay),
      );
    };
    wait();
  }

  /** Runs a job once now (also used by tests and `vpm`); errors are logged, never thrown. */
  async run(job: BoundJob, wsid: number, scheduledAt: number): Promise<void> {
    const { structs } = this.d;
    const bundle = new WriteSet();
    const mails: MailMessage[] = [];
    const changed = new Map<string, { wsid: number; view: string }>();
    const reader = new LayeredReader(structs, [bundle]);
    const ctx: JobContext = {
      wsid,
      scheduledAt,
      log: this.d.host.log,
      secret: this.d.host.secrets,
      records: recordReader(structs.names, (id) => reader.getRecord(wsid, id)),
      views: {
        get: (view, key) => reader.getView(wsid, structs.view(view), key),
        read: (view, key) => reader.readView(wsid, structs.view(view), key),
        put: (view, row) => {
          bundle.putView(structs, wsid, structs.view(view), row);
          changed.set(view, { wsid, view });
        },
      },
      wlog: {
        get: (offset) => structs.getWLogEvent(wsid, offset),
        read: (from, count) => structs.readWLog(wsid, from, from + count),
      },
      sendMail: (m) => mails.push(m),
      federation: this.options.federation,
    };
    try {
      await job.fn(ctx);
      if (!bundle.empty) await structs.storage.putBatch(bundle.items(structs));
      this.options.onFlush?.([...changed.values()]);
      const mailer = this.d.host.mailer;
      for (const m of mails) {
        if (mailer === undefined)
          this.d.host.log.warn(`job ${job.def.name}: no mailer configured; mail dropped`);
        else await mailer(m);
      }
    } catch (error) {
      this.d.host.log.error(
        `job ${job.def.name} in workspace ${wsid} failed: ${(error as Error).message}`,
      );
    }
  }
}
