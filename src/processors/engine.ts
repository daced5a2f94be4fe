// An application running on a storage: its partitions, actualizers, job scheduler and
// notifications broker, and the entry points that the HTTP layer and tests call.
import type { BuiltinExtensions, Logger, Mailer } from '../extensions/index.js';
import type { AppDef } from '../schema/index.js';
import type { KvStorage } from '../storage/index.js';
import { AppStructs, FIRST_APP_WSID_BASE, MAIN_CLUSTER_ID, newWsid } from '../structs/index.js';
import type { CommandRequest, CommandResult } from './command/command-processor.js';
import { type AppHost, Deployment } from './deployment.js';
import { NotificationBroker } from './n10n/broker.js';
import { GroupWriter } from './partition/group-writer.js';
import { Partition } from './partition/partition.js';
import { Actualizer } from './projectors/actualizer.js';
import { executeQuery, type QueryRequest } from './query/query-processor.js';
import { queryV1, queryV2, readCDocs, readDoc, readView } from './query/reads.js';
import { JobScheduler } from './scheduler/job-scheduler.js';

export interface EngineOptions {
  readonly app: AppDef;
  /** The application's qualified name, `owner/name`; notifications carry it. */
  readonly appQName: string;
  readonly storage: KvStorage;
  readonly extensions: BuiltinExtensions;
  /** The functions that run the application's WASM extensions (`wasmExtensions`). */
  readonly wasm?: BuiltinExtensions;
  /** Partitions of the application (`wsid % partitions`). Default 10, as the reference's apps. */
  readonly partitions?: number;
  /** Application workspaces (where jobs run). Default 10. */
  readonly appWorkspaces?: number;
  readonly clock?: () => number;
  readonly log?: Logger;
  readonly secrets?: (name: string) => Promise<string | undefined>;
  readonly mailer?: Mailer;
  /** Time zone of job schedules without TZ=. */
  readonly timeZone?: string;
  /** Start the actualizers and the scheduler (default true); tests of the write path turn them off. */
  readonly background?: boolean;
  readonly maxBatchCommands?: number;
}

const silentLog: Logger = { info() {}, warn() {}, error() {} };

export class Engine {
  readonly broker = new NotificationBroker();
  readonly partitions: readonly Partition[];
  readonly actualizers: readonly Actualizer[];
  readonly scheduler: JobScheduler;
  /** The application workspaces' WSIDs. */
  readonly appWorkspaces: readonly number[];

  private constructor(
    readonly deployment: Deployment,
    readonly appQName: string,
    options: EngineOptions,
  ) {
    const n = options.partitions ?? 10;
    if (!Number.isInteger(n) || n < 1 || n > 0xffff)
      throw new Error(`partitions must be 1..65535, got ${n}`);
    const federation = {
      command: (
        wsid: number,
        command: string,
        body: Omit<CommandRequest, 'wsid' | 'command'> = {},
      ) => this.command({ ...body, wsid, command, system: true }),
    };
    const actualizers: Actualizer[] = [];
    const byPartition: Actualizer[][] = Array.from({ length: n }, () => []);
    for (let p = 0; p < n; p++) {
      for (const projector of deployment.asyncProjectors) {
        const a = new Actualizer(deployment, projector, p, {
          federation,
          onFlush: (views) => {
            for (const v of views)
              this.broker.publish({ app: appQName, projection: v.view, wsid: v.wsid }, v.offset);
          },
        });
        actualizers.push(a);
        byPartition[p]!.push(a);
      }
    }
    this.actualizers = actualizers;
    const writer = new GroupWriter(deployment.structs.storage);
    this.partitions = Array.from(
      { length: n },
      (_, id) =>
        new Partition(id, deployment, {
          writer,
          ...(options.maxBatchCommands === undefined
            ? {}
            : { maxBatchCommands: options.maxBatchCommands }),
          onCommit: ({ partition, outcomes }) => {
            for (const o of outcomes) {
              for (const view of o.views) {
                this.broker.publish(
                  { app: appQName, projection: view, wsid: o.event.wsid },
                  o.event.wlogOffset,
                );
              }
            }
            for (const a of byPartition[partition]!) a.poke();
          },
        }),
    );
    this.appWorkspaces = Array.from({ length: options.appWorkspaces ?? 10 }, (_, i) =>
      newWsid(MAIN_CLUSTER_ID, FIRST_APP_WSID_BASE + i),
    );
    this.scheduler = new JobScheduler(deployment, {
      federation,
      ...(options.timeZone === undefined ? {} : { timeZone: options.timeZone }),
      onFlush: (views) => {
        for (const v of views)
          this.broker.publish({ app: appQName, projection: v.view, wsid: v.wsid }, Date.now());
      },
    });
  }

