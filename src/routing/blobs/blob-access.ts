// Who may upload and download BLOBs: where the auth context plugs in.
import type { WorkspaceTarget } from '../http-apps.js';

/**
 * What a BLOB request wants to do, named after the sys function whose EXECUTE grant decides it in
 * the reference: `sys.UploadBLOBHelper` (granted to sys.BLOBUploader, which sys.WorkspaceOwner
 * has), `sys.RegisterTempBLOB1d` and `sys.DownloadBLOBAuthnz` (both for workspace owners).
 */
export type BlobAccess =
  | 'sys.UploadBLOBHelper'
  | 'sys.RegisterTempBLOB1d'
  | 'sys.DownloadBLOBAuthnz';

/**
 * Checks the caller's right to a BLOB operation in a workspace; throws the HttpError to answer
 * with (401 for a token that does not verify, 403 when not allowed, anonymous callers included).
 *
 * In the reference the check is not a separate step: the server runs the function named by
 * `access` with the caller's token, and the processors authenticate the token and evaluate the
 * function's EXECUTE ACL. Here the routes run those functions too (they keep the workspace
 * checks, the rate limits and the event log as the reference has them), but the processors do
 * not know principals yet: turning a token into principals and evaluating ACL is the auth
 * context's part, still to come. Until it fills this function in, it checks nothing, and every
 * request that got this far (its Authorization header well formed, or absent) is let through.
 * API v1 downloads do not call it, as the reference authorises none of them.
 */
export function checkBlobAccess(
  _target: WorkspaceTarget,
  _token: string | undefined,
  _access: BlobAccess,
): void {}
