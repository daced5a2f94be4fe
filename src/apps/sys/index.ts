// The sys package's behaviour as built-in extensions (core.md §7).
import type { BuiltinExtensions, CommandFunction, QueryFunction } from '../../extensions/index.js';
import type { AppDef } from '../../schema/index.js';
import type { AppStructs } from '../../structs/index.js';
import {
  downloadBlobAuthnz,
  downloadBlobHelper,
  registerTempBlob1d,
  uploadBlobHelper,
} from './blobs.js';
import { journal } from './journal.js';
import { collection, echo, getCDoc, grCount, modules, state } from './queries.js';
import {
  applyUniques,
  projectorCollection,
  projectorWLogDates,
  recordsRegistryProjector,
} from './record-projectors.js';
import { sqlQuery } from './sql-query.js';
import {
  applyDeactivateWorkspace,
  createWorkspace,
  initializeWorkspace,
  initiateDeactivateWorkspace,
} from './workspace.js';

/** CUD does nothing itself: the command processor applies the request's CUDs. */
const noop: CommandFunction = () => {};

export interface SysOptions {
  readonly clock: () => number;
  /** The running application, for the queries that read storage directly (SqlQuery). */
  readonly runtime: () => {
    readonly structs: AppStructs;
    readonly partitions: number;
    readonly appQName: string;
  };
}

function sqlQueryFunction(app: AppDef, options: SysOptions): QueryFunction {
  return async (ctx) => {
    const { structs, partitions, appQName } = options.runtime();
    const rows = sqlQuery(
      { app, structs, wsid: ctx.wsid, partitions, appQName },
      String(ctx.args?.Query ?? ''),
    );
    for await (const Result of rows) await ctx.emit({ Result });
  };
}

export function sysExtensions(app: AppDef, options: SysOptions): BuiltinExtensions {
  return {
    commands: {
      'sys.CUD': noop,
      'sys.Init': noop,
      'sys.CreateWorkspace': createWorkspace(app, options.clock),
      'sys.InitiateDeactivateWorkspace': initiateDeactivateWorkspace,
      'sys.UploadBLOBHelper': uploadBlobHelper,
      'sys.RegisterTempBLOB1d': registerTempBlob1d,
      'sys.DownloadBLOBHelper': downloadBlobHelper,
    },
    queries: {
      'sys.Echo': echo,
      'sys.GRCount': grCount,
      'sys.Modules': modules,
      'sys.Collection': collection(app),
      'sys.GetCDoc': getCDoc,
      'sys.State': state,
      'sys.Journal': journal(app),
      'sys.SqlQuery': sqlQueryFunction(app, options),
      'sys.DownloadBLOBAuthnz': downloadBlobAuthnz,
    },
    projectors: {
      'sys.RecordsRegistryProjector': recordsRegistryProjector,
      'sys.ApplyUniques': applyUniques(app),
      'sys.ProjectorCollection': projectorCollection(app),
      'sys.ProjectorWLogDates': projectorWLogDates,
      'sys.InitializeWorkspace': initializeWorkspace,
      'sys.ApplyDeactivateWorkspace': applyDeactivateWorkspace,
    },
  };
}
