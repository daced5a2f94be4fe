// The operations of a role's document, one per route and granted operation (http-api.md §1.2):
// documents (create, read, update, deactivate, list), BLOB fields, commands, queries and views under
// `/apps/{owner}/{app}/workspaces/{wsid}`, plus sign-in routes every client needs.
import type {
  AppDef,
  FieldDef,
  FunctionDef,
  StructureDef,
  TypeDef,
  ViewDef,
} from '../../schema/index.js';
import { BLOB_TABLE, fieldSchema } from './field-schemas.js';
import {
  errorResponses,
  idParam,
  includeParam,
  jsonBody,
  jsonQueryParam,
  jsonResponse,
  keysParam,
  listParams,
  resultsSchema,
  wsidParam,
} from './openapi-parts.js';
import type {
  HttpVerb,
  OperationObject,
  ParameterObject,
  PathItemObject,
  SchemaObject,
  SchemaOrRef,
} from './openapi-types.js';
import { fieldGranted, type TypeGrant } from './role-grants.js';
import {
  BLOB_CREATE_RESULT_SCHEMA,
  CREATE_DOC_RESULT_SCHEMA,
  PRINCIPAL_TOKEN_SCHEMA,
  RAW_TYPE,
  type SchemaComponents,
  schemaRef,
  UPDATE_DOC_RESULT_SCHEMA,
} from './schema-components.js';

// Error statuses by route kind; every workspace route can also meet an inactive workspace (410).
const createErrors = [400, 401, 403, 409, 410, 429, 500, 503];
const readErrors = [400, 401, 403, 404, 410, 429, 503];
const changeErrors = [400, 401, 403, 404, 410, 429, 500, 503];
const commandErrors = [400, 401, 403, 404, 409, 410, 429, 500, 503];
const listErrors = [400, 401, 403, 410, 429, 500, 503];

/** Collects a document's paths; the methods of one path in the order they are added. */
export class ApiPaths {
  readonly paths: Record<string, PathItemObject> = {};
  private readonly workspacePath: string;

  /** `appPath` is `/apps/{owner}/{app}` with the application's names, relative to the server URL. */
  constructor(
    private readonly app: AppDef,
    private readonly components: SchemaComponents,
    private readonly appPath: string,
  ) {
    this.workspacePath = `${appPath}/workspaces/{wsid}`;
  }

  /** The routes the role's grant on the type opens. */
  addType(grant: TypeGrant): void {
    const t = grant.type;
    switch (t.kind) {
      case 'Command':
        if (grant.ops.has('Execute')) this.addCommand(t);
        break;
      case 'Query':
        if (grant.ops.has('Execute')) this.addQuery(t);
        break;
      case 'ViewRecord':
        this.addView(t);
        break;
      // operation documents and objects have no routes of their own: commands take them
      case 'CDoc':
      case 'WDoc':
      case 'CRecord':
      case 'WRecord':
        this.addDocument(t, grant);
        break;
    }
  }

  /** Sign-in and token refresh (http-api.md §3.4-3.5). */
  addAuth(): void {
    const tags = ['Authentication'];
    this.add(`${this.appPath}/auth/login`, 'post', {
      tags,
      summary: 'Sign in: issue a principal token for a login and password',
      security: [],
      requestBody: jsonBody(stringsObject(['login', 'password'], 'Other keys are ignored')),
      responses: {
        '200': jsonResponse('OK', schemaRef(PRINCIPAL_TOKEN_SCHEMA)),
        ...errorResponses([400, 401, 409, 429, 500], 'plain'),
      },
    });
    this.add(`${this.appPath}/auth/refresh`, 'post', {
      tags,
      summary: 'Issue a new principal token for the one given, with the same lifetime',
      responses: {
        '200': jsonResponse('OK', schemaRef(PRINCIPAL_TOKEN_SCHEMA)),
        ...errorResponses([401, 429], 'plain'),
      },
    });
  }

