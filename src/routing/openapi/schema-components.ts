// The document's component schemas: the shapes of records, view rows, function arguments and results
// as the role sees them (only the fields and nested records its grants cover), and the shared bodies
// (errors, command and document answers, tokens). A shape is defined once, on first use, and referred
// to by `$ref`, so recursive references between records are fine.
import type {
  AppDef,
  ContainerDef,
  FieldDef,
  StructureDef,
  TypeDef,
  ViewDef,
} from '../../schema/index.js';
import { fieldSchema, isRefField, QNAME_PATTERN, RAW_ID_SCHEMA } from './field-schemas.js';
import type { ReferenceObject, SchemaObject, SchemaOrRef } from './openapi-types.js';
import { fieldGranted, type TypeGrant } from './role-grants.js';

/** The type name a function uses for "any object" (`RETURNS ANY`). */
export const ANY_TYPE = 'sys.ANY';
/** A function parameter read as raw text rather than JSON. */
export const RAW_TYPE = 'sys.Raw';

// Names of the shared components; type shapes are named after their QNames, which always hold a dot.
export const ERROR_SCHEMA = 'Error';
export const RESULTS_ERROR_SCHEMA = 'ResultsError';
export const PRINCIPAL_TOKEN_SCHEMA = 'PrincipalToken';
export const CREATE_DOC_RESULT_SCHEMA = 'CreateDocResult';
export const UPDATE_DOC_RESULT_SCHEMA = 'UpdateDocResult';
export const BLOB_CREATE_RESULT_SCHEMA = 'BlobCreateResult';

export function schemaRef(name: string): ReferenceObject {
  return { $ref: `#/components/schemas/${name}` };
}

const int64: SchemaObject = { type: 'integer', format: 'int64' };

export class SchemaComponents {
  readonly schemas: Record<string, SchemaOrRef> = {};

  constructor(
    private readonly app: AppDef,
    private readonly grants: ReadonlyMap<string, TypeGrant>,
  ) {
    for (const [name, schema] of Object.entries(sharedSchemas())) this.schemas[name] = schema;
  }

  /** A record as reads return it (`{Q}`); undefined when the role may not read the type. */
  readRecord(name: string): ReferenceObject | undefined {
    const grant = this.grants.get(name);
    const t = this.app.structure(name);
    if (t === undefined || t.kind === 'Object' || !grant?.ops.has('Select')) return undefined;
    return this.define(name, () => this.readSchema(t, grant));
  }

  /** The body that creates a record with its nested records (`{Q}_Insert`); undefined when not granted. */
  insertRecord(name: string): ReferenceObject | undefined {
    const grant = this.grants.get(name);
    const t = this.app.structure(name);
    if (t === undefined || t.kind === 'Object' || !grant?.ops.has('Insert')) return undefined;
    return this.define(`${name}_Insert`, () => this.insertSchema(t, grant));
  }

  /** The body that updates a record's fields (`{Q}_Update`); undefined when not granted. */
  updateRecord(name: string): ReferenceObject | undefined {
    const grant = this.grants.get(name);
    const t = this.app.structure(name);
    if (t === undefined || t.kind === 'Object' || !grant?.ops.has('Update')) return undefined;
    return this.define(`${name}_Update`, () => this.updateSchema(t, grant));
  }

  /** A row of a view (`{Q}`); undefined when the role may not read the view. */
  viewRow(view: ViewDef): ReferenceObject | undefined {
    const grant = this.grants.get(view.name);
    if (!grant?.ops.has('Select')) return undefined;
    return this.define(view.name, () => this.viewSchema(view, grant));
  }

  /**
   * A function's argument or result object. Executing the function is what ACL grants, so every
   * field counts. Objects and operation documents are named `{Q}`; other record kinds, which also
   * have read shapes under that name, `{Q}_Value`.
   */
  value(name: string): ReferenceObject {
    if (name === ANY_TYPE) {
      return this.define(ANY_TYPE, () => ({ type: 'object', description: 'Any JSON object' }));
    }
    const t = this.app.structure(name);
    if (t === undefined) return this.define(name, () => ({ type: 'object' }));
    const own = t.kind === 'Object' || t.kind === 'ODoc' || t.kind === 'ORecord';
    return this.define(own ? name : `${name}_Value`, () => this.valueSchema(t));
  }

  private define(name: string, build: () => SchemaObject): ReferenceObject {
    if (!(name in this.schemas)) {
      // a placeholder first: a shape that refers back to itself finds the name taken
      this.schemas[name] = {};
      this.schemas[name] = build();
    }
    return schemaRef(name);
  }

  private readSchema(t: StructureDef, grant: TypeGrant): SchemaObject {
    const properties: Record<string, SchemaOrRef> = {};
    const required: string[] = [];
    for (const f of t.fields) {
      if (!fieldGranted(grant, 'Select', f.name)) continue;
      properties[f.name] = this.readField(f);
      if (f.required) required.push(f.name);
    }
    for (const c of t.containers) {
      const items = this.readRecord(c.type);
      if (items === undefined) continue;
      properties[c.name] = {
        ...containerArray(c, items),
        description: `Nested ${c.type} records, present when \`include\` names ${c.name}`,
      };
    }
    return objectSchema(t, properties, required);
  }

  /** A reference read back: the ID, or the referenced record when `include` names the field. */
  private readField(f: FieldDef): SchemaOrRef {
    const plain = fieldSchema(f);
    if (!isRefField(f)) return plain;
    const records = f.refs.flatMap((r) => this.readRecord(r) ?? []);
    if (records.length === 0) return plain;
    return {
      oneOf: [int64, ...records],
      description: `${plain.description ?? 'ID of a record'}; the record itself when \`include\` names the field`,
    };
  }

