// What a subscription must pass before it is made (http-api.md §4.1 pipeline): the workspace
// exists, the entity is something it can be notified of, and — with the auth issue — the
// subscriber may read it. Unlike the reference's v1 routes, which check nothing, our v1 routes
// pass the same checks: a subscriber is authorized when it subscribes.
import type { Engine } from '../../processors/index.js';
import { checkWorkspace } from '../../processors/query/index.js';
import { HttpError } from '../http-errors.js';
import { isHeartbeat } from './projection-key.js';

/** Who subscribes: the principal token of a v2 request; v1 requests carry none. */
export interface Subscriber {
  readonly token: string | undefined;
}

/**
 * Checks that `entity` of workspace `wsid` can be subscribed to in the engine's application:
 * the workspace's descriptor exists (403 `workspace is not initialized`, as the reference's
 * GetWSDesc answers; an inactive workspace is not refused, the reference does not look at the
 * status), and the entity is a view of the workspace's kind, or the heartbeat (400 otherwise:
 * the reference's ACL lookup fails with "not found" for a type the workspace lacks). Then the
 * ACL check of `authorizeSubscription`.
 */
export async function checkSubscription(
  engine: Engine,
  subscriber: Subscriber,
  wsid: number,
  entity: string,
): Promise<void> {
  const wsKind = await checkWorkspace(engine.deployment, wsid, true);
  if (!isHeartbeat(entity)) {
    const type = engine.app.workspaceType(wsKind, entity);
    if (type === undefined) {
      throw new HttpError(400, `not found: resource «${entity}» in Workspace «${wsKind}»`);
    }
    if (type.kind !== 'ViewRecord') {
      throw new HttpError(400, `${entity} is not a view: only views notify of their updates`);
    }
  }
  authorizeSubscription(engine, subscriber, wsid, entity);
}

/**
 * NOT IMPLEMENTED YET — the place of the ACL check, which comes with the auth issue.
 *
 * It is to do what the reference's n10n processor does per subscription (authnzEntities):
 * authenticate the subscriber's principal token in workspace `wsid` (401 when that fails),
 * take the roles of the principals, and check that a VSQL `SELECT` on `entity` is granted to one
 * of them in the workspace's kind (403 `forbidden` when not). v1 subscriptions, which carry no
 * token, will be checked as the auth issue decides for anonymous principals.
 *
 * Until then it refuses nothing: every subscriber that passed `checkSubscription`'s existence
 * checks is let through.
 */
function authorizeSubscription(
  _engine: Engine,
  _subscriber: Subscriber,
  _wsid: number,
  _entity: string,
): void {}