  /** Creating users and devices (http-api.md §3.3), shown to developers as the reference does. */
  addUsersAndDevices(): void {
    this.add(`${this.appPath}/users`, 'post', {
      tags: ['Users'],
      summary: 'Create a user login from a verified e-mail token',
      security: [],
      requestBody: jsonBody(stringsObject(['verifiedEmailToken', 'password', 'displayName'])),
      responses: {
        '201': jsonResponse('Created', { type: 'object' }),
        ...errorResponses([400, 401, 409, 429], 'plain'),
      },
    });
    this.add(`${this.appPath}/devices`, 'post', {
      tags: ['Devices'],
      summary: 'Create a device login with a generated login and password; the body must be empty',
      responses: {
        '201': jsonResponse('Created', stringsObject(['login', 'password'])),
        ...errorResponses([400, 429], 'plain'),
      },
    });
  }

  private add(path: string, verb: HttpVerb, op: OperationObject): void {
    const item = this.paths[path] ?? {};
    item[verb] = op;
    this.paths[path] = item;
  }

  private addDocument(t: StructureDef, grant: TypeGrant): void {
    const docPath = `${this.workspacePath}/docs/${t.name}`;
    const recordPath = `${docPath}/{id}`;
    const noun = t.kind.endsWith('Doc') ? 'document' : 'record';
    const base = this.operationBase(t);
    const id = idParam(t.name, t.singleton);

    const insert = this.components.insertRecord(t.name);
    if (insert !== undefined) {
      this.add(docPath, 'post', {
        ...base,
        summary: t.singleton
          ? `Create the singleton ${t.name} (once per workspace)`
          : `Create ${noun} ${t.name} with its nested records`,
        parameters: [wsidParam],
        requestBody: jsonBody(insert),
        responses: {
          '201': jsonResponse('Created', schemaRef(CREATE_DOC_RESULT_SCHEMA)),
          ...errorResponses(createErrors, 'plain'),
        },
      });
    }
    const read = this.components.readRecord(t.name);
    if (read !== undefined) {
      this.add(recordPath, 'get', {
        ...base,
        summary: `Read ${noun} ${t.name}`,
        parameters: [wsidParam, id, keysParam, includeParam],
        responses: { '200': jsonResponse('OK', read), ...errorResponses(readErrors, 'plain') },
      });
      // the list route serves CDocs only; the reference rejects other kinds with 400
      if (t.kind === 'CDoc') {
        this.add(`${this.workspacePath}/cdocs/${t.name}`, 'get', {
          ...base,
          summary: `List all ${t.name} documents, active and inactive`,
          parameters: [wsidParam, ...listParams, keysParam, includeParam],
          responses: {
            '200': jsonResponse('OK', resultsSchema(read)),
            ...errorResponses(listErrors, 'list'),
          },
        });
      }
    }
    const update = this.components.updateRecord(t.name);
    if (update !== undefined) {
      this.add(recordPath, 'patch', {
        ...base,
        summary: `Update fields of ${noun} ${t.name}`,
        parameters: [wsidParam, id],
        requestBody: jsonBody(update),
        responses: {
          '200': jsonResponse('OK', schemaRef(UPDATE_DOC_RESULT_SCHEMA)),
          ...errorResponses(changeErrors, 'plain'),
        },
      });
    }
    if (grant.ops.has('Deactivate')) {
      this.add(recordPath, 'delete', {
        ...base,
        summary: `Deactivate ${noun} ${t.name}`,
        parameters: [wsidParam, id],
        responses: {
          '200': jsonResponse('OK', schemaRef(UPDATE_DOC_RESULT_SCHEMA)),
          ...errorResponses(changeErrors, 'plain'),
        },
      });
    }
    this.addBlobFields(t, grant, docPath, id);
  }

