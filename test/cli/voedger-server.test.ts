/**
 * `voedger server` as a user runs it: a real process, its output and exit code. Bad settings stop
 * start-up with one line naming the setting to fix.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
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

function cleanEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const clean = { ...process.env };
  for (const name of Object.keys(clean)) {
    if (name.startsWith('VOEDGER_') || name === 'DATABASE_URL') delete clean[name];
  }
  return { ...clean, ...env };
}

/** Runs `voedger` to its end: for settings that stop start-up. */
function voedger(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', main, ...args],
      { env: cleanEnv(env) },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/**
 * Starts `voedger server` on a free port, waits for its "listening on" line, lets `whileUp` talk
 * to it, then stops it with SIGTERM and returns how it ended.
 */
async function serve(
  args: string[],
  env: Record<string, string> = {},
  whileUp: (url: string) => Promise<void> = async () => {},
): Promise<Run & { url: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', main, 'server', '--port', '0', ...args],
    {
      env: cleanEnv(env),
    },
  );
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = /listening on (http:\/\/[^ ]+)/.exec(stdout);
      if (m !== null) resolve(m[1] as string);
    });
    void exited.then(() => reject(new Error(`the server exited before listening: ${stderr}`)));
  });
  try {
    await whileUp(url);
  } finally {
    child.kill('SIGTERM');
  }
  const code = await exited;
  return { code, stdout, stderr, url };
}

/** The `msg` of each JSON log line. */
const messages = (stdout: string): string[] =>
  stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => String((JSON.parse(l) as { msg?: string }).msg));

describe('voedger server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'voedger-cli-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('uses the embedded lmdb store by default, in the given data directory', async () => {
    const dataDir = join(dir, 'data');
    const run = await serve(['--data-dir', dataDir]);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(messages(run.stdout).includes(`storage lmdb opened at ${dataDir}`), run.stdout);
  });

  it('takes its settings from the environment too', async () => {
    const run = await serve([], { VOEDGER_STORAGE: 'mem', VOEDGER_HOST: '127.0.0.1' });
    assert.equal(run.code, 0, run.stderr);
    assert.ok(messages(run.stdout).includes('storage mem opened in memory'), run.stdout);
    assert.match(run.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('serves an application over HTTP and stops cleanly on SIGTERM', async () => {
    const app = fileURLToPath(new URL('../../examples/tracker', import.meta.url));
    const run = await serve(
      ['--storage', 'mem', '--host', '127.0.0.1', '--app', app],
      {},
      async (url) => {
        assert.equal(await (await fetch(`${url}/api/check`)).text(), 'ok');
        const res = await fetch(`${url}/api/local/tracker/1/q.sys.Echo`, {
          method: 'POST',
          body: JSON.stringify({ args: { Text: 'hello' }, elements: [{ fields: ['Res'] }] }),
        });
        assert.equal(res.status, 200);
        assert.deepEqual(await res.json(), {
          sections: [{ type: '', elements: [[[['hello']]]] }],
        });
      },
    );
    assert.equal(run.code, 0, run.stderr);
    const lines = messages(run.stdout);
    assert.ok(
      lines.some((l) =>
        /^application local\/tracker from .* running on mem in memory: 10 partitions, 1 commands, 2 queries, 2 projectors, 1 jobs$/.test(
          l,
        ),
      ),
      run.stdout,
    );
    assert.ok(
      lines.some(
        (l) =>
          l.startsWith('listening on http://127.0.0.1:') &&
          l.endsWith('applications: local/tracker'),
      ),
    );
    assert.deepEqual(lines.slice(-2), [
      'stopping (SIGTERM): finishing the requests and commands in flight',
      'stopped',
    ]);
  });

  it('refuses a port it cannot use, naming the setting', async () => {
    const run = await voedger(['server', '--storage', 'mem', '--port', '70000']);
    assert.equal(run.code, 1);
    assert.equal(
      run.stderr.trim(),
      "voedger: cannot start: --port (VOEDGER_PORT): expected 0..65535, got '70000'",
    );
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
    const run = await serve(['--storage', 'postgres', '--postgres-schema', schema], {
      VOEDGER_POSTGRES_URL: url,
    });
    assert.equal(run.code, 0, run.stderr);
    assert.ok(messages(run.stdout).includes(`storage postgres opened in schema ${schema}`));
    await dropSchema(url, schema);
  });
});
