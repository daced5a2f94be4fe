// The state a WASM guest sees, built on the same contexts that built-in extensions get: the
// storages of core.md §4.10 with the operations each kind of extension may use. Reads go through
// a ReadCache (the contexts read asynchronously, guests cannot wait); intents are collected and
// applied to the context once the guest returns, so a failed or abandoned run leaves nothing.

import type { AppDef, FieldDef } from '../../../schema/index.js';
import { isRawId } from '../../../structs/index.js';
import type {
  CommandContext,
  JobContext,
  MailMessage,
  ProjectorContext,
  QueryContext,
  RecordValue,
} from '../../context.js';
import type { HostScalar, HostState, HostValue, KeyBuilder, RowWriter } from '../host-state.js';
import { FieldRow, PlainValue } from '../host-state.js';
import type { ReadCache } from './read-cache.js';
import { argValue, projectorEventValue, wlogEventValue } from './values.js';

export type GuestContext =
  | { readonly kind: 'command'; readonly ctx: CommandContext }
  | { readonly kind: 'query'; readonly ctx: QueryContext }
  | { readonly kind: 'projector'; readonly ctx: ProjectorContext }
  | { readonly kind: 'job'; readonly ctx: JobContext };

type Fields = Record<string, HostScalar>;

type Intent =
  | { readonly kind: 'insert'; readonly table: string; readonly row: FieldRow }
  | { readonly kind: 'update'; readonly id: number; readonly row: FieldRow }
  | { readonly kind: 'view'; readonly view: string; readonly base: Fields; readonly row: FieldRow }
  | { readonly kind: 'result'; readonly row: FieldRow }
  | { readonly kind: 'log'; readonly level: number; readonly row: FieldRow }
  | { readonly kind: 'mail'; readonly row: FieldRow };

const RECORD_KEY = new Set(['ID', 'IsSingleton', 'Singleton', 'WSID']);
const SYSTEM_RECORD_FIELDS = new Set(['sys.ID', 'sys.ParentID', 'sys.Container', 'sys.IsActive']);

/** A value whose every field is the same text: sys.AppSecret answers any field name. */
class SecretValue implements HostValue {
  constructor(private readonly content: string) {}
  field(): unknown {
    return this.content;
  }
  readonly length = 0;
  at(): unknown {
    return undefined;
  }
}

/**
 * The field names of each view and table (keyed by storage and entity, so that a table named as
 * a view is still refused), per application: guests build keys on every call, so the set is made
 * once rather than for each key builder.
 */
const fieldNameSets = new WeakMap<AppDef, Map<string, ReadonlySet<string>>>();

function fieldNames(
  app: AppDef,
  key: string,
  fields: () => readonly FieldDef[],
): ReadonlySet<string> {
  let byKey = fieldNameSets.get(app);
  if (byKey === undefined) {
    byKey = new Map();
    fieldNameSets.set(app, byKey);
  }
  let names = byKey.get(key);
  if (names === undefined) {
    names = new Set(fields().map((f) => f.name));
    byKey.set(key, names);
  }
  return names;
}

export class ContextState implements HostState {
  private readonly intents: Intent[] = [];

  constructor(
    private readonly app: AppDef,
    private readonly guest: GuestContext,
    private readonly cache: ReadCache,
  ) {}

  private get wsid(): number {
    return this.guest.ctx.wsid;
  }

  private notIn(storage: string, operation: string): Error {
    return new Error(`${storage}: ${operation} is not available to a ${this.guest.kind}`);
  }

  private fieldsOf(entity: string, storage: string): readonly FieldDef[] {
    const t = this.app.type(entity);
    if (storage === 'sys.View') {
      if (t?.kind !== 'ViewRecord') throw new Error(`${entity} is not a view`);
      return [...t.partitionKey, ...t.clusteringColumns, ...t.value];
    }
    if (t === undefined || !('fields' in t)) throw new Error(`${entity} is not a table`);
    return t.fields;
  }

