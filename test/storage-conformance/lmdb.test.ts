import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { LmdbStorageProvider } from '../../src/storage/index.js';
import { describeStorageConformance } from './conformance.js';

const path = mkdtempSync(join(tmpdir(), 'voedger-lmdb-'));
after(() => rmSync(path, { recursive: true, force: true }));

describeStorageConformance('lmdb', {
  open: (clock) => LmdbStorageProvider.open({ path, clock }),
  reopen: (clock) => LmdbStorageProvider.open({ path, clock }),
});
