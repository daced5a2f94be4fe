// Parses the `cuds` of a request (http-api.md §2.1) into creates and updates.
import type { AppDef } from '../../schema/index.js';
import { type FieldValues, isRawId } from '../../structs/index.js';
import type { LayeredReader } from '../partition/write-set.js';
import { badRequest, forbidden, notFound } from '../processor-error.js';
import type { CreateDraft, UpdateDraft } from './drafts.js';
import { fieldOf, fieldValue } from './field-values.js';

export const MAX_CUDS = 100;

const recordKinds = new Set(['CDoc', 'CRecord', 'WDoc', 'WRecord']);
const createSysFields = new Set([
  'sys.ID',
  'sys.QName',
  'sys.ParentID',
  'sys.Container',
  'sys.IsActive',
]);

export interface ParsedCuds {
  readonly creates: CreateDraft[];
  readonly updates: UpdateDraft[];
}

export async function parseCuds(
  app: AppDef,
  cuds: unknown,
  wsid: number,
  reader: LayeredReader,
  firstIndex = 0,
): Promise<ParsedCuds> {
  if (!Array.isArray(cuds)) throw badRequest('cuds must be an array');
  if (cuds.length > MAX_CUDS) throw badRequest(`too many cuds: ${cuds.length}, max is ${MAX_CUDS}`);
  const creates: CreateDraft[] = [];
  const updates: UpdateDraft[] = [];
  for (let i = 0; i < cuds.length; i++) {
    const where = `cuds[${i + firstIndex}]`;
    const cud = cuds[i] as unknown;
    if (typeof cud !== 'object' || cud === null || Array.isArray(cud)) {
      throw badRequest(`${where}: an object is expected`);
    }
    const { fields } = cud as { fields?: unknown };
    if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
      throw badRequest(`${where}: "fields" missing`);
    }
    const f = fields as Record<string, unknown>;
    const outerId = (cud as Record<string, unknown>)['sys.ID'];
    if (outerId !== undefined) {
      if (typeof outerId !== 'number' || !Number.isInteger(outerId) || outerId <= 0) {
        throw badRequest(`${where}: "sys.ID" field missing`);
      }
      const existing = await reader.getRecord(wsid, outerId);
      if (existing === undefined) {
        throw notFound(`${where}: record with queried id ${outerId} does not exist`);
      }
      updates.push(updateDraft(app, existing, f, where));
    } else {
      creates.push(createDraft(app, f, where));
    }
  }
  return { creates, updates };
}

export function createDraft(app: AppDef, f: Record<string, unknown>, where: string): CreateDraft {
  const rawId = f['sys.ID'];
  if (typeof rawId !== 'number' || !Number.isInteger(rawId) || rawId <= 0) {
    throw badRequest(`${where}: "sys.ID" field missing`);
  }
  if (!isRawId(rawId))
    throw badRequest(`${where}: sys.ID ${rawId} of a new record must be a raw ID (1..65535)`);
  const qname = f['sys.QName'];
  if (typeof qname !== 'string') throw badRequest(`${where}: "sys.QName" field missing`);
  const type = app.structure(qname);
  if (type === undefined || !recordKinds.has(type.kind) || type.abstract) {
    throw badRequest(`${where}: ${qname} is not a table whose records a CUD can create`);
  }
  const parent = f['sys.ParentID'] ?? 0;
  if (typeof parent !== 'number' || !Number.isInteger(parent) || parent < 0) {
    throw badRequest(`${where}: sys.ParentID must be a record ID`);
  }
  const container = f['sys.Container'] ?? '';
  if (typeof container !== 'string') throw badRequest(`${where}: sys.Container must be a string`);
  const isActive = f['sys.IsActive'] ?? true;
  if (typeof isActive !== 'boolean') throw badRequest(`${where}: sys.IsActive must be a boolean`);
  if (!isActive) throw forbidden(`${where}: inserting a deactivated record is not allowed`);
  const fields: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(f)) {
    if (createSysFields.has(name)) continue;
    const fd = fieldOf(type, name);
    if (fd === undefined || fd.system)
      throw badRequest(`${where}: field «${name}» is not defined in ${qname}`);
    if (value !== null) fields[name] = fieldValue(fd, value, where);
  }
  for (const fd of type.fields) {
    if (fd.required && !fd.system && fields[fd.name] === undefined) {
      throw badRequest(`${where}: required field «${fd.name}» of ${qname} is not set`);
    }
  }
  return { qname, rawId, parentId: parent, container, fields, isActive, where };
}

export function updateDraft(
  app: AppDef,
  existing: import('../../structs/index.js').RecordRow,
  f: Record<string, unknown>,
  where: string,
): UpdateDraft {
  const type = app.structure(existing.qname);
  if (type === undefined) throw badRequest(`${where}: ${existing.qname} is not a table`);
  const fields: Record<string, unknown> = {};
  let isActive: boolean | undefined;
  for (const [name, value] of Object.entries(f)) {
    if (name === 'sys.IsActive') {
      if (typeof value !== 'boolean') throw badRequest(`${where}: sys.IsActive must be a boolean`);
      isActive = value;
      continue;
    }
    if (name === 'sys.ID' || name === 'sys.QName') {
      if (name === 'sys.QName' && value !== existing.qname) {
        throw badRequest(
          `${where}: record id ${existing.id} leads to ${existing.qname} QName whereas ${String(value)} QName is mentioned in the request`,
        );
      }
      continue;
    }
    if (name === 'sys.ParentID' || name === 'sys.Container') {
      throw badRequest(`${where}: system field ${name} cannot be updated`);
    }
    const fd = fieldOf(type, name);
    if (fd === undefined || fd.system)
      throw badRequest(`${where}: field «${name}» is not defined in ${existing.qname}`);
    if (value === null) {
      if (fd.required)
        throw badRequest(
          `${where}: required field «${name}» of ${existing.qname} cannot be emptied`,
        );
      fields[name] = null;
    } else {
      fields[name] = fieldValue(fd, value, where);
    }
  }
  if (isActive !== undefined && Object.keys(fields).length > 0) {
    throw forbidden(`${where}: an update of sys.IsActive may not change other fields`);
  }
  return { existing, fields: fields as FieldValues, isActive, where };
}
