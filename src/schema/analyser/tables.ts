// Tables and types: table kinds through INHERITS, nested tables, field sets, fields, constraints, references.
import {
  type DataTypeNode,
  type FieldNode,
  qnameText,
  type TableItem,
  type TableStmt,
  type TypeStmt,
} from '../ast.js';
import { checkGoRegexp } from './go-regexp.js';
import {
  type Ctx,
  LookupError,
  maxFieldLength,
  nestedKind,
  type Pkg,
  type Resolved,
  sysTableKind,
  type TableKind,
} from './model.js';
import type { Resolver } from './resolve.js';
import { analyseWith } from './with.js';

/** Pre-analysis: every top-level table's kind (and singleton flag), from its INHERITS chain. */
export function preAnalyseTable(r: Resolver, t: TableStmt, c: Ctx): void {
  try {
    const { kind, singleton } = tableKindOf(r, t, c.pkg, c);
    r.a.tableKind.set(t, kind);
    if (singleton) r.a.singleton.add(t);
  } catch (e) {
    if (e instanceof LookupError) r.err(t.pos, e.message);
    else throw e;
  }
}

/** The kind of the sys root table the INHERITS chain reaches; throws LookupError when none or on a cycle. */
export function tableKindOf(
  r: Resolver,
  t: TableStmt,
  pkg: Pkg,
  c: Ctx,
): { kind: TableKind; singleton: boolean } {
  const own = sysTableKind(t, pkg);
  if (own !== undefined) return own;
  const chain: { t: TableStmt; pkg: Pkg }[] = [];
  let cur: TableStmt = t;
  while (cur.inherits !== undefined) {
    const b = r.lookup(cur.inherits, c, 'Table');
    if (b === undefined) break;
    if (chain.some((n) => n.pkg === b.pkg && n.t.name === b.stmt.name)) {
      throw new LookupError('circular reference in INHERITS');
    }
    chain.push({ t: b.stmt, pkg: b.pkg });
    cur = b.stmt;
  }
  for (const n of chain) {
    const k = sysTableKind(n.t, n.pkg);
    if (k !== undefined) return k;
  }
  throw new LookupError('undefined table kind');
}

/** Pass 1 for TABLE. */
export function analyseTable(r: Resolver, t: TableStmt, c: Ctx): void {
  analyseWith(r, t.with, t, c);
  analyseNestedTables(r, t.items, r.a.tableKind.get(t), c);
  analyseFieldSets(r, t.items, c);
  analyseFields(r, t.items, c, true);
  if (t.inherits !== undefined) {
    r.resolveOrReport(t.inherits, c, 'Table', (b) => {
      if (!b.stmt.abstract) throw new LookupError('base table must be abstract');
      r.a.tableInherits.set(t, b);
    });
  }
}

/** Pass 1 for TYPE. */
export function analyseType(r: Resolver, t: TypeStmt, c: Ctx): void {
  for (const item of t.items) {
    if (item.kind === 'NestedTable') r.err(item.pos, 'nested tables not supported in types');
  }
  analyseFieldSets(r, t.items, c);
  analyseFields(r, t.items, c, false);
}

/** Nested tables get the record kind of their root's family; the first error stops the list. */
export function analyseNestedTables(
  r: Resolver,
  items: readonly TableItem[],
  rootKind: TableKind | undefined,
  c: Ctx,
): void {
  for (const item of items) {
    if (item.kind !== 'NestedTable') continue;
    const nested = item.table;
    if (nested.abstract) {
      r.err(item.pos, `nested abstract table ${nested.name}`);
      return;
    }
    const expected = nestedKind(rootKind);
    if (expected === undefined) {
      r.err(item.pos, `unexpected root table kind ${rootKind ?? 0}`);
      return;
    }
    if (nested.inherits === undefined) {
      r.a.tableKind.set(nested, expected);
    } else {
      try {
        const k = tableKindOf(r, nested, c.pkg, c);
        r.a.tableKind.set(nested, k.kind);
        if (k.singleton) r.a.singleton.add(nested);
        if (k.kind !== expected) {
          r.err(item.pos, 'incorrect nested table kind');
          return;
        }
      } catch (e) {
        if (e instanceof LookupError) {
          r.err(item.pos, e.message);
          return;
        }
        throw e;
      }
    }
    if (c.ws !== undefined) r.a.stmtWorkspace.set(nested, c.ws);
    r.a.stmtPkg.set(nested, c.pkg);
    analyseWith(r, nested.with, nested, c);
    analyseNestedTables(r, nested.items, rootKind, c);
  }
}

export function analyseFieldSets(r: Resolver, items: readonly TableItem[], c: Ctx): void {
  for (const item of items) {
    if (item.kind === 'FieldSet') {
      r.resolveOrReport(item.type, c, 'Type', (t) => r.a.fieldSetType.set(item, t));
    }
    if (item.kind === 'NestedTable') analyseFieldSets(r, item.table.items, c);
  }
}

