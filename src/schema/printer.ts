// Prints a syntax tree back as canonical VSQL (comments become WITH Comment only where the source had it).
// Used to keep the built-in sys package in one consistent layout and by round-trip tests.
import type {
  AnyStatement,
  ArgNode,
  DataTypeNode,
  DefQName,
  Expr,
  FieldType,
  FileAst,
  GrantTarget,
  StateStorageNode,
  TableItem,
  TableStmt,
  TriggerNode,
  ViewItem,
  WithItem,
} from './ast.js';

const q = (n: DefQName): string => (n.pkg === '' ? n.name : `${n.pkg}.${n.name}`);
const str = (s: string): string => `'${s.replace(/'/g, "\\'")}'`;

function dataType(t: DataTypeNode): string {
  const len = t.maxLen === undefined ? '' : `(${t.maxLen})`;
  return t.type === 'varchar' || t.type === 'bytes' ? `${t.type}${len}` : t.type;
}

function fieldType(t: FieldType): string {
  return t.kind === 'DataType' ? dataType(t) : q(t);
}

function arg(a: ArgNode): string {
  return a.kind === 'Any' ? 'any' : a.kind === 'Void' ? 'void' : q(a);
}

function withClause(items: readonly WithItem[]): string {
  if (items.length === 0) return '';
  const parts = items.map((w) =>
    w.comment !== undefined ? `Comment=${str(w.comment)}` : `Tags=(${w.tags.map(q).join(', ')})`,
  );
  return ` WITH ${parts.join(', ')}`;
}

function storages(kw: string, list: readonly StateStorageNode[]): string {
  if (list.length === 0) return '';
  const items = list.map((s) =>
    s.entities.length === 0 ? q(s.storage) : `${q(s.storage)}(${s.entities.map(q).join(', ')})`,
  );
  return ` ${kw}(${items.join(', ')})`;
}

export function printExpr(e: Expr): string {
  switch (e.kind) {
    case 'Binary':
      return `(${printExpr(e.left)} ${e.op} ${printExpr(e.right)})`;
    case 'Not':
      return `NOT ${printExpr(e.operand)}`;
    case 'IsNull':
      return `${printExpr(e.operand)} IS ${e.not ? 'NOT NULL' : 'NULL'}`;
    case 'Between':
      return `${printExpr(e.operand)} BETWEEN ${printExpr(e.start)} AND ${printExpr(e.end)}`;
    case 'In':
      return `${printExpr(e.operand)} IN (${e.list.map(printExpr).join(', ')})`;
    case 'Literal':
      return typeof e.value === 'string'
        ? str(e.value)
        : e.value === null
          ? 'NULL'
          : String(e.value).toUpperCase();
    case 'Symbol':
      return e.args === undefined ? q(e.name) : `${q(e.name)}(${e.args.map(printExpr).join(', ')})`;
  }
}

function tableItem(item: TableItem, ind: string): string {
  switch (item.kind) {
    case 'Field': {
      let s = `${item.name} ${fieldType(item.type)}`;
      if (item.notNull) s += ' NOT NULL';
      if (item.verifiable) s += ' VERIFIABLE';
      if (item.defaultInt !== undefined) s += ` DEFAULT ${item.defaultInt}`;
      if (item.defaultString !== undefined) s += ` DEFAULT ${str(item.defaultString)}`;
      if (item.checkRegexp !== undefined) s += ` CHECK ${str(item.checkRegexp.value)}`;
      if (item.checkExpr !== undefined) s += ` CHECK (${printExpr(item.checkExpr)})`;
      return s;
    }
    case 'RefField':
      return `${item.name} ref${item.refs.length > 0 ? `(${item.refs.map(q).join(', ')})` : ''}${item.notNull ? ' NOT NULL' : ''}`;
    case 'Constraint': {
      const name = item.name === '' ? '' : `CONSTRAINT ${item.name} `;
      if (item.uniqueField !== undefined) return `${name}UNIQUEFIELD ${item.uniqueField}`;
      if (item.unique !== undefined) return `${name}UNIQUE(${item.unique.join(', ')})`;
      return `${name}CHECK(${item.check === undefined ? '' : printExpr(item.check)})`;
    }
    case 'NestedTable':
      return `${item.name} ${table(item.table, ind)}`;
    case 'FieldSet':
      return q(item.type);
  }
}

function items(list: readonly TableItem[], ind: string): string {
  if (list.length === 0) return '()';
  const inner = `${ind}  `;
  return `(\n${list.map((i) => inner + tableItem(i, inner)).join(',\n')}\n${ind})`;
}

function table(t: TableStmt, ind: string): string {
  const head = `${t.abstract ? 'ABSTRACT ' : ''}TABLE ${t.name}${t.inherits === undefined ? '' : ` INHERITS ${q(t.inherits)}`}`;
  return `${head} ${items(t.items, ind)}${withClause(t.with)}`;
}

