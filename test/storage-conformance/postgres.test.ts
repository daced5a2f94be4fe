import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import postgres from 'postgres';
import { PostgresStorageProvider, StorageError } from '../../src/storage/index.js';
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

  describe('postgres options', () => {
    it('uses TLS when asked to, and refuses a server that cannot', async () => {
      const probe = postgres(url, { max: 1, onnotice: () => {} });
      const [setting] = await probe`show ssl`;
      await probe.end();
      const open = () => PostgresStorageProvider.open({ url, schema, tls: 'require' });
      if (setting?.ssl === 'on') {
        const provider = await open();
        await provider.close();
      } else {
        await assert.rejects(
          open,
          (error: unknown) =>
            error instanceof StorageError &&
            error.code === 'UNAVAILABLE' &&
            /TLS|SSL/.test(error.message),
        );
      }
    });

    it('refuses an invalid schema name', async () => {
      await assert.rejects(
        PostgresStorageProvider.open({ url, schema: 'bad;name' }),
        (error: unknown) => error instanceof StorageError && error.code === 'INVALID_ARGUMENT',
      );
    });
  });
}
