// The sys package's behaviour as built-in extensions (core.md §7).
import type { BuiltinExtensions, CommandFunction } from '../../extensions/index.js';
import type { AppDef } from '../../schema/index.js';
import { collection, echo, getCDoc, grCount, modules, state } from './queries.js';
import {
  applyUniques,
  projectorCollection,
  projectorWLogDates,
  recordsRegistryProjector,
} from './record-projectors.js';
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
}

export function sysExtensions(app: AppDef, options: SysOptions): BuiltinExtensions {
  return {
    commands: {
      'sys.CUD': noop,
      'sys.Init': noop,
      'sys.CreateWorkspace': createWorkspace(app, options.clock),
      'sys.InitiateDeactivateWorkspace': initiateDeactivateWorkspace,
    },
    queries: {
      'sys.Echo': echo,
      'sys.GRCount': grCount,
      'sys.Modules': modules,
      'sys.Collection': collection(app),
      'sys.GetCDoc': getCDoc,
      'sys.State': state,
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
