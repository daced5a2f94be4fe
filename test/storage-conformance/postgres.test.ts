import { after, describe } from 'node:test';
import { PostgresStorageProvider } from '../../src/storage/index.js';
import { dropSchema, POSTGRES_SKIP_REASON, postgresTestUrl } from '../support/postgres.js';
import { describeStorageConformance } from './conformance.js';

const url = await postgresTestUrl();
if (url === undefined) {
  describe('storage conformance: postgres', { skip: POSTGRES_SKIP_REASON }, () => {});
} else {
  const schema = `voedger_test_${process.pid}`;
  after(() => dropSchema(url, schema));
  describeStorageConformance('postgres', {
    open: (clock) => PostgresStorageProvider.open({ url, schema, clock }),
    reopen: (clock) => PostgresStorageProvider.open({ url, schema, clock }),
  });
}
