/** The README's code comes from examples that run here, so it cannot drift from the code. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { quickstart } from '../../examples/storage/quickstart.js';
import { main as vpm } from '../../src/cli/vpm/main.js';

const root = new URL('../../', import.meta.url);

function region(file: string, name: string): string {
  const text = readFileSync(new URL(file, root), 'utf8');
  const match = text.match(new RegExp(`// #region ${name}\\n([\\s\\S]*?)\\n\\s*// #endregion`));
  assert.ok(match, `${file} has no region ${name}`);
  const lines = (match[1] as string).split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.search(/\S/)));
  return lines.map((l) => l.slice(indent)).join('\n');
}

/** The fenced blocks of the README that follow `marker`, in order. */
function blocksAfter(readme: string, marker: string): string[] {
  const from = readme.indexOf(marker);
  assert.ok(from >= 0, `README.md has no "${marker}"`);
  return [...readme.slice(from).matchAll(/```[a-z]*\n([\s\S]*?)```/g)].map((m) => m[1] as string);
}

function compile(dir: string): { code: number; out: string } {
  let out = '';
  const write = (s: string): void => {
    out += s;
  };
  return { code: vpm(['compile', dir], { write }, { write }), out };
}

// The README shows the example with these two mistakes made in it.
const mistakes: readonly [string, string][] = [
  ['    Title varchar(200) NOT NULL,\n    Code', '    Title varchar(200) NOT NUL,\n    Code'],
  ['    Estimate int32,', '    Estimate int32 CHECK,'],
];

describe('README', () => {
  it('shows what vpm compile prints for the VSQL example, and for it with two mistakes', () => {
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    const [command, summary, errors] = blocksAfter(readme, '## Defining an application in VSQL');
    assert.equal(command, 'npm run vpm -- compile examples/vsql/tasks\n');
    const good = compile(new URL('examples/vsql/tasks', root).pathname);
    assert.deepEqual(good, { code: 0, out: summary });
    let text = readFileSync(new URL('examples/vsql/tasks/tasks.vsql', root), 'utf8');
    for (const [from, to] of mistakes) {
      assert.ok(text.includes(from), `the example no longer contains ${JSON.stringify(from)}`);
      text = text.replace(from, to);
    }
    const dir = mkdtempSync(join(tmpdir(), 'vsql-readme-'));
    try {
      writeFileSync(join(dir, 'tasks.vsql'), text);
      const bad = compile(dir);
      assert.equal(bad.code, 1);
      assert.equal(bad.out, errors);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shows the storage quickstart example as it is', () => {
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    assert.ok(
      readme.includes(region('examples/storage/quickstart.ts', 'quickstart')),
      'README.md no longer matches examples/storage/quickstart.ts: copy the region again',
    );
  });

  it('shows what the tracker demo prints', () => {
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    const [command, output] = blocksAfter(readme, '## Running an application');
    assert.equal(command, 'npx tsx examples/tracker/demo.ts\n');
    const demo = new URL('examples/tracker/demo.ts', root).pathname;
    const run = spawnSync(process.execPath, ['--import', 'tsx', demo], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, output);
  });

  it('storage quickstart example runs and reads the range it describes', async () => {
    assert.deepEqual(await quickstart('lmdb'), ['soup', 'tea']);
    assert.deepEqual(await quickstart('mem'), ['soup', 'tea']);
  });
});

describe('README over HTTP', () => {
  it('shows what the tracker answers to its curl session', async () => {
    const { loadAppPackage, deployApp } = await import('../../src/apps/index.js');
    const { createHttpServer, HttpApps } = await import('../../src/routing/index.js');
    const { MemStorageProvider } = await import('../../src/storage/index.js');
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    const [session, answers] = blocksAfter(readme, '## Talking to it over HTTP');
    const lines = (session as string).split('\n').filter((l) => l.startsWith('curl '));
    const pkg = await loadAppPackage(new URL('examples/tracker', root).pathname);
    const provider = new MemStorageProvider({ clock: Date.now });
    const engine = await deployApp({
      app: pkg.app,
      appQName: pkg.qname,
      storage: await provider.open('tracker'),
      extensions: pkg.extensions,
    });
    const server = await createHttpServer({ apps: new HttpApps([engine]) });
    const base = await server.listen({ host: '127.0.0.1', port: 0 });
    const w = /^W=(\d+)/m.exec(session as string)?.[1] as string;
    try {
      const got: string[] = [];
      for (const line of lines) {
        // curl -s [-X METHOD] URL|"URL" [-d 'BODY']
        const m = /^curl -s(?: -X (\w+))? "?([^ "]+)"?(?: -d '(.*)')?$/.exec(line);
        assert.ok(m, `the README's curl line is not in the tested form: ${line}`);
        const url = (m[2] as string).replace('localhost:8822', base).replaceAll('$W', w);
        const body = m[3]?.replaceAll('\\\\', '\\');
        const res = await fetch(url, {
          method: m[1] ?? 'GET',
          ...(body === undefined ? {} : { body }),
        });
        got.push(await res.text());
      }
      assert.equal(`${got.join('\n')}\n`, answers);
    } finally {
      await server.close();
      await engine.stop();
      await provider.close();
    }
  });
});