  /**
   * Opens the application's structures, recovers every partition from its log, creates the
   * application workspaces that do not exist yet, and starts actualizers and jobs.
   */
  static async start(options: EngineOptions): Promise<Engine> {
    const structs = await AppStructs.open(options.storage, options.app);
    const host: AppHost = {
      clock: options.clock ?? Date.now,
      log: options.log ?? silentLog,
      secrets: options.secrets ?? (async () => undefined),
      mailer: options.mailer,
    };
    const deployment = new Deployment(options.app, structs, host, options.extensions, options.wasm);
    const engine = new Engine(deployment, options.appQName, options);
    await Promise.all(engine.partitions.map((p) => p.recover()));
    await engine.initAppWorkspaces();
    if (options.background !== false) {
      for (const a of engine.actualizers) a.start();
      engine.scheduler.start(engine.appWorkspaces);
    }
    return engine;
  }

  get app(): AppDef {
    return this.deployment.app;
  }

  get structs(): AppStructs {
    return this.deployment.structs;
  }

  partitionOf(wsid: number): Partition {
    return this.partitions[wsid % this.partitions.length]!;
  }

  /** Runs a command in its workspace's partition; resolves once it is durable. */
  command(req: CommandRequest): Promise<CommandResult> {
    return this.partitionOf(req.wsid).submit(req);
  }

  /** Prepares a query; rejects with a ProcessorError when it cannot start, else streams rows. */
  query(req: QueryRequest) {
    return executeQuery(this.deployment, req);
  }

  /** API v1 query: body with args and the rows operators; rows as arrays per element. */
  queryV1(req: Parameters<typeof queryV1>[1]) {
    return queryV1(this.deployment, req);
  }

  /** API v2 query: args and operators from the query string. */
  queryV2(req: Parameters<typeof queryV2>[1]) {
    return queryV2(this.deployment, req);
  }

  /** API v2: one document or record by ID (singletons by 0). */
  readDoc(req: Parameters<typeof readDoc>[1]) {
    return readDoc(this.deployment, req);
  }

  /** API v2: the documents of a CDoc QName. */
  readCDocs(req: Parameters<typeof readCDocs>[1]) {
    return readCDocs(this.deployment, req);
  }

  /** API v2: rows of a view selected by `where` on its key. */
  readView(req: Parameters<typeof readView>[1]) {
    return readView(this.deployment, req);
  }

  /** Creates and initialises a workspace of a kind, as the platform (System principal). */
  async createWorkspace(ws: {
    readonly wsid: number;
    readonly kind: string;
    readonly name: string;
    readonly ownerWsid?: number;
    readonly ownerQName?: string;
    readonly ownerId?: number;
    /** The fields of the kind's descriptor. */
    readonly initData?: Record<string, unknown>;
  }): Promise<void> {
    await this.command({
      wsid: ws.wsid,
      command: 'sys.CreateWorkspace',
      system: true,
      args: {
        OwnerWSID: ws.ownerWsid ?? 0,
        ...(ws.ownerQName === undefined ? {} : { OwnerQName: ws.ownerQName }),
        OwnerID: ws.ownerId ?? 0,
        OwnerApp: this.appQName,
        WSName: ws.name,
        WSKind: ws.kind,
        WSKindInitializationData: JSON.stringify(ws.initData ?? {}),
      },
    });
  }

  private async initAppWorkspaces(): Promise<void> {
    const id = this.structs.names.singletonId('sys.WorkspaceDescriptor');
    await Promise.all(
      this.appWorkspaces.map(async (wsid, i) => {
        if (id !== undefined && (await this.structs.getRecord(wsid, id)) !== undefined) return;
        await this.createWorkspace({ wsid, kind: 'sys.AppWorkspaceWS', name: `appws-${i}` });
      }),
    );
  }

  /**
   * Resolves when every async projector has handled every event committed so far (tests and
   * demos use it instead of sleeping); rejects after `timeoutMs`.
   */
  async projectorsCaughtUp(timeoutMs = 10_000): Promise<void> {
    const targets = this.partitions.map((p) => p.lastCommittedOffset);
    const deadline = Date.now() + timeoutMs;
    while (this.actualizers.some((a) => a.savedOffset < (targets[a.partition] ?? 0))) {
      if (Date.now() > deadline)
        throw new Error(`async projectors did not catch up in ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Finishes the commands in flight, then stops actualizers and jobs. Storage stays open. */
  async stop(): Promise<void> {
    await this.scheduler.stop();
    await Promise.all(this.partitions.map((p) => p.drain()));
    await Promise.all(this.actualizers.map((a) => a.stop()));
  }
}
