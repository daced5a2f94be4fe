// Type filters of the AppDef (ACL rules, limits, projector events): matching, the types a workspace's filters
// see, the operations ACL allows per type kind, and the reference's text for filters and types, which its
// error messages quote.
import type { FilterDef, Operation, TypeDef, TypeKind, WorkspaceDef } from './appdef.js';

/** True when the type passes the filter. A `Types` filter with a workspace matches that workspace's own types only. */
export function filterMatches(f: FilterDef, t: TypeDef): boolean {
  switch (f.kind) {
    case 'QNames':
      return f.names.includes(t.name);
    case 'Types':
      return f.types.includes(t.kind) && (f.workspace === null || t.workspace === f.workspace);
    case 'Tags':
      return f.tags.some((tag) => t.tags.includes(tag));
    case 'And':
      return f.filters.every((x) => filterMatches(x, t));
    case 'Or':
      return f.filters.some((x) => filterMatches(x, t));
  }
}

/**
 * The types a filter of a workspace runs over: the workspace's own and its ancestors' (recursively), sorted
 * by name, as the reference's `IWorkspace.Types()` (its used workspaces are left out: no filter here takes
 * the Workspace kind).
 */
export function workspaceVisibleTypes(
  ws: string,
  types: ReadonlyMap<string, TypeDef>,
  workspaces: ReadonlyMap<string, WorkspaceDef>,
): readonly TypeDef[] {
  const names = new Set<string>();
  const seen = new Set<string>();
  const visit = (w: string): void => {
    const def = workspaces.get(w);
    if (def === undefined || seen.has(w)) return;
    seen.add(w);
    for (const a of def.ancestors) visit(a);
    for (const t of def.types) names.add(t);
  };
  visit(ws);
  return [...names]
    .sort()
    .map((n) => types.get(n))
    .filter((t): t is TypeDef => t !== undefined);
}

const recordOps: readonly Operation[] = ['Insert', 'Update', 'Activate', 'Deactivate', 'Select'];
const viewOps: readonly Operation[] = ['Insert', 'Update', 'Select'];

/** The operations an ACL rule may name for a type kind; none for kinds ACL does not cover. */
export function aclOperationsFor(kind: TypeKind): readonly Operation[] {
  switch (kind) {
    case 'CDoc':
    case 'CRecord':
    case 'WDoc':
    case 'WRecord':
    case 'ODoc':
    case 'ORecord':
    case 'Object':
      return recordOps;
    case 'ViewRecord':
      return viewOps;
    case 'Command':
    case 'Query':
      return ['Execute'];
    case 'Role':
      return ['Inherits'];
    default:
      return [];
  }
}

/** The field names of a type that has fields (structures and views); undefined for other kinds. */
export function typeFields(t: TypeDef): readonly string[] | undefined {
  switch (t.kind) {
    case 'ViewRecord':
      return [...t.partitionKey, ...t.clusteringColumns, ...t.value].map((f) => f.name);
    case 'CDoc':
    case 'CRecord':
    case 'WDoc':
    case 'WRecord':
    case 'ODoc':
    case 'ORecord':
    case 'Object':
      return t.fields.map((f) => f.name);
    default:
      return undefined;
  }
}

/** The reference's text of a type in messages: `CDoc «pkg.Doc»`, `int32-data «sys.int32»`. */
export function typeText(t: TypeDef): string {
  return t.kind === 'Data' ? `${t.dataKind}-data «${t.name}»` : `${t.kind} «${t.name}»`;
}

// The reference's type kinds in its declaration order, which is the order its filters print them in.
// This AppDef has no GDoc/GRecord (VSQL cannot declare them); its six record kinds stand for the
// reference's record set, which includes them.
const kindOrder: readonly string[] = [
  'Any',
  'Tag',
  'Data',
  'GDoc',
  'CDoc',
  'ODoc',
  'WDoc',
  'GRecord',
  'CRecord',
  'ORecord',
  'WRecord',
  'ViewRecord',
  'Object',
  'Query',
  'Command',
  'Projector',
  'Job',
  'Workspace',
  'Role',
  'Rate',
  'Limit',
];
const recordKinds: readonly TypeKind[] = ['CDoc', 'CRecord', 'WDoc', 'WRecord', 'ODoc', 'ORecord'];

function typesText(types: readonly TypeKind[]): string {
  const set = new Set<string>(types);
  if (recordKinds.every((k) => set.has(k))) {
    set.add('GDoc');
    set.add('GRecord');
  }
  const sorted = kindOrder.filter((k) => set.has(k));
  const structures = [...recordKinds, 'GDoc', 'GRecord', 'Object'];
  if (sorted.length === structures.length && structures.every((k) => set.has(k))) {
    return 'ALL TABLES';
  }
  if (sorted.length === 2 && set.has('Query') && set.has('Command')) return 'ALL FUNCTIONS';
  return `TYPES(${sorted.join(', ')})`;
}

/** The reference's text of a filter: `QNAMES(pkg.Doc)`, `TYPES(Command) FROM pkg.W`, `… AND TAGS(pkg.t)`. */
export function filterText(f: FilterDef): string {
  const child = (x: FilterDef): string =>
    x.kind === 'And' || x.kind === 'Or' ? `(${filterText(x)})` : filterText(x);
  switch (f.kind) {
    case 'QNames':
      return `QNAMES(${[...new Set(f.names)].sort().join(', ')})`;
    case 'Types':
      return f.workspace === null
        ? typesText(f.types)
        : `${typesText(f.types)} FROM ${f.workspace}`;
    case 'Tags':
      return `TAGS(${[...new Set(f.tags)].sort().join(', ')})`;
    case 'And':
      return f.filters.map(child).join(' AND ');
    case 'Or':
      return f.filters.map(child).join(' OR ');
  }
}

/** An ACL rule's filter as the reference prints it: the filter, then its field list if any (`QNAMES(x)[a b]`). */
export function aclFilterText(f: FilterDef, fields: readonly string[]): string {
  return fields.length === 0 ? filterText(f) : `${filterText(f)}[${fields.join(' ')}]`;
}

/**
 * A limit's filter as the reference prints it: with option EACH a leading `ALL ` becomes `EACH `, any other
 * text gets `EACH ` in front (`EACH TYPES(Command) AND QNAMES(pkg.C)`); with option ALL the filter as is.
 */
export function limitFilterText(f: FilterDef, option: 'ALL' | 'EACH'): string {
  const text = filterText(f);
  if (option === 'ALL') return text;
  return text.startsWith('ALL ') ? `EACH ${text.slice(4)}` : `EACH ${text}`;
}
