// Builds a command's or query's argument object from request JSON (core.md §4.1-4.3): fields
// converted and checked against the parameter type, nested objects under their containers, raw
// IDs for ODoc/ORecord arguments.
import type { AppDef, StructureDef } from '../../schema/index.js';
import { isRawId } from '../../structs/index.js';
import { badRequest } from '../processor-error.js';
import type { ArgDraft } from './drafts.js';
import { fieldOf, fieldValue } from './field-values.js';

const sysArgFields = new Set([
  'sys.ID',
  'sys.ParentID',
  'sys.QName',
  'sys.Container',
  'sys.IsActive',
]);

export function buildArgument(
  app: AppDef,
  type: StructureDef,
  json: unknown,
  where: string,
  container = '',
): ArgDraft {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw badRequest(`${where}: an object is expected`);
  }
  const obj = json as Record<string, unknown>;
  const isDoc = type.kind === 'ODoc' || type.kind === 'ORecord';
  const fields: Record<string, unknown> = {};
  const children: ArgDraft[] = [];
  let rawId = 0;
  for (const [name, value] of Object.entries(obj)) {
    if (sysArgFields.has(name)) {
      if (name === 'sys.ID' && isDoc) {
        if (typeof value !== 'number' || !isRawId(value)) {
          throw badRequest(
            `${where}: sys.ID must be a raw ID (1..65535), got ${JSON.stringify(value)}`,
          );
        }
        rawId = value;
      }
      continue;
    }
    const f = fieldOf(type, name);
    if (f !== undefined) {
      if (value !== null) fields[name] = fieldValue(f, value, where);
      continue;
    }
    const c = type.containers.find((x) => x.name === name);
    if (c === undefined)
      throw badRequest(`${where}: field «${name}» is not defined in ${type.name}`);
    if (!Array.isArray(value)) throw badRequest(`${where}: container «${name}» must be an array`);
    const childType = app.structure(c.type);
    if (childType === undefined) throw badRequest(`${where}: unknown type ${c.type}`);
    if (value.length < c.minOccurs || value.length > c.maxOccurs) {
      throw badRequest(
        `${where}: container «${name}» must have ${c.minOccurs}..${c.maxOccurs} items, got ${value.length}`,
      );
    }
    value.forEach((item, i) => {
      children.push(buildArgument(app, childType, item, `${where}.${name}[${i}]`, name));
    });
  }
  for (const f of type.fields) {
    if (f.required && !f.system && fields[f.name] === undefined) {
      throw badRequest(`${where}: required field «${f.name}» of ${type.name} is not set`);
    }
  }
  for (const c of type.containers) {
    if (c.minOccurs > 0 && !children.some((ch) => ch.container === c.name)) {
      throw badRequest(`${where}: container «${c.name}» needs at least ${c.minOccurs} items`);
    }
  }
  return { qname: type.name, rawId, container, fields, children };
}
