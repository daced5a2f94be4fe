// The applications the server runs, by `owner/name`, and the URL checks every API route makes
// before dispatch (http-api.md §0.1): the WSID, the application, and the pseudo-WSID rewrite.
import type { Engine } from '../processors/index.js';
import { baseWsidOf } from '../structs/index.js';
import { RouterError } from './http-errors.js';

/** Base WSIDs up to this are pseudo WSIDs (a login's hash); they address an app workspace. */
const MAX_PSEUDO_BASE_WSID = 0xffff;

/** An application the server runs, and the target a request addresses in it. */
export interface AppTarget {
  readonly appQName: string;
  readonly engine: Engine;
}

export interface WorkspaceTarget extends AppTarget {
  /** The workspace, after the pseudo-WSID rewrite. */
  readonly wsid: number;
}

export class HttpApps {
  private readonly byName = new Map<string, Engine>();

  constructor(engines: readonly Engine[] = []) {
    for (const e of engines) this.add(e);
  }

  add(engine: Engine): void {
    if (this.byName.has(engine.appQName)) {
      throw new Error(`application ${engine.appQName} is already served`);
    }
    this.byName.set(engine.appQName, engine);
  }

  get engines(): readonly Engine[] {
    return [...this.byName.values()];
  }

  /** The application `owner/name`; 400 when it is not a valid name or not served here. */
  app(owner: string, name: string): AppTarget {
    const appQName = `${owner}/${name}`;
    const engine = this.byName.get(appQName);
    if (engine === undefined) {
      if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(owner) || !/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) {
        throw new RouterError(400, `invalid app QName: ${appQName}`);
      }
      throw new RouterError(400, `unknown app ${appQName}`);
    }
    return { appQName, engine };
  }

  /** The application and workspace of an API URL; a pseudo WSID becomes its app workspace. */
  workspace(owner: string, name: string, wsidText: string): WorkspaceTarget {
    const wsid = parseWsid(wsidText);
    const target = this.app(owner, name);
    return { ...target, wsid: appWorkspaceOf(target.engine, wsid) };
  }
}

/**
 * A WSID from the URL: a decimal integer. The reference takes any uint64 up to 2^63-1; WSIDs the
 * platform issues (cluster ID << 47 + base) stay below 2^53, so larger ones are refused here
 * rather than rounded.
 */
export function parseWsid(text: string): number {
  const wsid = /^[0-9]{1,16}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(wsid)) throw new RouterError(400, `invalid wsid: ${text}`);
  return wsid;
}

/** The app workspace a pseudo WSID stands for (`base % app workspaces`); other WSIDs as they are. */
export function appWorkspaceOf(engine: Engine, wsid: number): number {
  const base = baseWsidOf(wsid);
  if (base > MAX_PSEUDO_BASE_WSID) return wsid;
  const workspaces = engine.appWorkspaces;
  return workspaces[base % workspaces.length] as number;
}
