// What the API route modules share: the applications, and the gates every function call passes
// (VSQL rate limits, the per-workspace query cap).
import type { HttpApps, WorkspaceTarget } from './http-apps.js';

export interface HttpContext {
  readonly apps: HttpApps;
  /**
   * Counts a call of a command or query against the VSQL rate limits that apply to it; throws a
   * 429 HttpError with Retry-After when one is exhausted.
   */
  checkRate(target: WorkspaceTarget, fn: string, ip: string): void;
  /**
   * Takes one of the workspace's concurrent query slots; throws a 503 HttpError (empty body,
   * Retry-After: 1) when they are all taken. The returned function gives the slot back.
   */
  beginQuery(target: WorkspaceTarget): () => void;
}