  private checker(storage: string, entity: string, extra?: ReadonlySet<string>) {
    const names = fieldNames(this.app, `${storage} ${entity}`, () =>
      this.fieldsOf(entity, storage),
    );
    return (name: string) => {
      if (!names.has(name) && !extra?.has(name))
        throw new Error(`name not found: field «${name}» in «${entity}»`);
    };
  }

  keyBuilder(storage: string, entity: string): KeyBuilder {
    switch (storage) {
      case 'sys.View':
        return new FieldRow(storage, entity, this.checker(storage, entity));
      case 'sys.Record':
        return new FieldRow(storage, entity, (name) => {
          if (!RECORD_KEY.has(name))
            throw new Error(`name not found: sys.Record key field «${name}»`);
        });
      case 'sys.Uniq':
        this.fieldsOf(entity, storage);
        return new FieldRow(storage, entity);
      case 'sys.Event':
      case 'sys.CommandContext':
      case 'sys.QueryContext':
      case 'sys.JobContext':
      case 'sys.WLog':
      case 'sys.AppSecret':
      case 'sys.Result':
      case 'sys.Logger':
      case 'sys.SendMail':
        return new FieldRow(storage, entity);
      case 'sys.RequestSubject':
      case 'sys.Http':
      case 'sys.FederationCommand':
      case 'sys.FederationBlob':
      case 'sys.Response':
        throw new Error(`unsupported storage: ${storage} is not available to WASM extensions yet`);
      default:
        throw new Error(`unsupported storage: ${storage}`);
    }
  }

  get(kb: KeyBuilder): HostValue | undefined {
    const g = this.guest;
    switch (kb.storage) {
      case 'sys.CommandContext':
        if (g.kind !== 'command') throw this.notIn(kb.storage, 'get');
        return new PlainValue({
          Workspace: g.ctx.wsid,
          WLogOffset: g.ctx.wlogOffset,
          ArgumentObject: argValue(g.ctx.args),
          ArgumentUnloggedObject: argValue(g.ctx.unloggedArgs),
        });
      case 'sys.QueryContext':
        if (g.kind !== 'query') throw this.notIn(kb.storage, 'get');
        return new PlainValue({ Workspace: g.ctx.wsid, ArgumentObject: argValue(g.ctx.args) });
      case 'sys.JobContext':
        if (g.kind !== 'job') throw this.notIn(kb.storage, 'get');
        return new PlainValue({
          Workspace: g.ctx.wsid,
          UnixTime: Math.floor(g.ctx.scheduledAt / 1000),
        });
      case 'sys.Event':
        if (g.kind !== 'projector') throw this.notIn(kb.storage, 'get');
        return new PlainValue(projectorEventValue(g.ctx.event));
      case 'sys.Record':
        return this.getRecord(kb);
      case 'sys.View': {
        const row = this.cache.get(this.cacheKey(kb), () => g.ctx.views.get(kb.entity, kb.fields));
        return row === undefined ? undefined : new PlainValue(row);
      }
      case 'sys.Uniq': {
        const id = this.cache.get(this.cacheKey(kb), () =>
          g.ctx.records.findUnique(kb.entity, kb.fields),
        );
        return id === undefined ? undefined : new PlainValue({ ID: id });
      }
      case 'sys.WLog': {
        const offset = Number(kb.fields.Offset ?? 0);
        const event = this.cache.get(this.cacheKey(kb), () => g.ctx.wlog.get(offset));
        return event === undefined ? undefined : new PlainValue(wlogEventValue(event));
      }
      case 'sys.AppSecret': {
        const name = String(kb.fields.Secret ?? '');
        const secret = this.cache.get(this.cacheKey(kb), () => g.ctx.secret(name));
        return secret === undefined ? undefined : new SecretValue(secret);
      }
      default:
        throw new Error(`${kb.storage}: get is not supported`);
    }
  }

