// Views: fields, primary key rules, the producing projector or job, reference fields.
import {
  type JobStmt,
  type ProjectorStmt,
  qnameText,
  type TableStmt,
  type ViewStmt,
} from '../ast.js';
import { SYS_PACKAGE } from '../package-ast.js';
import { type Ctx, LookupError, type Resolved } from './model.js';
import type { Resolver } from './resolve.js';
import { analyseDataType } from './tables.js';
import { analyseWith } from './with.js';

/** Pass 1 for VIEW. */
export function analyseView(r: Resolver, v: ViewStmt, c: Ctx): void {
  let pk: Extract<ViewStmt['items'][number], { kind: 'PrimaryKey' }> | undefined;
  const fields = new Map<string, number>();
  v.items.forEach((item, i) => {
    switch (item.kind) {
      case 'PrimaryKey':
        if (pk !== undefined) r.err(item.pos, 'redefinition of primary key');
        else pk = item;
        break;
      case 'ViewField':
        if (fields.has(item.name.value)) r.err(item.name.pos, `redefinition of ${item.name.value}`);
        else fields.set(item.name.value, i);
        analyseDataType(r, item.type, false);
        break;
      case 'ViewRefField':
        if (fields.has(item.name.value)) r.err(item.name.pos, `redefinition of ${item.name.value}`);
        else fields.set(item.name.value, i);
        break;
      case 'ViewRecordField':
        if (c.pkg.path !== SYS_PACKAGE)
          r.err(item.pos, 'record fields are only allowed in sys package');
        fields.set(item.name.value, i);
        break;
    }
  });
  if (pk === undefined) {
    r.err(v.pos, 'primary key not defined');
    return;
  }
  // an unknown key field is still checked as the view's first item, as the reference does
  const itemAt = (name: string) => v.items[fields.get(name) ?? 0];
  for (const f of pk.partition) {
    if (!fields.has(f.value)) r.err(f.pos, `undefined field ${f.value}`);
    const item = itemAt(f.value);
    if (item?.kind === 'ViewRecordField')
      r.err(f.pos, `record field ${f.value} not supported in partition key`);
    if (item?.kind === 'ViewField') {
      if (item.type.type === 'varchar')
        r.err(f.pos, `varchar field ${f.value} not supported in partition key`);
      if (item.type.type === 'bytes')
        r.err(f.pos, `bytes field ${f.value} not supported in partition key`);
    }
  }
  if (pk.clustering.length === 0) {
    r.err(pk.pos, 'clustering columns not defined');
    return;
  }
  const clustering = pk.clustering;
  clustering.forEach((f, i) => {
    const last = i === clustering.length - 1;
    if (!fields.has(f.value)) r.err(f.pos, `undefined field ${f.value}`);
    const item = itemAt(f.value);
    if (item?.kind === 'ViewRecordField')
      r.err(f.pos, `record field ${f.value} not supported in partition key`);
    if (item?.kind === 'ViewField') {
      if (item.type.type === 'varchar' && !last) {
        r.err(f.pos, `varchar field ${f.value} can only be the last one in clustering key`);
      }
      if (item.type.type === 'bytes' && !last) {
        r.err(f.pos, `bytes field ${f.value} can only be the last one in clustering key`);
      }
    }
  });
  let producer: Resolved<ProjectorStmt> | Resolved<JobStmt> | undefined;
  const asProjector = r.tryLookup(v.resultOf, c, 'Projector');
  if (asProjector.error !== undefined) {
    r.err(v.resultOf.pos, asProjector.error);
    return;
  }
  if (asProjector.r !== undefined) producer = asProjector.r;
  else {
    const asJob = r.tryLookup(v.resultOf, c, 'Job');
    if (asJob.error !== undefined || asJob.r === undefined) {
      r.err(v.resultOf.pos, asJob.error ?? `${qnameText(v.resultOf)} undefined`);
      return;
    }
    producer = asJob.r;
  }
  r.a.viewResultOf.set(v, r.a.qn(producer.pkg, producer.stmt.name));
  let declared = false;
  for (const intent of producer.stmt.intents) {
    if (declared) break;
    const st = r.tryLookup(intent.storage, c, 'Storage');
    if (st.r?.stmt.entityView !== true) continue;
    declared = intent.entities.some(
      (e) => e.name === v.name && (e.pkg === c.pkg.name || e.pkg === ''),
    );
  }
  if (!declared) {
    r.err(v.resultOf.pos, `${producer.stmt.name} does not declare intent for view ${v.name}`);
    return;
  }
  analyseWith(r, v.with, v, c);
}

/** Pass 6: a view's `ref(...)` targets exist and are not abstract. */
export function analyseViewRefFields(r: Resolver, v: ViewStmt, c: Ctx): void {
  for (const item of v.items) {
    if (item.kind !== 'ViewRefField') continue;
    const targets: Resolved<TableStmt>[] = [];
    r.a.refTargets.set(item, targets);
    for (const ref of item.refs) {
      r.resolveOrReport(ref, c, 'Table', (t) => {
        if (t.stmt.abstract) throw new LookupError(`reference to abstract table ${qnameText(ref)}`);
        targets.push(t);
      });
    }
  }
}