/** A field of the items or of their field sets; as in the reference, the last field set decides. */
function lookupField(r: Resolver, items: readonly TableItem[], name: string, c: Ctx): boolean {
  let found = false;
  for (const item of items) {
    if ((item.kind === 'Field' || item.kind === 'RefField') && item.name === name) return true;
    if (item.kind === 'FieldSet') {
      const t = r.resolveOrReport(item.type, c, 'Type', undefined, item.pos);
      if (t === undefined) return false;
      found = lookupField(r, t.stmt.items, name, c);
    }
  }
  return found;
}

export function analyseDataType(r: Resolver, dt: DataTypeNode, isTable: boolean): void {
  if (dt.type === 'blob' && !isTable) r.err(dt.pos, 'BLOB field only allowed in table');
  if (
    (dt.type === 'varchar' || dt.type === 'bytes') &&
    dt.maxLen !== undefined &&
    dt.maxLen > maxFieldLength
  ) {
    r.err(dt.pos, `maximum field length is ${maxFieldLength}`);
  }
}

/** A field's `CHECK '<regexp>'`: varchar only, and the pattern must compile with Go's (RE2) syntax. */
function analyseCheckRegexp(r: Resolver, f: FieldNode): void {
  const check = f.checkRegexp;
  if (check === undefined) return;
  if (f.type.kind !== 'DataType' || f.type.type !== 'varchar') {
    r.err(check.pos, 'regexp CHECK only available for varchar field');
    return;
  }
  const error = checkGoRegexp(check.value);
  // the reference's message has two spaces after the colon
  if (error !== undefined) r.err(check.pos, `CHECK regexp error:  ${error}`);
}

export function analyseFields(
  r: Resolver,
  items: readonly TableItem[],
  c: Ctx,
  isTable: boolean,
): void {
  const inUniques: string[] = [];
  const constraintNames = new Set<string>();
  for (const item of items) {
    if (item.kind === 'Field') {
      const f = item;
      analyseCheckRegexp(r, f);
      if (f.type.kind === 'DataType') {
        analyseDataType(r, f.type, isTable);
      } else if (!isTable) {
        const ref = f.type;
        const t = r.resolveOrReport(ref, c, 'Type');
        if (t === undefined) continue;
        r.a.fieldTypeType.set(f, t);
      } else {
        const ref = f.type;
        try {
          const t = r.resolve(ref, c, 'Table');
          if (t.stmt.abstract) throw new LookupError(`nested abstract table ${qnameText(ref)}`);
          const k = r.a.tableKind.get(t.stmt);
          if (k !== 'CRecord' && k !== 'ORecord' && k !== 'WRecord') {
            throw new LookupError(`${qnameText(ref)} type not supported`);
          }
          r.a.fieldTypeTable.set(f, t);
        } catch (e) {
          if (!(e instanceof LookupError)) throw e;
          const msg =
            e.message === `undefined table: ${qnameText(ref)}`
              ? `undefined data type or table: ${qnameText(ref)}`
              : e.message;
          r.err(ref.pos, msg);
          continue;
        }
      }
    }
    if (item.kind === 'NestedTable') analyseFields(r, item.table.items, c, true);
    if (item.kind === 'Constraint') {
      if (item.name !== '') {
        if (constraintNames.has(item.name)) {
          r.err(item.pos, `redefinition of ${item.name}`);
          continue;
        }
        constraintNames.add(item.name);
      }
      if (item.uniqueField !== undefined) {
        if (!lookupField(r, items, item.uniqueField, c)) {
          r.err(item.pos, `undefined field ${item.uniqueField}`);
        }
      } else if (item.unique !== undefined) {
        for (const field of item.unique) {
          for (const f of inUniques) {
            if (f === field) r.err(item.pos, `field ${field} already in unique constraint`);
          }
          if (!lookupField(r, items, field, c)) {
            r.err(item.pos, `undefined field ${field}`);
            continue;
          }
          inUniques.push(field);
        }
      }
    }
  }
}

/** Pass 6: `ref(...)` targets exist, are not abstract, and C-tables do not reference W-tables. */
export function analyseRefFields(
  r: Resolver,
  items: readonly TableItem[],
  c: Ctx,
  kind: TableKind | 'Object' | undefined,
): void {
  for (const item of items) {
    if (item.kind === 'RefField') {
      const targets: Resolved<TableStmt>[] = [];
      r.a.refTargets.set(item, targets);
      for (const ref of item.refs) {
        r.resolveOrReport(ref, c, 'Table', (t) => {
          if (t.stmt.abstract)
            throw new LookupError(`reference to abstract table ${qnameText(ref)}`);
          const tk = r.a.tableKind.get(t.stmt);
          if ((kind === 'CRecord' || kind === 'CDoc') && (tk === 'WRecord' || tk === 'WDoc')) {
            throw new LookupError(`${qnameText(ref)}: reference to WDoc/WRecord`);
          }
          targets.push(t);
        });
      }
    }
    if (item.kind === 'NestedTable')
      analyseRefFields(r, item.table.items, c, r.a.tableKind.get(item.table));
  }
}