  private getRecord(kb: KeyBuilder): HostValue | undefined {
    const f = kb.fields;
    if (f.WSID !== undefined && Number(f.WSID) !== this.wsid) {
      throw new Error('sys.Record: reading another workspace is not supported yet');
    }
    const records = this.guest.ctx.records;
    let record: RecordValue | undefined;
    if (f.ID !== undefined) {
      const id = Number(f.ID);
      record = this.cache.get(this.cacheKey(kb), () => records.get(id));
    } else if (f.IsSingleton === true || typeof f.Singleton === 'string') {
      const qname = f.IsSingleton === true ? kb.entity : String(f.Singleton);
      record = this.cache.get(this.cacheKey(kb), () => records.getSingleton(qname));
    } else {
      // The reference finds nothing for a key without an ID (its test testQueryValue).
      return undefined;
    }
    return record === undefined ? undefined : new PlainValue(record);
  }

  read(kb: KeyBuilder, each: (key: HostValue, value: HostValue) => void): void {
    const g = this.guest;
    if (g.kind === 'command') throw this.notIn(kb.storage, 'read');
    if (kb.storage === 'sys.View') {
      const rows = this.cache.get(this.cacheKey(kb), async () => {
        const out: Record<string, unknown>[] = [];
        for await (const row of g.ctx.views.read(kb.entity, kb.fields)) out.push({ ...row });
        return out;
      });
      for (const row of rows) {
        const v = new PlainValue(row);
        each(v, v);
      }
      return;
    }
    if (kb.storage === 'sys.WLog') {
      const from = Number(kb.fields.Offset ?? 1);
      const count = Number(kb.fields.Count ?? 1);
      const events = this.cache.get(this.cacheKey(kb), async () => {
        const out: Record<string, unknown>[] = [];
        for await (const e of g.ctx.wlog.read(from, count)) out.push(wlogEventValue(e));
        return out;
      });
      for (const e of events) each(new PlainValue({ Offset: e.Offset }), new PlainValue(e));
      return;
    }
    throw new Error(`${kb.storage}: read is not supported`);
  }

  newValue(kb: KeyBuilder): RowWriter {
    const g = this.guest;
    switch (kb.storage) {
      case 'sys.Record': {
        if (g.kind !== 'command') throw this.notIn(kb.storage, 'insert');
        const row = new FieldRow(
          kb.storage,
          kb.entity,
          this.checker(kb.storage, kb.entity, SYSTEM_RECORD_FIELDS),
        );
        this.intents.push({ kind: 'insert', table: kb.entity, row });
        return row;
      }
      case 'sys.View':
        return this.viewIntent(kb, {});
      case 'sys.Result': {
        if (g.kind !== 'command' && g.kind !== 'query') throw this.notIn(kb.storage, 'insert');
        const row = new FieldRow(kb.storage, '');
        this.intents.push({ kind: 'result', row });
        return row;
      }
      case 'sys.Logger': {
        const row = new FieldRow(kb.storage, '');
        this.intents.push({ kind: 'log', level: Number(kb.fields.LogLevel ?? 3), row });
        return row;
      }
      case 'sys.SendMail': {
        if (g.kind !== 'projector' && g.kind !== 'job') throw this.notIn(kb.storage, 'insert');
        const row = new FieldRow(kb.storage, '');
        Object.assign(row.fields, kb.fields);
        this.intents.push({ kind: 'mail', row });
        return row;
      }
      default:
        throw new Error(`${kb.storage}: insert is not supported`);
    }
  }

  updateValue(kb: KeyBuilder, existing: HostValue): RowWriter {
    if (kb.storage === 'sys.Record') {
      if (this.guest.kind !== 'command') throw this.notIn(kb.storage, 'update');
      const id = Number(existing.field('sys.ID'));
      const qname = String(existing.field('sys.QName'));
      const row = new FieldRow(
        kb.storage,
        qname,
        this.checker(kb.storage, qname, SYSTEM_RECORD_FIELDS),
      );
      this.intents.push({ kind: 'update', id, row });
      return row;
    }
    if (kb.storage === 'sys.View') {
      const base: Fields = {};
      for (const f of this.fieldsOf(kb.entity, kb.storage)) {
        const v = existing.field(f.name);
        if (v !== undefined) base[f.name] = v as HostScalar;
      }
      return this.viewIntent(kb, base);
    }
    throw new Error(`${kb.storage}: update is not supported`);
  }

