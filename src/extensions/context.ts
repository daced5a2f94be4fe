// The authoring interface of built-in (TypeScript) extensions: what a command, query, projector
// or job function receives. Every read goes through the platform's storages and every write is an
// intent that the platform validates and applies after the function returns, as for WASM
// extensions (core.md §4.10). Which storages a function may use depends on its kind, as in the
// reference: only commands create or change records, only projectors and jobs write views.
import type { DbEvent, FieldValues, RecordRow, ViewRow } from '../structs/index.js';

/** A record as extensions see it: its fields plus `sys.ID`, `sys.QName`, `sys.IsActive`, ... */
export type RecordValue = Readonly<Record<string, unknown>>;

/** An argument object: its fields, with nested objects as arrays under their container names. */
export type ArgObject = Readonly<Record<string, unknown>>;

export interface RecordReader {
  /** The record with this ID, or undefined. */
  get(id: number): Promise<RecordValue | undefined>;
  /** The singleton of this QName in the workspace, or undefined when it was not created yet. */
  getSingleton(qname: string): Promise<RecordValue | undefined>;
  /** The ID of the record holding these values of a unique (or UNIQUEFIELD) of `table`. */
  findUnique(table: string, values: FieldValues): Promise<number | undefined>;
}

export interface RecordWriter extends RecordReader {
  /**
   * Creates a record and returns its raw ID, which refers to it in later intents of the same
   * command (as a parent or a reference); the client sees the real ID in `NewIDs`.
   */
  insert(
    qname: string,
    fields: FieldValues & { 'sys.ParentID'?: number; 'sys.Container'?: string },
  ): number;
  /** Changes fields of an existing record; `sys.IsActive` activates or deactivates it. */
  update(id: number, fields: FieldValues): void;
}

export interface ViewReader {
  get(view: string, key: ViewRow): Promise<ViewRow | undefined>;
}

export interface ViewScanner extends ViewReader {
  /** Rows of one partition (all partition-key fields given) whose clustering columns start with the given ones. */
  read(view: string, key: ViewRow): AsyncIterable<ViewRow>;
}

export interface ViewWriter extends ViewScanner {
  /** Writes a view row (key and value fields); an existing row with the same key is replaced. */
  put(view: string, row: ViewRow): void;
}

export interface WLogReader {
  get(offset: number): Promise<DbEvent | undefined>;
}

export interface WLogScanner extends WLogReader {
  read(from: number, count: number): AsyncIterable<DbEvent>;
}

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** An e-mail to send once the projector's or job's intents are applied. */
export interface MailMessage {
  readonly from: string;
  readonly to: readonly string[];
  readonly cc?: readonly string[];
  readonly bcc?: readonly string[];
  readonly subject: string;
  readonly body: string;
}

/** Sends mail; the server configures the transport (SMTP arrives with the auth issue). */
export type Mailer = (message: MailMessage) => Promise<void>;

/** The answer of a command run through {@link FederationClient}. */
export interface FederationResult {
  readonly currentWLogOffset: number;
  readonly newIds: Readonly<Record<string, number>>;
  readonly result: FieldValues | undefined;
}

/**
 * Runs commands of the same application as the platform itself (the System principal), as the
 * reference's federation calls do. Async projectors and jobs have it; sync projectors and
 * commands do not, since they run inside a partition's batch and could wait on themselves.
 */
export interface FederationClient {
  command(
    wsid: number,
    command: string,
    body?: { readonly args?: unknown; readonly unloggedArgs?: unknown; readonly cuds?: unknown },
  ): Promise<FederationResult>;
}

interface ContextBase {
  /** The workspace the function runs in. */
  readonly wsid: number;
  readonly log: Logger;
  /** A named secret of the application, or undefined. */
  secret(name: string): Promise<string | undefined>;
}