function viewItem(v: ViewItem): string {
  switch (v.kind) {
    case 'PrimaryKey': {
      const part = v.partition.length > 0 ? `(${v.partition.map((x) => x.value).join(', ')})` : '';
      const sep = part !== '' && v.clustering.length > 0 ? ', ' : '';
      return `PRIMARY KEY(${part}${sep}${v.clustering.map((x) => x.value).join(', ')})`;
    }
    case 'ViewField':
      return `${v.name.value} ${dataType(v.type)}${v.notNull ? ' NOT NULL' : ''}`;
    case 'ViewRefField':
      return `${v.name.value} ref${v.refs.length > 0 ? `(${v.refs.map(q).join(', ')})` : ''}${v.notNull ? ' NOT NULL' : ''}`;
    case 'ViewRecordField':
      return `${v.name.value} record${v.notNull ? ' NOT NULL' : ''}`;
  }
}

function trigger(t: TriggerNode): string {
  if (t.cron !== undefined) return `CRON ${str(t.cron)}`;
  const what =
    t.execute !== undefined
      ? `EXECUTE${t.execute.withParam ? ' WITH PARAM' : ''}`
      : t.tableActions.join(' OR ');
  const on = t.qnames.length === 1 ? q(t.qnames[0] as DefQName) : `(${t.qnames.map(q).join(', ')})`;
  return `AFTER ${what} ON ${on}`;
}

function grantTarget(t: GrantTarget): string {
  const tag = (x: DefQName | undefined): string => (x === undefined ? '' : ` WITH TAG ${q(x)}`);
  switch (t.kind) {
    case 'Command':
      return `EXECUTE ON COMMAND ${q(t.name)}`;
    case 'AllCommands':
      return `EXECUTE ON ALL COMMANDS${tag(t.tag)}`;
    case 'Query':
      return `EXECUTE ON QUERY ${q(t.name)}`;
    case 'AllQueries':
      return `EXECUTE ON ALL QUERIES${tag(t.tag)}`;
    case 'View':
      return `SELECT${t.columns.length > 0 ? `(${t.columns.map((c) => c.value).join(', ')})` : ''} ON VIEW ${q(t.name)}`;
    case 'AllViews':
      return `SELECT ON ALL VIEWS${tag(t.tag)}`;
    case 'Role':
      return q(t.name);
    case 'AllTables':
      return `${t.all ? 'ALL' : t.actions.map((a) => a.op).join(', ')} ON ALL TABLES${tag(t.tag)}`;
    case 'Table': {
      const acts =
        t.all !== undefined
          ? `ALL${t.all.columns.length > 0 ? `(${t.all.columns.map((c) => c.value).join(', ')})` : ''}`
          : t.actions
              .map(
                (a) =>
                  `${a.op}${a.columns.length > 0 ? `(${a.columns.map((c) => c.name).join(', ')})` : ''}`,
              )
              .join(', ');
      return `${acts} ON TABLE ${q(t.name)}`;
    }
  }
}

