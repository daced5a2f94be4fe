import type { RecordReader } from '../extensions/index.js';
import { recordValue } from '../extensions/index.js';
import type { FieldValues, NameRegistry, RecordRow } from '../structs/index.js';
import { badRequest } from './processor-error.js';

/**
 * The records an extension reads, by ID or singleton QName, through the reader its processor
 * gives (pending writes first for commands and projectors, committed storage for queries).
 */
export function recordReader(
  names: NameRegistry,
  getRecord: (id: number) => Promise<RecordRow | undefined>,
  findUnique: (table: string, values: FieldValues) => Promise<number | undefined> = async () => {
    throw new Error('findUnique is available to commands only');
  },
): RecordReader {
  const asValue = (r: RecordRow | undefined) => (r === undefined ? undefined : recordValue(r));
  return {
    get: async (id) => asValue(await getRecord(id)),
    getSingleton: async (qname) => {
      const id = names.singletonId(qname);
      if (id === undefined) throw badRequest(`${qname} is not a singleton`);
      return asValue(await getRecord(id));
    },
    findUnique,
  };
}
