// BLOB routes (http-api.md §1.1-1.2, §5): upload and download of persistent and temporary BLOBs
// on API v1 (`/blob/...`, errors as sysErr1) and API v2 (`.../docs/{table}/blobs/{field}`,
// `.../tblobs`, errors as err2). Bodies stream into the BLOB store and BLOBs stream back; the
// size limit is enforced while the body is read.
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  authorizeBlobDownload,
  type BlobOwnerField,
  blobIdOfOwner,
  checkBlobOwnerField,
  openPersistentBlob,
  openTemporaryBlob,
  uploadPersistentBlob,
  uploadTemporaryBlob,
} from '../../apps/index.js';
import type { StoredBlob } from '../../structs/index.js';
import { BlobTooLargeError } from '../../structs/index.js';
import type { WorkspaceTarget } from '../http-apps.js';
import type { HttpContext } from '../http-context.js';
import { HttpError, RouterError } from '../http-errors.js';
import { principalTokenOf } from '../principal-token.js';
import { paramsOf, type RouteRequest, route } from '../route.js';
import { type BlobAccess, checkBlobAccess } from './blob-access.js';
import { bodyOf, discardUnread, headerText, inFlightLimit, sendBlob } from './blob-http.js';
import { type UploadParams, v1UploadParams, v2UploadParams } from './upload-params.js';

export { type BlobAccess, checkBlobAccess } from './blob-access.js';

export interface BlobRoutesOptions {
  /** The largest BLOB accepted, in bytes; a larger upload is answered 413 and nothing is kept. */
  readonly maxSize: number;
  /** BLOB requests served at once before 503 (the reference's 10 BLOB processors). Default 10. */
  readonly maxInFlight?: number;
}

const WS = '/api/v2/apps/:owner/:app/workspaces/:wsid';
const QNAME = /^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/;
/** The v1 download path takes these characters only (the reference's route pattern). */
const BLOB_ID_OR_SUUID = /^[A-Za-z0-9_-]+$/;
/** Longer v1 download IDs are SUUIDs of temporary BLOBs, shorter ones persistent BLOB IDs. */
const MAX_PERSISTENT_ID_LENGTH = 40;

/** The Content-Type of each BLOB request, taken off the request before fastify looks at it. */
const contentTypes = new WeakMap<IncomingMessage, string>();

