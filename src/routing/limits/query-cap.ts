// Load shedding for reads: at most so many queries of one workspace in flight at once (the reference
// router's `wsQueryLimiter`, `MaxQueriesPerWS`). One busy workspace then cannot take every query
// processor; its extra queries get 503 with `Retry-After: 1` at once instead of waiting in line.

export interface WorkspaceQueryCapOptions {
  /** Queries one workspace may have in flight; 0 or less lifts the cap. Default 10. */
  readonly maxQueriesPerWS?: number;
}

export const DEFAULT_MAX_QUERIES_PER_WS = 10;
/** The `Retry-After` (seconds) of the 503 a capped query gets. */
export const QUERY_CAP_RETRY_AFTER_SECONDS = 1;

export class WorkspaceQueryCap {
  readonly maxQueriesPerWS: number;
  /** In-flight counts by workspace; a workspace with none is not held, so idle ones cost no memory. */
  private readonly inFlightByWs = new Map<string, number>();

  constructor(options: WorkspaceQueryCapOptions = {}) {
    this.maxQueriesPerWS = options.maxQueriesPerWS ?? DEFAULT_MAX_QUERIES_PER_WS;
  }

  /** Takes a slot for one query; false when the workspace is at its cap (nothing is taken then). */
  tryAcquire(app: string, wsid: number): boolean {
    if (this.maxQueriesPerWS <= 0) return true;
    const key = wsKey(app, wsid);
    const n = this.inFlightByWs.get(key) ?? 0;
    if (n >= this.maxQueriesPerWS) return false;
    this.inFlightByWs.set(key, n + 1);
    return true;
  }

  /** Gives back a slot taken by `tryAcquire`; one without a slot taken changes nothing. */
  release(app: string, wsid: number): void {
    if (this.maxQueriesPerWS <= 0) return;
    const key = wsKey(app, wsid);
    const n = this.inFlightByWs.get(key);
    if (n === undefined) return;
    if (n <= 1) this.inFlightByWs.delete(key);
    else this.inFlightByWs.set(key, n - 1);
  }

  /** The queries of a workspace in flight now. */
  inFlight(app: string, wsid: number): number {
    return this.inFlightByWs.get(wsKey(app, wsid)) ?? 0;
  }

  /** How many workspaces have queries in flight. */
  get busyWorkspaces(): number {
    return this.inFlightByWs.size;
  }
}

// The WSID is digits only, so it cannot run into the app name after the separator.
function wsKey(app: string, wsid: number): string {
  return `${wsid}/${app}`;
}
