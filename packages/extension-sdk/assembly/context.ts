// Shortcuts for what most extensions do: read their context and arguments, emit a result, log,
// read a secret, read and write records and view rows.

// biome-ignore lint/style/useImportType: AssemblyScript has no type-only imports
import {
  Intent,
  KeyBuilder,
  keyBuilder,
  mustGetValue,
  newValue,
  queryValue,
  updateValue,
  Value,
} from './state';

/** The storages, as `keyBuilder`'s first argument. */
export namespace Storage {
  /** Records by `ID` (int64), or a singleton by `IsSingleton` = true with its QName as entity. */
  export const Record: string = 'sys.Record';
  /** View rows; entity = the view; key = its key fields. */
  export const View: string = 'sys.View';
  /** A table's unique fields -> `ID`; entity = the table. */
  export const Uniq: string = 'sys.Uniq';
  /** The workspace log by `Offset` (and `Count` to read several events). */
  export const WLog: string = 'sys.WLog';
  /** Projectors: the event being projected. */
  export const Event: string = 'sys.Event';
  /** Commands: Workspace, WLogOffset, ArgumentObject, ArgumentUnloggedObject. */
  export const CommandContext: string = 'sys.CommandContext';
  /** Queries: Workspace, ArgumentObject. */
  export const QueryContext: string = 'sys.QueryContext';
  /** Jobs: Workspace, UnixTime. */
  export const JobContext: string = 'sys.JobContext';
  /** Application secrets by `Secret` (the name). */
  export const AppSecret: string = 'sys.AppSecret';
  /** A command's result, or a query's rows (one per new value). */
  export const Result: string = 'sys.Result';
  /** Log lines: key `LogLevel`, intent field `Message`. */
  export const Logger: string = 'sys.Logger';
  /** E-mail: key From, To, CC, BCC, Subject, Body…; a new value sends it. */
  export const SendMail: string = 'sys.SendMail';
}

/** `sys.Logger`'s levels. */
export enum LogLevel {
  Error = 1,
  Warning = 2,
  Info = 3,
  Verbose = 4,
  Trace = 5,
}

/** Writes a line to the server's log. */
export namespace log {
  export function write(level: LogLevel, message: string): void {
    newValue(keyBuilder(Storage.Logger).putInt32('LogLevel', level)).putString('Message', message);
  }
  export function error(message: string): void {
    write(LogLevel.Error, message);
  }
  export function warn(message: string): void {
    write(LogLevel.Warning, message);
  }
  export function info(message: string): void {
    write(LogLevel.Info, message);
  }
  export function verbose(message: string): void {
    write(LogLevel.Verbose, message);
  }
  export function trace(message: string): void {
    write(LogLevel.Trace, message);
  }
}

/** A command's context: Workspace, WLogOffset, ArgumentObject, ArgumentUnloggedObject. */
export function commandContext(): Value {
  return mustGetValue(keyBuilder(Storage.CommandContext));
}

/** A command's argument object (its parameter type, or the ODoc it takes). */
export function commandArgs(): Value {
  return commandContext().asValue('ArgumentObject');
}

/** A command's unlogged argument object. */
export function commandUnloggedArgs(): Value {
  return commandContext().asValue('ArgumentUnloggedObject');
}

/** A query's context: Workspace, ArgumentObject. */
export function queryContext(): Value {
  return mustGetValue(keyBuilder(Storage.QueryContext));
}

/** A query's argument object. */
export function queryArgs(): Value {
  return queryContext().asValue('ArgumentObject');
}

/** A job's context: Workspace, UnixTime. */
export function jobContext(): Value {
  return mustGetValue(keyBuilder(Storage.JobContext));
}

/**
 * A projector's event: WLogOffset, Workspace, RegisteredAt, QName, ArgumentObject, CUDs (an array
 * of values with IsNew and the record's fields), Error.
 */
export function event(): Value {
  return mustGetValue(keyBuilder(Storage.Event));
}

/** A new result: a command's result object, or, in a query, the next row it returns. */
export function result(): Intent {
  return newValue(keyBuilder(Storage.Result));
}

/** The content of an application secret. */
export function appSecret(name: string): string {
  return mustGetValue(keyBuilder(Storage.AppSecret).putString('Secret', name)).asString('Content');
}

/** The record with ID `id` (the call fails if there is none). */
export function record(id: i64): Value {
  return mustGetValue(keyBuilder(Storage.Record).putInt64('ID', id));
}

/** The record with ID `id`, or null. */
export function queryRecord(id: i64): Value | null {
  return queryValue(keyBuilder(Storage.Record).putInt64('ID', id));
}

/**
 * Commands: a new record of `table` (`pkg.Table`); `rawId` (1, 2, …) is the raw ID other new
 * records of the same command refer to it by. Put its fields on the intent.
 */
export function newRecord(table: string, rawId: i64): Intent {
  return newValue(keyBuilder(Storage.Record, table)).putInt64('sys.ID', rawId);
}

/** Commands: changes the record with ID `id`, whose current value is `current`. */
export function updateRecord(id: i64, current: Value): Intent {
  return updateValue(keyBuilder(Storage.Record).putInt64('ID', id), current);
}

/** A key builder for a row of `view` (`pkg.View`). */
export function viewKey(view: string): KeyBuilder {
  return keyBuilder(Storage.View, view);
}
