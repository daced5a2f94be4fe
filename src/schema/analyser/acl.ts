// ACL: GRANT and REVOKE targets, roles, tags and columns.
import {
  type DefQName,
  type DescriptorStmt,
  type GrantStmt,
  type OperationName,
  qnameText,
  type TableItem,
} from '../ast.js';
import type { Ctx, GrantFields, Pkg } from './model.js';
import type { Resolver } from './resolve.js';

/** Pass 6 for GRANT and REVOKE. */
export function analyseGrant(r: Resolver, g: GrantStmt, c: Ctx): void {
  const ops: OperationName[] = [];
  r.a.grantOps.set(g, ops);
  const role = g.role;
  r.resolveOrReport(role, c, 'Role', (x) => r.a.qnames.set(role, r.a.qn(x.pkg, x.stmt.name)));
  const t = g.target;
  const setQ = (q: DefQName, pkg: Pkg, name: string): void => {
    r.a.qnames.set(q, r.a.qn(pkg, name));
  };
  const tag = (q: DefQName | undefined, op: OperationName): void => {
    if (q === undefined) {
      ops.push(op);
      return;
    }
    r.resolveOrReport(q, c, 'Tag', (x) => {
      ops.push(op);
      setQ(q, x.pkg, x.stmt.name);
    });
  };
  switch (t.kind) {
    case 'Role':
      r.resolveOrReport(t.name, c, 'Role', (x) => {
        setQ(t.name, x.pkg, x.stmt.name);
        ops.push('INHERITS' as OperationName);
      });
      break;
    case 'Command':
      r.resolveOrReport(t.name, c, 'Command', (x) => {
        setQ(t.name, x.pkg, x.stmt.name);
        ops.push('EXECUTE');
      });
      break;
    case 'Query':
      r.resolveOrReport(t.name, c, 'Query', (x) => {
        setQ(t.name, x.pkg, x.stmt.name);
        ops.push('EXECUTE');
      });
      break;
    case 'View':
      r.resolveOrReport(t.name, c, 'View', (x) => {
        setQ(t.name, x.pkg, x.stmt.name);
        ops.push('SELECT');
        const names = new Set<string>();
        for (const item of x.stmt.items) {
          if (item.kind === 'ViewField' || item.kind === 'ViewRefField') names.add(item.name.value);
        }
        for (const col of t.columns) {
          if (!names.has(col.value)) r.err(col.pos, `undefined field ${col.value}`);
        }
        r.a.grantFields.set(g, [{ op: 'SELECT', fields: t.columns.map((col) => col.value) }]);
      });
      break;
    case 'AllCommands':
    case 'AllQueries':
      tag(t.tag, 'EXECUTE');
      break;
    case 'AllViews':
      tag(t.tag, 'SELECT');
      break;
    case 'AllTables':
      if (t.tag !== undefined) {
        const q = t.tag;
        r.resolveOrReport(q, c, 'Tag', (x) => {
          for (const a of t.actions) ops.push(a.op);
          setQ(q, x.pkg, x.stmt.name);
        });
      } else {
        for (const a of t.actions) ops.push(a.op);
      }
      break;
    case 'Table':
      analyseTableGrant(r, g, t, c);
      break;
  }
}

/** ON TABLE: a table or a workspace descriptor; the columns must be its own fields or nested tables. */
function analyseTableGrant(
  r: Resolver,
  g: GrantStmt,
  t: Extract<GrantStmt['target'], { kind: 'Table' }>,
  c: Ctx,
): void {
  let items: readonly TableItem[];
  let resolved: { pkg: Pkg; name: string };
  const asTable = r.tryLookup(t.name, c, 'Table');
  if (asTable.r !== undefined) {
    items = asTable.r.stmt.items;
    resolved = { pkg: asTable.r.pkg, name: asTable.r.stmt.name };
  } else {
    const missing = asTable.error ?? `undefined table: ${qnameText(t.name)}`;
    if (asTable.error !== undefined) {
      r.err(t.name.pos, missing);
      return;
    }
    const asDesc = r.tryLookup(t.name, c, 'Descriptor');
    if (asDesc.r === undefined) {
      r.err(t.name.pos, asDesc.error ?? missing);
      return;
    }
    const d: DescriptorStmt = asDesc.r.stmt;
    items = d.items;
    resolved = { pkg: asDesc.r.pkg, name: d.name };
  }
  r.a.qnames.set(t.name, r.a.qn(resolved.pkg, resolved.name));
  const hasColumn = (name: string): boolean =>
    items.some(
      (f) =>
        (f.kind === 'Field' && f.name === name) ||
        (f.kind === 'RefField' && f.name === name) ||
        (f.kind === 'NestedTable' && f.name === name),
    );
  const fields: GrantFields[] = [];
  if (t.all !== undefined) {
    const cols: string[] = [];
    for (const col of t.all.columns) {
      if (!hasColumn(col.value)) {
        r.err(col.pos, `undefined field ${col.value}`);
        return;
      }
      cols.push(col.value);
    }
    fields.push({ op: 'ALL', fields: cols });
  } else {
    for (const a of t.actions) {
      const cols: string[] = [];
      for (const col of a.columns) {
        if (!col.sys) {
          if (!hasColumn(col.name)) {
            r.err(col.pos, `undefined field ${col.name}`);
            return;
          }
        }
        cols.push(col.name);
      }
      const existing = fields.find((f) => f.op === a.op);
      if (existing === undefined) fields.push({ op: a.op, fields: cols });
      else existing.fields.push(...cols);
    }
  }
  r.a.grantFields.set(g, fields);
}