  private insertSchema(t: StructureDef, grant: TypeGrant): SchemaObject {
    const properties: Record<string, SchemaOrRef> = {
      'sys.ID': {
        ...RAW_ID_SCHEMA,
        description: 'Raw ID of the new record; `newIDs` of the answer maps it to the ID given',
      },
    };
    const required: string[] = [];
    for (const f of t.fields) {
      if (f.system || !fieldGranted(grant, 'Insert', f.name)) continue;
      properties[f.name] = fieldSchema(f);
      if (f.required) required.push(f.name);
    }
    for (const c of t.containers) {
      const items = this.insertRecord(c.type);
      if (items === undefined) continue;
      properties[c.name] = containerArray(c, items);
      if (c.minOccurs > 0) required.push(c.name);
    }
    return objectSchema(t, properties, required);
  }

  private updateSchema(t: StructureDef, grant: TypeGrant): SchemaObject {
    const properties: Record<string, SchemaOrRef> = {};
    for (const f of t.fields) {
      if (f.system || !fieldGranted(grant, 'Update', f.name)) continue;
      properties[f.name] = fieldSchema(f);
    }
    // a PATCH sets only the fields it names, so none is required
    return objectSchema(t, properties, []);
  }

  private viewSchema(v: ViewDef, grant: TypeGrant): SchemaObject {
    const properties: Record<string, SchemaOrRef> = {};
    const required: string[] = [];
    for (const f of [...v.partitionKey, ...v.clusteringColumns, ...v.value]) {
      if (!fieldGranted(grant, 'Select', f.name)) continue;
      properties[f.name] = this.readField(f);
      // a view row carries every key and value field, zero values included
      required.push(f.name);
    }
    // rows name their view, whether or not the view declares the field
    if (!('sys.QName' in properties)) {
      properties['sys.QName'] = { type: 'string', pattern: QNAME_PATTERN, example: v.name };
      required.push('sys.QName');
    }
    return objectSchema(v, properties, required);
  }

  private valueSchema(t: StructureDef): SchemaObject {
    const properties: Record<string, SchemaOrRef> = {};
    const required: string[] = [];
    if (t.kind === 'ODoc' || t.kind === 'ORecord') {
      // operation documents come with raw IDs, as new records do
      properties['sys.ID'] = { ...RAW_ID_SCHEMA, description: 'Raw ID of the record' };
      if (t.kind === 'ORecord') {
        properties['sys.ParentID'] = { ...RAW_ID_SCHEMA, description: 'Raw ID of the parent' };
      }
    }
    for (const f of t.fields) {
      if (f.system) continue;
      properties[f.name] = fieldSchema(f);
      if (f.required) required.push(f.name);
    }
    for (const c of t.containers) {
      properties[c.name] = containerArray(c, this.value(c.type));
      if (c.minOccurs > 0) required.push(c.name);
    }
    return objectSchema(t, properties, required);
  }
}

function containerArray(c: ContainerDef, items: ReferenceObject): SchemaObject {
  const s: SchemaObject = { type: 'array', items };
  if (c.minOccurs > 0) s.minItems = c.minOccurs;
  s.maxItems = c.maxOccurs;
  return s;
}

function objectSchema(
  t: TypeDef,
  properties: Record<string, SchemaOrRef>,
  required: readonly string[],
): SchemaObject {
  const s: SchemaObject = { type: 'object', properties };
  // OpenAPI 3.0 forbids an empty `required` list
  if (required.length > 0) s.required = [...required];
  const comment = t.comment.join('\n').trim();
  if (comment !== '') s.description = comment;
  return s;
}

/** Bodies every document may refer to (http-api.md §2.3-2.5, §3.4). */
function sharedSchemas(): Record<string, SchemaObject> {
  return {
    [ERROR_SCHEMA]: {
      type: 'object',
      description: 'An API v2 error',
      properties: {
        status: { type: 'integer', format: 'int32', description: 'The HTTP status' },
        message: { type: 'string' },
        qname: { type: 'string', description: 'The QName of the error, when it has one' },
        data: { type: 'string', description: 'Details, when there are any' },
      },
      required: ['status', 'message'],
    },
    [RESULTS_ERROR_SCHEMA]: {
      type: 'object',
      description: 'A failed read of a list: no rows, and the error',
      properties: {
        results: { type: 'array', items: {}, maxItems: 0 },
        error: schemaRef(ERROR_SCHEMA),
      },
      required: ['results', 'error'],
    },
    [CREATE_DOC_RESULT_SCHEMA]: {
      type: 'object',
      properties: {
        currentWLogOffset: { ...int64, description: 'Offset of the event in the workspace log' },
        newIDs: {
          type: 'object',
          description: 'The IDs the new records got, by their raw IDs',
          additionalProperties: int64,
        },
      },
      required: ['currentWLogOffset'],
    },
    [UPDATE_DOC_RESULT_SCHEMA]: {
      type: 'object',
      properties: {
        currentWLogOffset: { ...int64, description: 'Offset of the event in the workspace log' },
      },
      required: ['currentWLogOffset'],
    },
    [PRINCIPAL_TOKEN_SCHEMA]: {
      type: 'object',
      properties: {
        principalToken: { type: 'string' },
        expiresInSeconds: int64,
        profileWSID: { ...int64, description: "The user's profile workspace" },
      },
      required: ['principalToken', 'expiresInSeconds', 'profileWSID'],
    },
    [BLOB_CREATE_RESULT_SCHEMA]: {
      type: 'object',
      properties: { blobID: int64 },
      required: ['blobID'],
    },
  };
}