function statement(s: AnyStatement, ind: string): string {
  const inner = `${ind}  `;
  const block = (list: readonly AnyStatement[]): string =>
    list.length === 0
      ? '()'
      : `(\n${list.map((x) => `${inner}${statement(x, inner)};`).join('\n')}\n${ind})`;
  switch (s.kind) {
    case 'Import':
      return `IMPORT SCHEMA ${str(s.path)}${s.alias === undefined ? '' : ` AS ${s.alias}`}`;
    case 'Application':
      return `APPLICATION ${s.name}(${s.uses.map((u) => `USE ${u.value};`).join(' ')})`;
    case 'Declare':
      return `DECLARE ${s.name} ${s.dataType} DEFAULT ${s.defaultValue}`;
    case 'Template':
      return `TEMPLATE ${s.name} OF WORKSPACE ${q(s.workspace)} SOURCE ${s.source}`;
    case 'Role':
      return `${s.published ? 'PUBLISHED ' : ''}ROLE ${s.name}`;
    case 'Tag':
      return `TAG ${s.name}${s.feature === '' ? '' : ` FEATURE ${str(s.feature)}`}`;
    case 'RootExtEngine':
    case 'WsExtEngine':
      return `EXTENSION ENGINE ${s.engine} ${block(s.statements)}`;
    case 'Function':
      return `FUNCTION ${s.name}(${s.params.map((p) => (p.name === undefined ? '' : `${p.name} `) + fieldType(p.type)).join(', ')}) RETURNS ${s.returns.kind === 'Void' ? 'void' : fieldType(s.returns)}`;
    case 'Storage': {
      const ops = s.ops.map((o) => `${o.op} SCOPE(${o.scopes.join(', ')})`).join(', ');
      return `STORAGE ${s.name}(${ops})${s.entityRecord ? ' ENTITY RECORD' : ''}${s.entityView ? ' ENTITY VIEW' : ''}`;
    }
    case 'Command': {
      const params: string[] = [];
      if (s.param !== undefined) params.push(arg(s.param));
      if (s.unloggedParam !== undefined) params.push(`UNLOGGED ${arg(s.unloggedParam)}`);
      const p =
        s.param === undefined && s.unloggedParam === undefined ? '' : `(${params.join(', ')})`;
      return `COMMAND ${s.name}${p}${storages('STATE', s.state)}${storages('INTENTS', s.intents)}${s.returns === undefined ? '' : ` RETURNS ${arg(s.returns)}`}${withClause(s.with)}`;
    }
    case 'Query':
      return `QUERY ${s.name}${s.param === undefined ? '' : `(${arg(s.param)})`}${storages('STATE', s.state)}${s.returns === undefined ? '' : ` RETURNS ${arg(s.returns)}`}${withClause(s.with)}`;
    case 'Projector':
      return `${s.sync ? 'SYNC ' : ''}PROJECTOR ${s.name} ${s.triggers.map(trigger).join(' OR ')}${storages('STATE', s.state)}${storages('INTENTS', s.intents)}${s.includingErrors ? ' INCLUDING ERRORS' : ''}`;
    case 'Job':
      return `JOB ${s.name}${s.cron === undefined ? '' : ` ${str(s.cron)}`}${storages('STATE', s.state)}${storages('INTENTS', s.intents)}`;
    case 'Workspace': {
      const head = `${s.abstract ? 'ABSTRACT ' : ''}${s.alterable ? 'ALTERABLE ' : ''}${s.pool ? 'POOL OF ' : ''}WORKSPACE ${s.name}${s.inherits.length > 0 ? ` INHERITS ${s.inherits.map(q).join(', ')}` : ''}`;
      const d = s.descriptor;
      const body: string[] = [];
      if (d !== undefined && !d.implicit) {
        const name = d.name === `${s.name}Descriptor` || d.name === '' ? '' : `${d.name}`;
        body.push(`${inner}DESCRIPTOR ${name}${items(d.items, inner)};`);
      }
      for (const x of s.statements) body.push(`${inner}${statement(x, inner)};`);
      return body.length === 0 ? `${head} ()` : `${head} (\n${body.join('\n')}\n${ind})`;
    }
    case 'AlterWorkspace':
      return `ALTER WORKSPACE ${q(s.name)} ${block(s.statements)}`;
    case 'UseWorkspace':
      return `USE WORKSPACE ${s.workspace.value}`;
    case 'Table':
      return table(s, ind);
    case 'Type':
      return `TYPE ${s.name} ${items(s.items, ind)}`;
    case 'Descriptor':
      return `DESCRIPTOR ${s.name} ${items(s.items, ind)}`;
    case 'View': {
      const list = s.items.map((v) => `${inner}${viewItem(v)}`).join(',\n');
      return `VIEW ${s.name} (\n${list}\n${ind}) AS RESULT OF ${q(s.resultOf)}${withClause(s.with)}`;
    }
    case 'Rate': {
      const count = s.count !== undefined ? String(s.count) : q(s.variable as DefQName);
      const scope =
        s.objectScope === undefined
          ? ''
          : s.objectScope === 'Workspace'
            ? ' PER WORKSPACE'
            : ' PER APP PARTITION';
      const subj =
        s.subjectScope === undefined ? '' : s.subjectScope === 'IP' ? ' PER IP' : ' PER SUBJECT';
      return `RATE ${s.name} ${count} PER ${s.unitAmount === undefined ? '' : `${s.unitAmount} `}${s.unit}${scope}${subj}`;
    }
    case 'Limit': {
      const acts = s.actions.length > 0 ? ` ${s.actions.map((a) => a.op).join(', ')}` : '';
      let target = '';
      if (s.single !== undefined) target = `ON ${s.single.target} ${q(s.single.name)}`;
      const plural = {
        COMMAND: 'COMMANDS',
        QUERY: 'QUERIES',
        TABLE: 'TABLES',
        VIEW: 'VIEWS',
      } as const;
      if (s.all !== undefined)
        target = `ON ALL ${plural[s.all.target]}${s.all.tag === undefined ? '' : ` WITH TAG ${q(s.all.tag)}`}`;
      if (s.each !== undefined)
        target = `ON EACH ${s.each.target}${s.each.tag === undefined ? '' : ` WITH TAG ${q(s.each.tag)}`}`;
      return `LIMIT ${s.name}${acts} ${target} WITH RATE ${q(s.rate)}`;
    }
    case 'Grant':
      return `GRANT ${grantTarget(s.target)} TO ${q(s.role)}`;
    case 'Revoke':
      return `REVOKE ${grantTarget(s.target)} FROM ${q(s.role)}`;
  }
}

/** Prints a whole file; statements are separated by `;` and blank lines. */
export function printFile(ast: FileAst): string {
  const out: string[] = [];
  for (const i of ast.imports) out.push(`${statement(i, '')};`);
  for (const s of ast.statements) out.push(`${statement(s, '')};`);
  return `${out.join('\n\n')}\n`;
}
