// The sys package's BLOB functions (core.md §7, http-api.md §5). They carry no BLOB content: the
// server runs them with the caller's request before it stores or sends a BLOB, so that the
// processors' checks (workspace, ACL, rate limits) decide whether it may, and UploadBLOBHelper
// creates the sys.BLOB record whose ID becomes the new BLOB's ID. `blob-transfer.ts` runs them.
import type { CommandFunction, QueryFunction } from '../../extensions/index.js';
import {
  BLOB_OWNER_RECORD,
  BLOB_OWNER_RECORD_FIELD,
  BLOB_TABLE,
} from '../../processors/command/blob-ownership.js';

/** sys.BLOB.status: the reference's BLOBStatus numbers. */
export const BLOB_STATUS_UNKNOWN = 0;
export const BLOB_STATUS_COMPLETED = 2;

/**
 * c.sys.UploadBLOBHelper(OwnerRecord, OwnerRecordField): books the ID of a new persistent BLOB by
 * creating its sys.BLOB record (raw ID 1, so the answer's NewIDs["1"] is the BLOB's ID), with the
 * table and field it is meant for (none for an API v1 upload) and an unknown status until the
 * content is stored.
 */
export const uploadBlobHelper: CommandFunction = (ctx) => {
  const fields: Record<string, unknown> = { status: BLOB_STATUS_UNKNOWN };
  for (const name of [BLOB_OWNER_RECORD, BLOB_OWNER_RECORD_FIELD]) {
    const v = ctx.args?.[name];
    if (typeof v === 'string' && v !== '') fields[name] = v;
  }
  ctx.records.insert(BLOB_TABLE, fields);
};

/** c.sys.RegisterTempBLOB1d: only its checks matter; a temporary BLOB has no record. */
export const registerTempBlob1d: CommandFunction = () => {};

/** q.sys.DownloadBLOBAuthnz: only its checks matter (the caller may read the workspace's BLOBs). */
export const downloadBlobAuthnz: QueryFunction = () => {};

/** c.sys.DownloadBLOBHelper: deprecated by q.sys.DownloadBLOBAuthnz; does nothing, as before. */
export const downloadBlobHelper: CommandFunction = () => {};