export function registerBlobRoutes(
  app: FastifyInstance,
  ctx: HttpContext,
  options: BlobRoutesOptions,
): void {
  const acquire = inFlightLimit(options.maxInFlight ?? 10);

  app.register(async (child) => {
    // Bodies reach the handlers unread, as streams, whatever their content type; a content type
    // fastify could not parse is the handlers' to refuse, with the reference's 400.
    child.removeAllContentTypeParsers();
    child.addContentTypeParser('*', (_req, _payload, done) => done(null, undefined));
    child.addHook('onRequest', async (req) => {
      const h = req.raw.headers['content-type'];
      if (h !== undefined) {
        contentTypes.set(req.raw, h);
        delete req.raw.headers['content-type'];
      }
    });

    const contentTypeOf = (req: RouteRequest) => headerText(contentTypes.get(req.raw));

    /** The workspace of the URL (pseudo WSIDs rewritten), then a slot among the BLOB requests. */
    const workspace = (req: RouteRequest, reply: FastifyReply): WorkspaceTarget => {
      const p = paramsOf(req);
      const t = ctx.apps.workspace(p.owner as string, p.app as string, p.wsid as string);
      acquire(reply);
      return t;
    };

    /** The caller may run the function that guards the operation: token, rate, ACL. */
    const authorize = (req: RouteRequest, t: WorkspaceTarget, access: BlobAccess) => {
      ctx.checkRate(t, access, req.ip);
      checkBlobAccess(t, principalTokenOf(req), access);
    };

    const upload = async (
      req: RouteRequest,
      t: WorkspaceTarget,
      params: UploadParams,
      owner?: BlobOwnerField,
    ): Promise<number | string> => {
      authorize(
        req,
        t,
        params.ttl === undefined ? 'sys.UploadBLOBHelper' : 'sys.RegisterTempBLOB1d',
      );
      const blob = {
        name: params.name,
        contentType: params.contentType,
        content: bodyOf(req.raw),
        maxSize: options.maxSize,
      };
      try {
        return params.ttl === undefined
          ? await uploadPersistentBlob(t.engine, t.wsid, blob, owner)
          : await uploadTemporaryBlob(t.engine, t.wsid, blob, params.ttl);
      } catch (error) {
        if (error instanceof BlobTooLargeError) throw new HttpError(413, error.message);
        throw error;
      } finally {
        discardUnread(req.raw);
      }
    };

    /** API v2 downloads: the caller's q.sys.DownloadBLOBAuthnz, then the BLOB. */
    const sendAuthorized = async (
      req: RouteRequest,
      reply: FastifyReply,
      t: WorkspaceTarget,
      blob: StoredBlob,
    ) => {
      authorize(req, t, 'sys.DownloadBLOBAuthnz');
      await authorizeBlobDownload(t.engine, t.wsid);
      return sendBlob(reply, blob);
    };

    route(child, '/blob/:owner/:app/:wsid', 'v1', {
      POST: async (req, reply) => {
        const t = workspace(req, reply);
        const params = v1UploadParams(queryOf(req), contentTypeOf(req));
        const id = await upload(req, t, params);
        return reply.status(200).type('text/plain').send(String(id));
      },
    });

    // No authorisation at all on API v1 downloads: a reference quirk clients rely on.
    const v1Download = async (req: RouteRequest, reply: FastifyReply) => {
      const t = workspace(req, reply);
      const id = paramsOf(req).blobIdOrSuuid as string;
      // Outside the reference's route pattern: no route, as the not-found handler answers.
      if (!BLOB_ID_OR_SUUID.test(id)) {
        throw new RouterError(404, `no route for ${req.method} ${req.url.split('?')[0]}`);
      }
      if (id.length > MAX_PERSISTENT_ID_LENGTH) {
        return sendBlob(reply, await openTemporaryBlob(t.engine, t.wsid, id));
      }
      return sendBlob(reply, await openPersistentBlob(t.engine, t.wsid, decimalId(id, 'BLOB ID')));
    };
    route(child, '/blob/:owner/:app/:wsid/:blobIdOrSuuid', 'v1', {
      GET: v1Download,
      POST: v1Download,
    });

    route(child, `${WS}/docs/:qname/blobs/:field`, 'v2', {
      POST: async (req, reply) => {
        const t = workspace(req, reply);
        const owner = ownerOf(req);
        const params = v2UploadParams(v2Headers(req, contentTypeOf(req)), {
          temporary: false,
          checkOwner: () => checkBlobOwnerField(t.engine.app, owner),
        });
        const blobID = await upload(req, t, params, owner);
        return reply.status(201).send({ blobID });
      },
    });

    route(child, `${WS}/docs/:qname/:id/blobs/:field`, 'v2', {
      GET: async (req, reply) => {
        const t = workspace(req, reply);
        const owner = ownerOf(req);
        const ownerId = decimalId(paramsOf(req).id as string, 'record ID');
        // The owner record is read as the caller, as a v2 document read (its token first).
        principalTokenOf(req);
        const blobId = await blobIdOfOwner(t.engine, t.wsid, { ...owner, id: ownerId });
        return sendAuthorized(req, reply, t, await openPersistentBlob(t.engine, t.wsid, blobId));
      },
    });

    route(child, `${WS}/tblobs`, 'v2', {
      POST: async (req, reply) => {
        const t = workspace(req, reply);
        const params = v2UploadParams(v2Headers(req, contentTypeOf(req)), { temporary: true });
        const blobSUUID = await upload(req, t, params);
        return reply.status(201).send({ blobSUUID });
      },
    });

    route(child, `${WS}/tblobs/:suuid`, 'v2', {
      GET: async (req, reply) => {
        const t = workspace(req, reply);
        const blob = await openTemporaryBlob(t.engine, t.wsid, paramsOf(req).suuid as string);
        return sendAuthorized(req, reply, t, blob);
      },
    });
  });
}

function queryOf(req: RouteRequest): URLSearchParams {
  const q = req.url.indexOf('?');
  return new URLSearchParams(q < 0 ? '' : req.url.slice(q + 1));
}

function v2Headers(req: RouteRequest, contentType: string) {
  return {
    blobName: headerText(req.headers['blob-name']),
    contentType,
    ttl: req.headers.ttl === undefined ? undefined : headerText(req.headers.ttl),
  };
}

/** The owner table and field of a v2 URL (`.../docs/{pkg}.{table}/.../blobs/{field}`). */
function ownerOf(req: RouteRequest): BlobOwnerField {
  const p = paramsOf(req);
  const record = p.qname as string;
  if (!QNAME.test(record)) throw new HttpError(400, `invalid QName: ${record}`);
  return { record, field: p.field as string };
}

function decimalId(text: string, what: string): number {
  const id = /^[0-9]{1,16}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(id)) throw new HttpError(400, `invalid ${what}: ${text}`);
  return id;
}