  /** Upload and download of the BLOBs a record's `blob` fields hold (http-api.md §5.1). */
  private addBlobFields(
    t: StructureDef,
    grant: TypeGrant,
    docPath: string,
    id: ParameterObject,
  ): void {
    const base = this.operationBase(t);
    for (const f of t.fields.filter(isBlobField)) {
      if (fieldGranted(grant, 'Select', f.name)) {
        this.add(`${docPath}/{id}/blobs/${f.name}`, 'get', {
          ...base,
          summary: `Download the BLOB of field ${f.name} of ${t.name}`,
          parameters: [wsidParam, id],
          responses: {
            '200': {
              description: 'The BLOB',
              headers: {
                'Content-Type': { description: 'As uploaded', schema: { type: 'string' } },
                'Blob-Name': { description: 'As uploaded', schema: { type: 'string' } },
              },
              content: { '*/*': { schema: { type: 'string', format: 'binary' } } },
            },
            ...errorResponses(readErrors, 'plain'),
          },
        });
      }
      if (fieldGranted(grant, 'Insert', f.name) || fieldGranted(grant, 'Update', f.name)) {
        this.add(`${docPath}/blobs/${f.name}`, 'post', {
          ...base,
          summary: `Upload a BLOB for field ${f.name} of ${t.name}; put its ID into the field`,
          parameters: [
            wsidParam,
            {
              name: 'Blob-Name',
              in: 'header',
              required: false,
              description: 'Name of the BLOB',
              schema: { type: 'string' },
            },
          ],
          requestBody: {
            required: true,
            description: 'The content; its Content-Type is stored with it',
            content: { '*/*': { schema: { type: 'string', format: 'binary' } } },
          },
          responses: {
            '201': jsonResponse('Created', schemaRef(BLOB_CREATE_RESULT_SCHEMA)),
            ...errorResponses([400, 401, 403, 410, 413, 429, 503], 'plain'),
          },
        });
      }
    }
  }

  private addCommand(fn: FunctionDef): void {
    const body: OperationObject['requestBody'] =
      fn.param === RAW_TYPE
        ? {
            required: true,
            description: 'Taken as it is, without JSON parsing, as the `Body` argument',
            content: { 'text/plain': { schema: { type: 'string' } } },
          }
        : jsonBody(this.commandArgs(fn), fn.param !== null);
    const result: Record<string, SchemaOrRef> = {
      currentWLogOffset: { type: 'integer', format: 'int64' },
      newIDs: {
        type: 'object',
        description: 'The IDs new records got, by their raw IDs',
        additionalProperties: { type: 'integer', format: 'int64' },
      },
    };
    if (fn.result !== null) {
      result.result = {
        allOf: [
          this.components.value(fn.result),
          { type: 'object', properties: { 'sys.QName': { type: 'string' } } },
        ],
        description: 'The fields the command set, and the QName of the result type',
      };
    }
    this.add(`${this.workspacePath}/commands/${fn.name}`, 'post', {
      ...this.operationBase(fn),
      summary: `Execute command ${fn.name}`,
      parameters: [wsidParam],
      requestBody: body,
      responses: {
        '200': jsonResponse('OK', {
          type: 'object',
          properties: result,
          required: ['currentWLogOffset'],
        }),
        ...errorResponses(commandErrors, 'plain'),
      },
    });
  }

  private commandArgs(fn: FunctionDef): SchemaObject {
    const properties: Record<string, SchemaOrRef> = {};
    if (fn.param !== null) properties.args = this.components.value(fn.param);
    if (fn.unloggedParam !== null) {
      properties.unloggedArgs = {
        allOf: [this.components.value(fn.unloggedParam)],
        description: 'Arguments kept out of the event log (secrets)',
      };
    }
    return { type: 'object', properties };
  }

