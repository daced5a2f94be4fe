import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { LmdbStorageProvider } from '../../src/storage/index.js';
import { describeStorageConformance } from './conformance.js';

const path = mkdtempSync(join(tmpdir(), 'voedger-lmdb-'));
after(() => rmSync(path, { recursive: true, force: true }));

describeStorageConformance('lmdb', {
  open: (clock) => LmdbStorageProvider.open({ path, clock }),
  reopen: (clock) => LmdbStorageProvider.open({ path, clock }),
});

describe('lmdb data directory', () => {
  it('is a directory even when its name has a dot in it', async () => {
    const dotted = mkdtempSync(join(tmpdir(), 'voedger.lmdb.'));
    try {
      const provider = await LmdbStorageProvider.open({ path: dotted });
      const storage = await provider.open('dotted');
      await storage.put(new Uint8Array([1]), new Uint8Array(), new Uint8Array([2]));
      assert.deepEqual(
        await storage.get(new Uint8Array([1]), new Uint8Array()),
        new Uint8Array([2]),
      );
      await provider.close();
      assert.ok(readdirSync(dotted).includes('data.mdb'));
    } finally {
      rmSync(dotted, { recursive: true, force: true });
    }
  });
});
