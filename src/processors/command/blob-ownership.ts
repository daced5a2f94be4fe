// BLOB ownership (http-api.md §5): a persistent BLOB is uploaded for one field of one table (its
// sys.BLOB record names them), and belongs to the first record that puts its ID into that field.
// The reference does this in two steps, kept here: an event validator refuses a BLOB that is owned
// already, used twice in one event, or used in another table or field (403), and the command
// processor adds to the event an update of the BLOB's OwnerRecordID (appendBLOBOwnershipUpdaters).
import type { AppDef, FieldDef, StructureDef } from '../../schema/index.js';
import { isRawId, type RecordRow } from '../../structs/index.js';
import type { LayeredReader } from '../partition/write-set.js';
import { forbidden } from '../processor-error.js';
import { updateDraft } from './cuds.js';
import type { CreateDraft, UpdateDraft } from './drafts.js';

/** The WDoc describing a persistent BLOB; its ID is the BLOB's ID. */
export const BLOB_TABLE = 'sys.BLOB';
export const BLOB_OWNER_RECORD = 'OwnerRecord';
export const BLOB_OWNER_RECORD_FIELD = 'OwnerRecordField';
export const BLOB_OWNER_RECORD_ID = 'OwnerRecordID';

/** A `blob` field: VSQL makes it a reference to sys.BLOB. */
export function isBlobField(f: FieldDef): boolean {
  return f.data === 'RecordID' && f.refs.includes(BLOB_TABLE);
}

/** One CUD's use of a BLOB: the record (raw ID when created, ID when updated) and its field. */
interface BlobUse {
  readonly qname: string;
  readonly id: number;
  readonly field: string;
  readonly blobId: number;
  readonly where: string;
}

/**
 * Checks the BLOBs the event's CUDs put into blob fields and returns the updates that make each
 * CUD's record the owner of its BLOB. Every CUD counts, the request's and the intents' (the
 * reference sets owners only for the request's, which leaves a BLOB put by an intent free to be
 * reused). A BLOB uploaded through API v1 names no owner table: it is not checked, only owned.
 * IDs that are not stored sys.BLOB records are left to the referential integrity check.
 */
export async function blobOwnershipUpdates(
  app: AppDef,
  wsid: number,
  reader: LayeredReader,
  creates: readonly CreateDraft[],
  updates: readonly UpdateDraft[],
): Promise<UpdateDraft[]> {
  const uses: BlobUse[] = [];
  const collect = (type: StructureDef | undefined, qname: string, id: number, draft: Draft) => {
    for (const f of type === undefined ? [] : blobFieldsOf(type)) {
      const v = draft.fields[f.name];
      if (typeof v !== 'number' || v === 0 || isRawId(v)) continue;
      uses.push({ qname, id, field: f.name, blobId: v, where: draft.where });
    }
  };
  for (const c of creates) collect(app.structure(c.qname), c.qname, c.rawId, c);
  for (const u of updates) {
    collect(app.structure(u.existing.qname), u.existing.qname, u.existing.id, u);
  }
  if (uses.length === 0) return [];

  const owners: UpdateDraft[] = [];
  const usedBy = new Map<number, BlobUse>();
  for (const use of uses) {
    const blob = await reader.getRecord(wsid, use.blobId);
    if (blob === undefined || blob.qname !== BLOB_TABLE) continue;
    checkUse(use, blob, usedBy);
    // A BLOB of API v1 used twice: the first record owns it.
    if (owners.some((o) => o.existing.id === blob.id)) continue;
    owners.push(
      updateDraft(app, blob, { [BLOB_OWNER_RECORD_ID]: use.id }, `${use.where}: BLOB ${blob.id}`),
    );
  }
  return owners;
}

type Draft = Pick<CreateDraft, 'fields' | 'where'>;

const blobFields = new WeakMap<StructureDef, readonly FieldDef[]>();

/** The blob fields of a table, found once per table: every command's CUDs are looked at. */
function blobFieldsOf(type: StructureDef): readonly FieldDef[] {
  let fields = blobFields.get(type);
  if (fields === undefined) {
    fields = type.fields.filter(isBlobField);
    blobFields.set(type, fields);
  }
  return fields;
}

/** The reference's ownership validator, with its messages and its order of checks. */
function checkUse(use: BlobUse, blob: RecordRow, usedBy: Map<number, BlobUse>): void {
  const ownerRecord = String(blob.fields[BLOB_OWNER_RECORD] ?? '');
  if (ownerRecord === '') return;
  const ownerField = String(blob.fields[BLOB_OWNER_RECORD_FIELD] ?? '');
  const ownerId = Number(blob.fields[BLOB_OWNER_RECORD_ID] ?? 0);
  const mentioned = `BLOB ID ${use.blobId} mentioned in CUD ${use.qname}.${use.field}`;
  if (ownerId !== 0) {
    throw forbidden(`${mentioned} is used already in ${ownerRecord}.${ownerId}.${ownerField}`);
  }
  const earlier = usedBy.get(use.blobId);
  if (earlier !== undefined) {
    throw forbidden(`${mentioned} is used already in CUD ${earlier.qname}.${earlier.id}`);
  }
  usedBy.set(use.blobId, use);
  if (ownerRecord !== use.qname || ownerField !== use.field) {
    throw forbidden(
      `BLOB ID ${use.blobId} is intended for ${ownerRecord}.${ownerField} whereas it is being used in ${use.qname}.${use.field}`,
    );
  }
}
