// Uploads and downloads of BLOBs (http-api.md §5), whatever the API that carries them: the sys
// helper functions that authorise and register a BLOB, the content in the application's BLOB
// store, and the status update that marks a persistent BLOB complete. The reference's blob
// processor (pkg/processors/blobber) runs the same steps in the same order.
import { type Engine, ProcessorError } from '../../processors/index.js';
import type { AppDef } from '../../schema/index.js';
import {
  type BlobKey,
  BlobStore,
  isSuuidText,
  newSuuid,
  type StoredBlob,
} from '../../structs/index.js';
import { BLOB_STATUS_COMPLETED } from './blobs.js';

/** The content of an upload and what the uploader says about it. */
export interface BlobUpload {
  readonly name: string;
  readonly contentType: string;
  /** Read only as fast as it is stored; left unread beyond `maxSize` bytes. */
  readonly content: AsyncIterable<Uint8Array>;
  /** More bytes than this fail the upload with the store's BlobTooLargeError. */
  readonly maxSize: number;
}

/** The table and `blob` field a persistent BLOB is uploaded for (API v2). */
export interface BlobOwnerField {
  readonly record: string;
  readonly field: string;
}

/** How long temporary BLOBs can live, by their name in URLs and headers (only a day, for now). */
const TEMP_BLOB_TTLS = {
  '1d': { seconds: 86400, register: 'sys.RegisterTempBLOB1d' },
} as const;

export type TempBlobTtl = keyof typeof TEMP_BLOB_TTLS;

export function isTempBlobTtl(text: string): text is TempBlobTtl {
  return Object.hasOwn(TEMP_BLOB_TTLS, text);
}

const stores = new WeakMap<Engine, BlobStore>();

/** The BLOB store of an application: in its keyspace, timestamps by its clock. */
export function blobStoreOf(engine: Engine): BlobStore {
  let store = stores.get(engine);
  if (store === undefined) {
    store = new BlobStore(engine.structs.storage, { clock: engine.deployment.host.clock });
    stores.set(engine, store);
  }
  return store;
}

/**
 * The checks of an API v2 persistent upload on its owner table and field, with the reference's
 * messages (400). Like the reference, any ID field passes as "of blob type".
 */
export function checkBlobOwnerField(app: AppDef, owner: BlobOwnerField): void {
  if (app.type(owner.record) === undefined) {
    throw new ProcessorError(400, `blob owner QName ${owner.record} is unknown`);
  }
  const field = app.structure(owner.record)?.fields.find((f) => f.name === owner.field);
  if (field === undefined) {
    throw new ProcessorError(
      400,
      `blob owner field ${owner.field} does not exist in blob owner ${owner.record}`,
    );
  }
  if (field.data !== 'RecordID') {
    throw new ProcessorError(400, `blob owner ${owner.record}.${owner.field} must be of blob type`);
  }
}

/**
 * Stores a persistent BLOB and resolves its ID: c.sys.UploadBLOBHelper (the caller's checks, and
 * the sys.BLOB record whose ID the BLOB takes), the content, then the record's status set to
 * completed. The status update runs as the platform: the content is stored by then, and a later
 * refusal would leave the record saying otherwise. A failed upload leaves the record with an
 * unknown status and no content, as the reference does.
 */
export async function uploadPersistentBlob(
  engine: Engine,
  wsid: number,
  upload: BlobUpload,
  owner?: BlobOwnerField,
): Promise<number> {
  const registered = await engine.command({
    wsid,
    command: 'sys.UploadBLOBHelper',
    args: owner === undefined ? {} : { OwnerRecord: owner.record, OwnerRecordField: owner.field },
  });
  const blobId = registered.newIds['1'];
  if (blobId === undefined) {
    throw new ProcessorError(500, 'sys.UploadBLOBHelper did not create the sys.BLOB record');
  }
  await blobStoreOf(engine).write(
    { kind: 'persistent', wsid, blobId },
    { name: upload.name, contentType: upload.contentType },
    upload.content,
    { maxSize: upload.maxSize },
  );
  await engine.command({
    wsid,
    command: 'sys.CUD',
    system: true,
    cuds: [{ 'sys.ID': blobId, fields: { status: BLOB_STATUS_COMPLETED } }],
  });
  return blobId;
}

/**
 * Stores a temporary BLOB and resolves its SUUID: the TTL's registering command (the caller's
 * checks; it writes no record), then the content, every row of it with the TTL.
 */
export async function uploadTemporaryBlob(
  engine: Engine,
  wsid: number,
  upload: BlobUpload,
  ttl: TempBlobTtl,
): Promise<string> {
  const { seconds, register } = TEMP_BLOB_TTLS[ttl];
  await engine.command({ wsid, command: register });
  const suuid = newSuuid();
  await blobStoreOf(engine).write(
    { kind: 'temporary', wsid, suuid },
    { name: upload.name, contentType: upload.contentType },
    upload.content,
    { maxSize: upload.maxSize, ttlSeconds: seconds },
  );
  return suuid;
}

/** A completed persistent BLOB by its ID; 404 when there is none. */
export function openPersistentBlob(
  engine: Engine,
  wsid: number,
  blobId: number,
): Promise<StoredBlob> {
  return openBlob(engine, { kind: 'persistent', wsid, blobId });
}

/** A temporary BLOB by its SUUID; 404 when there is none or it has expired. */
export function openTemporaryBlob(
  engine: Engine,
  wsid: number,
  suuid: string,
): Promise<StoredBlob> {
  if (!isSuuidText(suuid)) return Promise.reject(blobNotFound());
  return openBlob(engine, { kind: 'temporary', wsid, suuid });
}

async function openBlob(engine: Engine, key: BlobKey): Promise<StoredBlob> {
  const blob = await blobStoreOf(engine).open(key);
  if (blob === undefined) throw blobNotFound();
  return blob;
}

function blobNotFound(): ProcessorError {
  return new ProcessorError(404, 'BLOB not found');
}

/**
 * The ID of the BLOB a record's field holds (API v2 downloads name the owner record, not the
 * BLOB), with the reference's answers: the record is read as API v2 reads a document (400 for a
 * table not in the workspace, 404 for a missing record), then the field must be set and hold an
 * ID (400).
 */
export async function blobIdOfOwner(
  engine: Engine,
  wsid: number,
  owner: BlobOwnerField & { readonly id: number },
): Promise<number> {
  const doc = await engine.readDoc({ wsid, qname: owner.record, id: owner.id });
  const value = doc[owner.field];
  if (value === undefined || value === null) {
    throw new ProcessorError(
      400,
      `no value for owner field ${owner.field} in blob owner doc ${owner.record}`,
    );
  }
  const field = engine.app.structure(owner.record)?.fields.find((f) => f.name === owner.field);
  if (field?.data !== 'RecordID' || typeof value !== 'number') {
    throw new ProcessorError(400, `owner field ${owner.record}.${owner.field} is not of blob type`);
  }
  return value;
}

/** q.sys.DownloadBLOBAuthnz in the workspace: the caller's checks before a BLOB is sent. */
export async function authorizeBlobDownload(engine: Engine, wsid: number): Promise<void> {
  const { rows } = await engine.query({ wsid, query: 'sys.DownloadBLOBAuthnz' });
  for await (const _ of rows) {
    // A void query has no rows; draining it lets it finish.
  }
}