  private viewIntent(kb: KeyBuilder, base: Fields): RowWriter {
    if (this.guest.kind !== 'projector' && this.guest.kind !== 'job') {
      throw this.notIn(kb.storage, 'insert');
    }
    const row = new FieldRow(kb.storage, kb.entity, this.checker(kb.storage, kb.entity));
    this.intents.push({ kind: 'view', view: kb.entity, base: { ...base, ...kb.fields }, row });
    return row;
  }

  private cacheKey(kb: KeyBuilder): string {
    const parts = Object.keys(kb.fields)
      .sort()
      .map((k) => {
        const v = kb.fields[k];
        const text = v instanceof Uint8Array ? Buffer.from(v).toString('base64') : String(v);
        return `${k}=${typeof v}:${text}`;
      });
    return `${kb.storage}|${kb.entity}|${parts.join('|')}`;
  }

  /** Applies the intents to the context, in the order the guest made them. */
  async apply(): Promise<void> {
    const g = this.guest;
    // Raw IDs the guest gave new records, to the raw IDs the platform gave them.
    const rawIds = new Map<number, number>();
    const translate = (table: string, fields: Fields): Fields => {
      const out: Fields = {};
      const refs = new Set(
        this.fieldsOf(table, 'sys.Record')
          .filter((f) => f.data === 'RecordID')
          .map((f) => f.name),
      );
      for (const [name, value] of Object.entries(fields)) {
        if (name === 'sys.ID') continue;
        const raw = typeof value === 'number' && isRawId(value) ? rawIds.get(value) : undefined;
        out[name] = raw !== undefined && (name === 'sys.ParentID' || refs.has(name)) ? raw : value;
      }
      return out;
    };
    for (const intent of this.intents) {
      switch (intent.kind) {
        case 'insert': {
          if (g.kind !== 'command') break;
          const id = g.ctx.records.insert(intent.table, translate(intent.table, intent.row.fields));
          const guestId = intent.row.fields['sys.ID'];
          if (typeof guestId === 'number') rawIds.set(guestId, id);
          break;
        }
        case 'update':
          if (g.kind === 'command')
            g.ctx.records.update(intent.id, translate(intent.row.entity, intent.row.fields));
          break;
        case 'view':
          if (g.kind === 'projector' || g.kind === 'job')
            g.ctx.views.put(intent.view, { ...intent.base, ...intent.row.fields });
          break;
        case 'result':
          if (g.kind === 'command') g.ctx.result(intent.row.fields);
          else if (g.kind === 'query') await g.ctx.emit(intent.row.fields);
          break;
        case 'log': {
          const message = String(intent.row.fields.Message ?? '');
          if (intent.level === 1) g.ctx.log.error(message);
          else if (intent.level === 2) g.ctx.log.warn(message);
          else g.ctx.log.info(message);
          break;
        }
        case 'mail':
          if (g.kind === 'projector' || g.kind === 'job') g.ctx.sendMail(mailOf(intent.row.fields));
          break;
      }
    }
  }
}

function mailOf(f: Fields): MailMessage {
  const list = (v: HostScalar | undefined) =>
    v === undefined || v === ''
      ? []
      : String(v)
          .split(/\s*[,;]\s*/)
          .filter((s) => s !== '');
  const cc = list(f.CC);
  const bcc = list(f.BCC);
  return {
    from: String(f.From ?? ''),
    to: list(f.To),
    ...(cc.length > 0 ? { cc } : {}),
    ...(bcc.length > 0 ? { bcc } : {}),
    subject: String(f.Subject ?? ''),
    body: String(f.Body ?? ''),
  };
}
