// WASM guests on the engine's extension contexts: a module's exports bound to the application's
// WASM-engine commands, queries, projectors and jobs as ordinary extension functions.
import type { AppDef } from '../../../schema/index.js';
import type {
  BuiltinExtensions,
  CommandFunction,
  JobFunction,
  ProjectorFunction,
  QueryFunction,
} from '../../context.js';
import type { WasmModule } from '../wasm-module.js';
import { ContextState, type GuestContext } from './context-state.js';
import { ReadCache } from './read-cache.js';

export { ContextState, type GuestContext } from './context-state.js';
export { ReadCache } from './read-cache.js';

/** Runs extension `name` of `module` against a context and applies its intents. */
export async function runGuest(
  module: WasmModule,
  app: AppDef,
  name: string,
  guest: GuestContext,
): Promise<void> {
  const cache = new ReadCache();
  const state = await module.run(name, () => new ContextState(app, guest, cache));
  await state.apply();
}

/**
 * The extension functions of the WASM-engine definitions of package `pkg` (its local name),
 * each calling the export named after the definition's entity. A definition the module does not
 * export is an error here, at start-up, as in the reference ("missing exported function").
 */
export function wasmExtensions(module: WasmModule, app: AppDef, pkg: string): BuiltinExtensions {
  const commands: Record<string, CommandFunction> = {};
  const queries: Record<string, QueryFunction> = {};
  const projectors: Record<string, ProjectorFunction> = {};
  const jobs: Record<string, JobFunction> = {};
  for (const t of app.types()) {
    if (!('engine' in t) || t.engine !== 'WASM' || !t.name.startsWith(`${pkg}.`)) continue;
    const name = t.name.slice(pkg.length + 1);
    if (!module.has(name))
      throw new Error(`missing exported function: ${name} (${t.kind} ${t.name})`);
    switch (t.kind) {
      case 'Command':
        commands[t.name] = (ctx) => runGuest(module, app, name, { kind: 'command', ctx });
        break;
      case 'Query':
        queries[t.name] = (ctx) => runGuest(module, app, name, { kind: 'query', ctx });
        break;
      case 'Projector':
        projectors[t.name] = (ctx) => runGuest(module, app, name, { kind: 'projector', ctx });
        break;
      case 'Job':
        jobs[t.name] = (ctx) => runGuest(module, app, name, { kind: 'job', ctx });
        break;
    }
  }
  return { commands, queries, projectors, jobs };
}