export interface CommandContext extends ContextBase {
  /** The WLog offset the command's event will have. */
  readonly wlogOffset: number;
  /** The argument object, or undefined for a command without one. */
  readonly args: ArgObject | undefined;
  readonly unloggedArgs: ArgObject | undefined;
  readonly records: RecordWriter;
  readonly views: ViewReader;
  readonly wlog: WLogReader;
  /** Sets the result object (fields of the command's RETURNS type). */
  result(fields: FieldValues): void;
}

export interface QueryContext extends ContextBase {
  readonly args: ArgObject | undefined;
  readonly records: RecordReader;
  readonly views: ViewScanner;
  readonly wlog: WLogScanner;
  /** Sends one result row (fields of the query's RETURNS type); rows stream to the client. */
  emit(row: FieldValues): Promise<void>;
}

export interface ProjectorContext extends ContextBase {
  readonly event: ProjectorEvent;
  readonly records: RecordReader;
  readonly views: ViewWriter;
  readonly wlog: WLogScanner;
  /** Sends mail after the projector's intents are applied (async projectors and jobs only). */
  sendMail(message: MailMessage): void;
  /** Commands of this application; async projectors only (a sync projector gets an error). */
  readonly federation: FederationClient;
}

export interface JobContext extends ContextBase {
  /** The time the job was scheduled for, in milliseconds since the epoch. */
  readonly scheduledAt: number;
  readonly records: RecordReader;
  readonly views: ViewWriter;
  readonly wlog: WLogScanner;
  sendMail(message: MailMessage): void;
  readonly federation: FederationClient;
}

/** The event a projector handles, with the records its CUDs created or changed, as they are now. */
export interface ProjectorEvent {
  readonly qname: string;
  readonly wsid: number;
  readonly wlogOffset: number;
  readonly plogOffset: number;
  readonly registeredAt: number;
  readonly args: ArgObject | undefined;
  readonly error: string | undefined;
  readonly cuds: readonly ProjectorCud[];
}

export interface ProjectorCud {
  readonly isNew: boolean;
  /** The record after the change. */
  readonly record: RecordRow;
  /** The fields the CUD set (for a new record, all of them). */
  readonly changed: FieldValues;
  /** Whether the CUD activated or deactivated the record. */
  readonly activation: 'activated' | 'deactivated' | undefined;
}

export type CommandFunction = (ctx: CommandContext) => void | Promise<void>;
export type QueryFunction = (ctx: QueryContext) => void | Promise<void>;
export type ProjectorFunction = (ctx: ProjectorContext) => void | Promise<void>;
export type JobFunction = (ctx: JobContext) => void | Promise<void>;

/**
 * An application package's built-in extensions, by the qualified name of the VSQL definition
 * they implement (`pkg.Name`, with the package's local name). The platform checks at start-up
 * that each name is a BUILTIN extension of the right kind.
 */
export interface BuiltinExtensions {
  readonly commands?: Readonly<Record<string, CommandFunction>>;
  readonly queries?: Readonly<Record<string, QueryFunction>>;
  readonly projectors?: Readonly<Record<string, ProjectorFunction>>;
  readonly jobs?: Readonly<Record<string, JobFunction>>;
}

/** Declares an application's built-in extensions; it only gives them their types. */
export function defineExtensions(extensions: BuiltinExtensions): BuiltinExtensions {
  return extensions;
}

/** Merges several packages' extensions; a name bound twice is an error. */
export function mergeExtensions(...parts: readonly BuiltinExtensions[]): BuiltinExtensions {
  const merged = { commands: {}, queries: {}, projectors: {}, jobs: {} } as Record<
    keyof BuiltinExtensions,
    Record<string, unknown>
  >;
  for (const part of parts) {
    for (const kind of ['commands', 'queries', 'projectors', 'jobs'] as const) {
      for (const [name, fn] of Object.entries(part[kind] ?? {})) {
        if (name in merged[kind]) throw new Error(`extension ${name} is bound twice`);
        merged[kind][name] = fn;
      }
    }
  }
  return merged as BuiltinExtensions;
}
