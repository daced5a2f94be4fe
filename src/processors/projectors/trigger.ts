// When a projector runs (core.md §4.8): on the command (EXECUTE), on the argument type (EXECUTE
// WITH PARAM), and on records its event created, changed, activated or deactivated.

import type { ProjectorCud } from '../../extensions/index.js';
import { type AppDef, filterMatches, type ProjectorDef } from '../../schema/index.js';

export interface TriggerEvent {
  readonly qname: string;
  readonly argumentQName: string | undefined;
  readonly error: boolean;
  readonly cuds: readonly ProjectorCud[];
}

export function projectorTriggered(app: AppDef, p: ProjectorDef, e: TriggerEvent): boolean {
  if (e.qname === 'sys.Corrupted') return false;
  if (e.error && !p.wantErrors) return false;
  for (const on of p.events) {
    const matches = (qname: string | undefined): boolean => {
      if (qname === undefined) return false;
      const t = app.type(qname);
      return t !== undefined && filterMatches(on.filter, t);
    };
    for (const op of on.ops) {
      switch (op) {
        case 'Execute':
          if (matches(e.qname)) return true;
          break;
        case 'ExecuteWithParam':
          if (matches(e.argumentQName)) return true;
          break;
        case 'Insert':
          if (e.cuds.some((c) => c.isNew && matches(c.record.qname))) return true;
          break;
        case 'Update':
          if (e.cuds.some((c) => !c.isNew && matches(c.record.qname))) return true;
          break;
        case 'Activate':
          if (e.cuds.some((c) => c.activation === 'activated' && matches(c.record.qname)))
            return true;
          break;
        case 'Deactivate':
          if (e.cuds.some((c) => c.activation === 'deactivated' && matches(c.record.qname)))
            return true;
          break;
        default:
          break;
      }
    }
  }
  return false;
}
