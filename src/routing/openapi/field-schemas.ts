// JSON Schema of one field's value as API v2 renders and accepts it (http-api.md §2.1, §2.4): numbers
// for the integer and float kinds and for references, base64 strings for bytes, QNames as strings.
import type { FieldDef } from '../../schema/index.js';
import type { SchemaObject } from './openapi-types.js';

/** A QName as the reference's documents describe it: `pkg.Entity`. */
export const QNAME_PATTERN = '^[a-zA-Z0-9_]+\\.[a-zA-Z0-9_]+$';

/** The raw IDs a request may give new records (the reference's raw ID range). */
export const RAW_ID_SCHEMA: SchemaObject = {
  type: 'integer',
  format: 'int64',
  minimum: 1,
  maximum: 65535,
};

export const BLOB_TABLE = 'sys.BLOB';

/** The schema of a field's value; a reference field is a record ID (see `isRefField`). */
export function fieldSchema(f: FieldDef): SchemaObject {
  const s = dataSchema(f);
  if (f.system) {
    const description = systemFieldDescriptions[f.name];
    if (description !== undefined) s.description = description;
    return s;
  }
  const comment = f.comment.join('\n').trim();
  if (comment !== '') s.description = s.description ? `${comment}\n\n${s.description}` : comment;
  return s;
}

const systemFieldDescriptions: Readonly<Record<string, string>> = {
  'sys.ID': 'ID of the record',
  'sys.QName': 'The type of the record',
  'sys.IsActive': 'False once the record is deactivated',
  'sys.ParentID': 'ID of the parent record',
  'sys.Container': 'The container of the parent record that holds this one',
};

/** A field that holds the ID of a record (a `ref` or `blob` field, or a system ID). */
export function isRefField(f: FieldDef): boolean {
  return f.data === 'RecordID';
}

function dataSchema(f: FieldDef): SchemaObject {
  switch (f.data) {
    case 'int8':
      return { type: 'integer', format: 'int8', minimum: -128, maximum: 127 };
    case 'int16':
      return { type: 'integer', format: 'int16', minimum: -32768, maximum: 32767 };
    case 'int32':
      return { type: 'integer', format: 'int32' };
    case 'int64':
      return { type: 'integer', format: 'int64' };
    case 'float32':
      return { type: 'number', format: 'float' };
    case 'float64':
      return { type: 'number', format: 'double' };
    case 'bool':
      return { type: 'boolean' };
    case 'string': {
      const s: SchemaObject = { type: 'string' };
      // the limit counts UTF-8 bytes; as many characters is what a JSON Schema length can promise
      if (f.maxLen !== null) s.maxLength = f.maxLen;
      if (f.pattern !== null) s.pattern = f.pattern;
      return s;
    }
    case 'bytes': {
      const s: SchemaObject = { type: 'string', format: 'byte' };
      // the limit counts decoded bytes; the value is their base64 text
      if (f.maxLen !== null) s.maxLength = 4 * Math.ceil(f.maxLen / 3);
      return s;
    }
    case 'QName':
      return { type: 'string', pattern: QNAME_PATTERN, example: 'pkg.Entity' };
    case 'RecordID':
      return { type: 'integer', format: 'int64', description: refDescription(f) };
    case 'Record':
    case 'Event':
      return { type: 'object' };
  }
}

function refDescription(f: FieldDef): string {
  if (f.refs.length === 1 && f.refs[0] === BLOB_TABLE) return 'ID of a BLOB';
  if (f.refs.length > 0) return `ID of a record of ${f.refs.join(', ')}`;
  return 'ID of a record';
}
