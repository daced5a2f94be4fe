// API v2 document writes as CUDs (http-api.md §2.3): a document with its nested records in one
// JSON object becomes the inserts of `sys.CUD`; raw IDs are given depth-first in pre-order from 1.
import type { AppDef, StructureDef } from '../../schema/index.js';
import { HttpError } from '../http-errors.js';

interface Cud {
  readonly fields: Record<string, unknown>;
}

const O_KINDS = new Set(['ODoc', 'ORecord']);

/** The table a v2 docs route names; 405 for ODoc/ORecord, which only command arguments create. */
export function docTable(app: AppDef, qname: string): StructureDef {
  const type = app.structure(qname);
  if (type === undefined || type.kind === 'Object') {
    throw new HttpError(400, `table ${qname} is not defined`);
  }
  if (O_KINDS.has(type.kind)) {
    throw new HttpError(
      405,
      'cannot operate on the ODoc\\ORecord in any way other than through command arguments',
    );
  }
  return type;
}

/** The inserts of a document and its nested records, parents before children. */
export function insertCuds(app: AppDef, table: StructureDef, body: Record<string, unknown>): Cud[] {
  const cuds: Cud[] = [];
  let nextRawId = 1;
  const visit = (
    type: StructureDef,
    object: Record<string, unknown>,
    parent?: { id: unknown; container: string },
  ) => {
    const position = nextRawId++;
    const explicit = object['sys.ID'];
    if (explicit !== undefined && typeof explicit !== 'number') {
      throw new HttpError(400, 'field "sys.ID" must be json.Number');
    }
    const id = explicit ?? position;
    const fields: Record<string, unknown> = { 'sys.ID': id, 'sys.QName': type.name };
    if (parent !== undefined) {
      fields['sys.ParentID'] = parent.id;
      fields['sys.Container'] = parent.container;
    }
    const nested: [StructureDef, Record<string, unknown>, string][] = [];
    for (const [name, value] of Object.entries(object)) {
      if (name === 'sys.ID') continue;
      const container = type.containers.find((c) => c.name === name);
      if (container === undefined) {
        fields[name] = value;
        continue;
      }
      if (!Array.isArray(value)) {
        throw new HttpError(400, `container ${name} of ${type.name} must be an array of objects`);
      }
      const childType = app.structure(container.type) as StructureDef;
      for (const child of value) {
        if (typeof child !== 'object' || child === null || Array.isArray(child)) {
          throw new HttpError(400, `container ${name} of ${type.name} must be an array of objects`);
        }
        nested.push([childType, child as Record<string, unknown>, name]);
      }
    }
    cuds.push({ fields });
    for (const [childType, child, container] of nested) visit(childType, child, { id, container });
  };
  visit(table, body);
  return cuds;
}
