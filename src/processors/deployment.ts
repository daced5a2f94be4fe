import type {
  BuiltinExtensions,
  CommandFunction,
  JobFunction,
  Logger,
  Mailer,
  ProjectorFunction,
  QueryFunction,
} from '../extensions/index.js';
import type { AppDef, JobDef, ProjectorDef } from '../schema/index.js';
import type { AppStructs } from '../structs/index.js';

export interface BoundProjector {
  readonly def: ProjectorDef;
  readonly fn: ProjectorFunction;
}

export interface BoundJob {
  readonly def: JobDef;
  readonly fn: JobFunction;
}

/** What an application needs from its host beyond storage. */
export interface AppHost {
  /** Milliseconds since the epoch; injected so that tests can move time. */
  readonly clock: () => number;
  readonly log: Logger;
  readonly secrets: (name: string) => Promise<string | undefined>;
  readonly mailer: Mailer | undefined;
}

/**
 * An application as the processors run it: its definition, its typed storage, and the built-in
 * functions bound to its extensions. Built once at start-up, so that a missing binding is found
 * then rather than on the first request.
 */
export class Deployment {
  readonly commands: ReadonlyMap<string, CommandFunction>;
  readonly queries: ReadonlyMap<string, QueryFunction>;
  readonly syncProjectors: readonly BoundProjector[];
  readonly asyncProjectors: readonly BoundProjector[];
  readonly jobs: readonly BoundJob[];
  /** Extensions of the application that have no function bound; answered 500 when used. */
  readonly unbound: readonly string[];

  constructor(
    readonly app: AppDef,
    readonly structs: AppStructs,
    readonly host: AppHost,
    builtin: BuiltinExtensions,
    /** Functions running the application's WASM extensions (see `extensions/wasm`). */
    wasm: BuiltinExtensions = {},
  ) {
    const commands = new Map<string, CommandFunction>();
    const queries = new Map<string, QueryFunction>();
    const sync: BoundProjector[] = [];
    const async: BoundProjector[] = [];
    const jobs: BoundJob[] = [];
    const unbound: string[] = [];
    const check = (kind: string, names: Iterable<string>, expected: string, engine: string) => {
      for (const name of names) {
        const t = app.type(name);
        if (t?.kind !== expected)
          throw new Error(
            `${kind} ${name}: no ${expected.toLowerCase()} of that name in the application`,
          );
        if ('engine' in t && t.engine !== engine) {
          // Named as VSQL spells them: EXTENSION ENGINE BUILTIN / WASM.
          const vsql = (e: string) => (e === 'BuiltIn' ? 'BUILTIN' : e);
          throw new Error(
            `${kind} ${name}: it is declared with engine ${vsql(t.engine)}, not ${vsql(engine)}`,
          );
        }
      }
    };
    for (const [bound, engine] of [
      [builtin, 'BuiltIn'],
      [wasm, 'WASM'],
    ] as const) {
      check('command', Object.keys(bound.commands ?? {}), 'Command', engine);
      check('query', Object.keys(bound.queries ?? {}), 'Query', engine);
      check('projector', Object.keys(bound.projectors ?? {}), 'Projector', engine);
      check('job', Object.keys(bound.jobs ?? {}), 'Job', engine);
    }
    for (const t of app.types()) {
      if (!('engine' in t)) continue;
      const extensions = t.engine === 'WASM' ? wasm : builtin;
      switch (t.kind) {
        case 'Command': {
          const fn = extensions.commands?.[t.name];
          if (fn) commands.set(t.name, fn);
          else unbound.push(t.name);
          break;
        }
        case 'Query': {
          const fn = extensions.queries?.[t.name];
          if (fn) queries.set(t.name, fn);
          else unbound.push(t.name);
          break;
        }
        case 'Projector': {
          const fn = extensions.projectors?.[t.name];
          if (fn) (t.sync ? sync : async).push({ def: t, fn });
          else unbound.push(t.name);
          break;
        }
        case 'Job': {
          const fn = extensions.jobs?.[t.name];
          if (fn) jobs.push({ def: t, fn });
          else unbound.push(t.name);
          break;
        }
      }
    }
    this.commands = commands;
    this.queries = queries;
    this.syncProjectors = sync;
    this.asyncProjectors = async;
    this.jobs = jobs;
    this.unbound = unbound;
  }
}
