/**
 * HTTP benchmark: the server on loopback under wrk, beside a hello-world node:http server measured
 * in the same run (this machine's ceiling for one Node process).
 *
 *   npm run bench -- http [--quick] [--seconds=N]
 *
 * Our server runs the engine benchmark's application on LMDB: commands insert an order with 2
 * nested lines and update a view (v1 `c.sys.CUD`), at 64 and 500 connections; reads take one
 * document by ID (v2 docs) and a list of 20 rows from a view (v2 views), from one client and at
 * 64 connections. wrk runs as a separate process, on the same 2 cores, so every figure includes
 * the load generator's share. Without wrk (Debian package `wrk`) the suite says so and skips.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { deployApp } from '../src/apps/index.js';
import { createHttpServer, HttpApps } from '../src/routing/index.js';
import { LmdbStorageProvider } from '../src/storage/index.js';
import { formatNumber, numberOption, printTable } from './support/measure.js';
import { orderCuds, SHOP, SHOP_WSIDS, shopApp, shopExtensions } from './support/shop-app.js';

const APP = 'bench/shop';

interface WrkResult {
  readonly perSec: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
}

function hasWrk(): boolean {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    // wrk prints its version and exits with 1
    return (error as { status?: number }).status === 1;
  }
}

/** Runs wrk; `script` sets the method and body (Lua), rotating over `paths` per request. */
function wrk(
  url: string,
  connections: number,
  seconds: number,
  paths: readonly string[],
  method = 'GET',
  body?: string,
): Promise<WrkResult> {
  const dir = mkdtempSync(join(tmpdir(), 'voedger-bench-wrk-'));
  const script = join(dir, 'script.lua');
  writeFileSync(
    script,
    [
      `local paths = {${paths.map((p) => JSON.stringify(p)).join(',')}}`,
      'local i = 0',
      `wrk.method = "${method}"`,
      body === undefined ? '' : `wrk.body = ${JSON.stringify(body)}`,
      'wrk.headers["Content-Type"] = "application/json"',
      'request = function()',
      '  i = i + 1',
      '  return wrk.format(nil, paths[(i % #paths) + 1])',
      'end',
      'done = function(summary, latency, requests)',
      '  local errs = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout',
      '  io.write(string.format("RESULT %f %f %f %d\\n", summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000, errs))',
      'end',
    ].join('\n'),
  );
  const threads = Math.min(2, connections);
  return new Promise((resolve, reject) => {
    execFile(
      'wrk',
      ['-t', String(threads), '-c', String(connections), '-d', `${seconds}s`, '-s', script, url],
      (error, stdout) => {
        rmSync(dir, { recursive: true, force: true });
        if (error !== null) return reject(error);
        const m = /RESULT (\S+) (\S+) (\S+) (\d+)/.exec(stdout);
        if (m === null) return reject(new Error(`unexpected wrk output: ${stdout}`));
        resolve({
          perSec: Number(m[1]),
          p50: Number(m[2]),
          p99: Number(m[3]),
          errors: Number(m[4]),
        });
      },
    );
  });
}

export default async function run(args: string[]): Promise<void> {
  if (!hasWrk()) {
    console.log('http: skipped: wrk is not installed (Debian package `wrk`)');
    return;
  }
  const quick = args.includes('--quick');
  const seconds = numberOption(args, 'seconds') ?? (quick ? 1 : 5);
  const rows: string[][] = [];
  const row = (what: string, connections: number, r: WrkResult, ceiling: number) => {
    rows.push([
      what,
      String(connections),
      formatNumber(r.perSec),
      r.p50.toFixed(2),
      r.p99.toFixed(2),
      `${Math.round((r.perSec / ceiling) * 100)}%`,
      String(r.errors),
    ]);
  };

  // The ceiling: hello world on node:http.
  const hello = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('hello');
  });
  await new Promise<void>((r) => hello.listen(0, '127.0.0.1', r));
  const helloUrl = `http://127.0.0.1:${(hello.address() as AddressInfo).port}`;
  const ceiling = await wrk(helloUrl, 64, seconds, ['/']);
  row('node:http hello world (ceiling)', 64, ceiling, ceiling.perSec);
  await new Promise((r) => hello.close(r));

  const dir = mkdtempSync(join(tmpdir(), 'voedger-bench-http-'));
  const provider = await LmdbStorageProvider.open({ path: dir });
  try {
    const engine = await deployApp({
      app: shopApp(),
      appQName: APP,
      storage: await provider.open('bench'),
      partitions: 10,
      // Twenty days of sales per shop: a view list reads 20 rows.
      extensions: shopExtensions((orderNumber) => orderNumber % 20),
    });
    const wsids = SHOP_WSIDS;
    await Promise.all(
      wsids.map((wsid) => engine.createWorkspace({ wsid, kind: 'bench.ShopWS', name: `s${wsid}` })),
    );
    const server = await createHttpServer({
      apps: new HttpApps([engine]),
      logger: pino({ level: 'warn' }),
    });
    const url = await server.listen({ host: '127.0.0.1', port: 0 });
    const order = JSON.stringify({ cuds: orderCuds(7) });
    const cmdPaths = wsids.map((w) => `/api/${APP}/${w}/c.sys.CUD`);
    for (const connections of [64, 500]) {
      await wrk(url, connections, Math.min(1, seconds), cmdPaths, 'POST', order); // warm-up
      row(
        'command: order + 2 lines + view (v1 c.sys.CUD)',
        connections,
        await wrk(url, connections, seconds, cmdPaths, 'POST', order),
        ceiling.perSec,
      );
    }
    // Reads: each workspace now has orders and 20 view rows.
    for (let day = 0; day < 20; day++) {
      await Promise.all(
        wsids.map((wsid) =>
          engine.command({
            wsid,
            command: 'sys.CUD',
            cuds: [{ fields: { 'sys.ID': 1, 'sys.QName': 'bench.Order', Number: day, Total: 1 } }],
          }),
        ),
      );
    }
    const docPaths = wsids.map(
      (w) => `/api/v2/apps/${APP}/workspaces/${w}/docs/bench.Order/200001`,
    );
    const where = encodeURIComponent(JSON.stringify({ Shop: SHOP }));
    const viewPaths = wsids.map(
      (w) => `/api/v2/apps/${APP}/workspaces/${w}/views/bench.SalesByDay?where=${where}`,
    );
    for (const [what, paths] of [
      ['document by ID (v2 docs)', docPaths],
      ['list of 20 view rows (v2 views)', viewPaths],
    ] as const) {
      for (const connections of [1, 64]) {
        await wrk(url, connections, Math.min(1, seconds), paths); // warm-up
        row(what, connections, await wrk(url, connections, seconds, paths), ceiling.perSec);
      }
    }
    await server.close();
    await engine.stop();
  } finally {
    await provider.close();
    rmSync(dir, { recursive: true, force: true });
  }
  printTable(
    ['operation', 'connections', 'per second', 'p50 ms', 'p99 ms', 'of ceiling', 'errors'],
    rows,
    ['l', 'r', 'r', 'r', 'r', 'r', 'r'],
  );
  console.log(
    '\nTargets (issue 5): commands >= 8,000/s; list of 20 rows p50 <= 2 ms for one client and >= 10,000/s at 64 connections; every figure >= 30% of the ceiling.',
  );
}
