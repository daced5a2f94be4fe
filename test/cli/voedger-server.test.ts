/**
 * `voedger server` as a user runs it: a real process, its output and exit code. Bad settings stop
 * start-up with one line naming the setting to fix.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { dropSchema, POSTGRES_SKIP_REASON, postgresTestUrl } from '../support/postgres.js';

const main = fileURLToPath(new URL('../../src/cli/voedger/main.ts', import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function voedger(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const cleanEnv = { ...process.env };
    for (const name of Object.keys(cleanEnv)) {
      if (name.startsWith('VOEDGER_') || name === 'DATABASE_URL') delete cleanEnv[name];
    }
    execFile(
      process.execPath,
      ['--import', 'tsx', main, ...args],
      { env: { ...cleanEnv, ...env } },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('voedger server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'voedger-cli-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('uses the embedded lmdb store by default, in the given data directory', async () => {
    const dataDir = join(dir, 'data');
    const run = await voedger(['server', '--data-dir', dataDir]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`storage lmdb opened at ${dataDir}`));
  });

  it('takes its settings from the environment too', async () => {
    const run = await voedger(['server'], { VOEDGER_STORAGE: 'mem' });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /storage mem opened in memory/);
  });

  it('refuses an unknown backend, naming the setting', async () => {
    const run = await voedger(['server', '--storage', 'cassandra']);
    assert.equal(run.code, 1);
    assert.equal(
      run.stderr.trim(),
      "voedger: cannot start: --storage (VOEDGER_STORAGE): unknown storage backend 'cassandra': " +
        'expected one of mem, lmdb, postgres',
    );
  });

  it('refuses a data directory it cannot write, naming the setting', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    const run = await voedger(['server', '--data-dir', join(file, 'data')]);
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      /^voedger: cannot start: --data-dir \(VOEDGER_DATA_DIR\): cannot open the LMDB data directory .*ENOTDIR/,
    );
    assert.equal(run.stderr.trim().split('\n').length, 1);
  });

  it('refuses the postgres backend without a URL', async () => {
    const run = await voedger(['server', '--storage', 'postgres']);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /--postgres-url \(VOEDGER_POSTGRES_URL or DATABASE_URL\): .*needs a/);
  });

  it('refuses an unreachable PostgreSQL without printing its password', async () => {
    const run = await voedger(['server', '--storage', 'postgres'], {
      DATABASE_URL: 'postgres://user:s3cret@127.0.0.1:1/db',
    });
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      /cannot connect to PostgreSQL at postgres:\/\/user:\*\*\*@127\.0\.0\.1:1/,
    );
    assert.doesNotMatch(run.stderr, /s3cret/);
  });

  it('opens PostgreSQL when it is reachable', async (t) => {
    const url = await postgresTestUrl();
    if (url === undefined) return t.skip(POSTGRES_SKIP_REASON);
    const schema = `voedger_cli_${process.pid}`;
    const run = await voedger(['server', '--storage', 'postgres', '--postgres-schema', schema], {
      VOEDGER_POSTGRES_URL: url,
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`storage postgres opened in schema ${schema}`));
    await dropSchema(url, schema);
  });
});
