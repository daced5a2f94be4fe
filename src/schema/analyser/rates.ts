// Rates and limits.
import type { DeclareStmt, LimitStmt, OperationName, RateStmt } from '../ast.js';
import { type Ctx, LookupError } from './model.js';
import type { Resolver } from './resolve.js';

/** A rate's count: a literal, or a DECLAREd variable (its external value first, then its DEFAULT). */
export function analyseRate(r: Resolver, rate: RateStmt, c: Ctx): void {
  if (rate.variable !== undefined) {
    const v = rate.variable;
    r.resolveOrReport(v, c, 'Declare', (d) => {
      const decl: DeclareStmt = d.stmt;
      const external = r.opts.variables?.(r.a.qn(d.pkg, decl.name));
      const count = external ?? decl.defaultValue;
      if (count <= 0) throw new LookupError('positive value only allowed');
      r.a.rateCount.set(rate, count);
    });
  } else if (rate.count !== undefined) {
    r.a.rateCount.set(rate, rate.count);
  }
}

/** A limit's rate and target; its operations must apply to the target's kind. */
export function analyseLimit(r: Resolver, l: LimitStmt, c: Ctx): void {
  const rate = l.rate;
  r.resolveOrReport(rate, c, 'Rate', (x) => r.a.qnames.set(rate, r.a.qn(x.pkg, x.stmt.name)));
  const ops: OperationName[] = [];
  r.a.limitOps.set(l, ops);
  const allowed = (set: readonly OperationName[]): void => {
    if (l.actions.length === 0) {
      ops.push(...set);
      return;
    }
    // checked in the reference's fixed order per action
    for (const a of l.actions) {
      if (!set.includes(a.op)) r.err(a.pos, `operation ${a.op} not allowed`);
      else ops.push(a.op);
    }
  };
  const tableOps: OperationName[] = ['INSERT', 'UPDATE', 'SELECT', 'ACTIVATE', 'DEACTIVATE'];
  const opsFor = (t: string): OperationName[] =>
    t === 'COMMAND' || t === 'QUERY' ? ['EXECUTE'] : t === 'VIEW' ? ['SELECT'] : tableOps;
  if (l.single !== undefined) {
    const q = l.single.name;
    const kind = ({ COMMAND: 'Command', QUERY: 'Query', VIEW: 'View', TABLE: 'Table' } as const)[
      l.single.target
    ];
    r.resolveOrReport(q, c, kind, (x) => {
      r.a.qnames.set(q, r.a.qn(x.pkg, x.stmt.name));
      allowed(opsFor(l.single?.target ?? ''));
    });
  }
  for (const group of [l.all, l.each]) {
    if (group === undefined) continue;
    allowed(opsFor(group.target));
    const tag = group.tag;
    if (tag !== undefined) {
      r.resolveOrReport(tag, c, 'Tag', (x) => r.a.qnames.set(tag, r.a.qn(x.pkg, x.stmt.name)));
    }
  }
}
