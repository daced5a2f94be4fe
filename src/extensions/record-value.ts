import type { ObjectNode, RecordRow } from '../structs/index.js';
import type { ArgObject, RecordValue } from './context.js';

/** A stored record as extensions and clients see it: user fields plus the system fields. */
export function recordValue(r: RecordRow, withActive = true): RecordValue {
  const out: Record<string, unknown> = { 'sys.ID': r.id, 'sys.QName': r.qname };
  if (r.parentId !== 0) {
    out['sys.ParentID'] = r.parentId;
    out['sys.Container'] = r.container;
  }
  if (withActive) out['sys.IsActive'] = r.isActive;
  return Object.assign(out, r.fields);
}

/** Adds a nested object to the array under its container name, creating the array. */
export function appendChild(out: Record<string, unknown>, container: string, child: unknown): void {
  const list = out[container];
  if (Array.isArray(list)) list.push(child);
  else out[container] = [child];
}

/** An argument object tree as extensions see it: fields, and children under their containers. */
export function argObjectOf(node: ObjectNode): ArgObject {
  const out: Record<string, unknown> = { 'sys.QName': node.qname, ...node.fields };
  if (node.id !== 0) out['sys.ID'] = node.id;
  if (node.parentId !== 0) out['sys.ParentID'] = node.parentId;
  for (const c of node.children) appendChild(out, c.container, argObjectOf(c));
  return out;
}
