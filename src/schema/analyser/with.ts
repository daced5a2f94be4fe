// WITH Comment=… and WITH Tags=(…) clauses, shared by tables, views and extensions.
import type { AnyStatement, WithItem } from '../ast.js';
import type { Ctx } from './model.js';
import type { Resolver } from './resolve.js';

export function analyseWith(
  r: Resolver,
  items: readonly WithItem[],
  stmt: AnyStatement,
  c: Ctx,
): void {
  let comment: string | undefined;
  for (const item of items) {
    if (item.comment !== undefined) comment = item.comment;
    const tags: string[] = [];
    for (const tag of item.tags) {
      r.resolveOrReport(tag, c, 'Tag', (t) => tags.push(r.a.qn(t.pkg, t.stmt.name)));
    }
    r.a.withTags.set(item, tags);
  }
  if (comment !== undefined) r.a.commentOverride.set(stmt, comment.split('\n'));
}