  private addQuery(fn: FunctionDef): void {
    const parameters: ParameterObject[] = [wsidParam];
    if (fn.param === RAW_TYPE) {
      parameters.push({
        name: 'args',
        in: 'query',
        required: false,
        description: 'Taken as it is, without JSON parsing, as the `Body` argument',
        schema: { type: 'string' },
      });
    } else if (fn.param !== null) {
      parameters.push(
        jsonQueryParam(
          'args',
          this.components.value(fn.param),
          this.hasRequiredArgs(fn.param),
          'The arguments, a JSON object',
        ),
      );
    }
    parameters.push(
      jsonQueryParam(
        'where',
        { type: 'object' },
        false,
        'A JSON object filtering the rows: `{"field":value}` or `{"field":{"$in":[values]}}`',
      ),
      ...listParams,
      keysParam,
      includeParam,
    );
    const row: SchemaOrRef = fn.result === null ? {} : this.components.value(fn.result);
    this.add(`${this.workspacePath}/queries/${fn.name}`, 'get', {
      ...this.operationBase(fn),
      summary: `Execute query ${fn.name}`,
      parameters,
      responses: {
        '200': jsonResponse('OK', resultsSchema(row)),
        ...errorResponses(listErrors, 'list'),
      },
    });
  }

  private hasRequiredArgs(param: string): boolean {
    const t = this.app.structure(param);
    return (
      t !== undefined &&
      (t.fields.some((f) => f.required && !f.system) || t.containers.some((c) => c.minOccurs > 0))
    );
  }

  private addView(v: ViewDef): void {
    const row = this.components.viewRow(v);
    if (row === undefined) return;
    this.add(`${this.workspacePath}/views/${v.name}`, 'get', {
      ...this.operationBase(v),
      summary: `Read rows of view ${v.name}`,
      parameters: [
        wsidParam,
        jsonQueryParam(
          'where',
          viewWhereSchema(v),
          true,
          `A JSON object selecting the rows by key: each field equal to a value or \`{"$in":[values]}\`; required fields: ${v.partitionKey.map((f) => f.name).join(', ')}`,
        ),
        ...listParams,
        keysParam,
        includeParam,
      ],
      responses: {
        '200': jsonResponse('OK', resultsSchema(row)),
        ...errorResponses(listErrors, 'list'),
      },
    });
  }

  /** Tags and description shared by the operations on a type. */
  private operationBase(t: TypeDef): Pick<OperationObject, 'tags' | 'description'> {
    const base: Pick<OperationObject, 'tags' | 'description'> = { tags: this.tagsOf(t) };
    const comment = t.comment.join('\n').trim();
    if (comment !== '') base.description = comment;
    return base;
  }

  /** The features of the type's tags, else its package: operations group by them. */
  private tagsOf(t: TypeDef): string[] {
    const features = t.tags.flatMap((name) => {
      const tag = this.app.type(name);
      return tag?.kind === 'Tag' && tag.feature !== '' ? [tag.feature] : [];
    });
    return features.length > 0 ? [...new Set(features)] : [t.name.split('.')[0] ?? t.name];
  }
}

function isBlobField(f: FieldDef): boolean {
  return f.data === 'RecordID' && f.refs.includes(BLOB_TABLE);
}

/** The key fields a view read may select by; the partition key is required. */
function viewWhereSchema(v: ViewDef): SchemaObject {
  const properties: Record<string, SchemaOrRef> = {};
  for (const f of [...v.partitionKey, ...v.clusteringColumns]) {
    const value = fieldSchema(f);
    properties[f.name] = {
      oneOf: [
        value,
        {
          type: 'object',
          properties: { $in: { type: 'array', items: fieldSchema(f) } },
          required: ['$in'],
        },
      ],
    };
  }
  const s: SchemaObject = { type: 'object', properties };
  if (v.partitionKey.length > 0) s.required = v.partitionKey.map((f) => f.name);
  return s;
}

function stringsObject(names: readonly string[], description?: string): SchemaObject {
  const s: SchemaObject = {
    type: 'object',
    properties: Object.fromEntries(names.map((n) => [n, { type: 'string' }])),
    required: [...names],
  };
  if (description !== undefined) s.description = description;
  return s;
}
