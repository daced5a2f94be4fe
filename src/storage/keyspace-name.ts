import { createHash } from 'node:crypto';
import { KEYSPACE_NAME_PATTERN } from './limits.js';

const MAX_READABLE_PART = 38;
/** Names that map to a keyspace without loss: `/` is the only `_` in the result. */
const SIMPLE_APP_QNAME = /^[a-z][a-z0-9]*\/[a-z0-9]+$/;

/**
 * The keyspace that holds an application's data, derived from its qualified name `owner/app`.
 *
 * Names that are already safe (`test1/app1` -> `test1_app1`) stay readable. Any name that had to
 * be changed to fit (upper case, other characters, too long) gets a hash suffix of the original,
 * so two different applications never share a keyspace.
 */
export function keyspaceOf(appQName: string): string {
  let name: string;
  if (SIMPLE_APP_QNAME.test(appQName) && appQName.length <= MAX_READABLE_PART) {
    name = appQName.replace('/', '_');
  } else {
    const readable = appQName.toLowerCase().replace(/[^a-z0-9]+/g, '_');
    const hash = createHash('sha256').update(appQName).digest('hex').slice(0, 8);
    name = `${/^[a-z]/.test(readable) ? '' : 'a'}${readable.slice(0, MAX_READABLE_PART)}_${hash}`;
  }
  if (!KEYSPACE_NAME_PATTERN.test(name)) throw new Error(`keyspaceOf produced '${name}'`);
  return name;
}
