import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import { AppPackageError, deployApp, loadAppPackage } from '../../apps/index.js';
import type { Engine } from '../../processors/index.js';
import { createHttpServer, HttpApps } from '../../routing/index.js';
import {
  keyspaceOf,
  openStorage,
  StorageConfigError,
  type StorageProvider,
} from '../../storage/index.js';
import { describeSetting, type ServerOptions, storageConfigOf } from './server-options.js';

/** Where start-up failures are reported (one line each); a parameter so that tests can capture it. */
export interface Console {
  error(line: string): void;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * Starts the server: opens the storage, runs each `--app` package (partitions, projectors, jobs)
 * and serves them over HTTP until SIGINT or SIGTERM; then it stops taking requests, finishes the
 * ones in flight, stops the applications and closes the storage. While running it logs JSON lines
 * (pino) to `logTo`; a setting that prevents start-up is one plain line on `out.error`.
 * Resolves the process exit code: 0 after a clean stop, 1 when it could not start.
 */
export async function runServer(
  options: ServerOptions,
  out: Console = console,
  stopped: Promise<unknown> = untilSignal(),
  logTo: pino.DestinationStream = pino.destination(1),
): Promise<number> {
  const fail = (setting: string, message: string) => {
    out.error(`voedger: cannot start: ${setting}: ${message}`);
    return 1;
  };
  if (!LOG_LEVELS.includes(options.logLevel)) {
    return fail(
      '--log-level (VOEDGER_LOG_LEVEL)',
      `expected one of ${LOG_LEVELS.join(', ')}, got '${options.logLevel}'`,
    );
  }
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    return fail('--port (VOEDGER_PORT)', `expected 0..65535, got '${options.port}'`);
  }
  const partitions = Number(options.partitions ?? 10);
  if (!Number.isInteger(partitions) || partitions < 1 || partitions > 1024) {
    return fail(
      '--partitions (VOEDGER_PARTITIONS)',
      `expected 1..1024, got '${options.partitions}'`,
    );
  }
  const wasmTimeout = Number(options.wasmTimeout ?? 1000);
  if (!Number.isInteger(wasmTimeout) || wasmTimeout < 1) {
    return fail(
      '--wasm-timeout (VOEDGER_WASM_TIMEOUT)',
      `expected a positive number of milliseconds, got '${options.wasmTimeout}'`,
    );
  }
  const wasmMemory = Number(options.wasmMemory ?? 16);
  if (!Number.isInteger(wasmMemory) || wasmMemory < 1 || wasmMemory > 4096) {
    return fail(
      '--wasm-memory (VOEDGER_WASM_MEMORY)',
      `expected 1..4096 MiB, got '${options.wasmMemory}'`,
    );
  }
  const log = pino({ level: options.logLevel, base: { pid: process.pid } }, logTo);

  const config = storageConfigOf(options);
  let provider: StorageProvider;
  try {
    provider = await openStorage(config);
  } catch (error) {
    if (error instanceof StorageConfigError) {
      return fail(describeSetting(error.setting), error.message);
    }
    throw error;
  }
  const where =
    provider.backend === 'lmdb'
      ? ` at ${resolve(config.dataDir)}`
      : provider.backend === 'postgres'
        ? ` in schema ${config.postgresSchema ?? 'voedger'}`
        : ' in memory';
  log.info(`storage ${provider.backend} opened${where}`);

  const engines: Engine[] = [];
  let server: FastifyInstance | undefined;
  const shutDown = async () => {
    await server?.close();
    await Promise.all(engines.map((e) => e.stop()));
    await provider.close();
  };
  try {
    for (const spec of options.app ?? []) {
      const pkg = await loadAppPackage(spec, {
        timeoutMs: wasmTimeout,
        memoryLimitPages: wasmMemory * 16,
        onRecover: (message) =>
          log.warn(
            `${spec}: a WASM extension ran out of memory (${message}); its module was restarted`,
          ),
      });
      engines.push(await startApp(pkg, provider, partitions, log, where));
    }
    server = await createHttpServer({ apps: new HttpApps(engines), logger: log });
    const url = await server.listen({ host: options.host, port });
    const names = engines.map((e) => e.appQName);
    log.info(
      `listening on ${url} (API v1 and v2); applications: ${names.length === 0 ? 'none (add one with --app DIR)' : names.join(', ')}`,
    );
  } catch (error) {
    await shutDown();
    if (error instanceof AppPackageError) return fail('--app', error.message);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      return fail(
        '--port (VOEDGER_PORT) / --host (VOEDGER_HOST)',
        `cannot listen on ${options.host}:${port}: ${(error as Error).message}`,
      );
    }
    throw error;
  }
  const signal = await stopped;
  log.info(`stopping (${String(signal)}): finishing the requests and commands in flight`);
  await shutDown();
  log.info('stopped');
  log.flush?.();
  return 0;
}

async function startApp(
  pkg: Awaited<ReturnType<typeof loadAppPackage>>,
  provider: StorageProvider,
  partitions: number,
  log: Logger,
  where: string,
): Promise<Engine> {
  const appLog = log.child({ app: pkg.qname });
  const storage = await provider.open(keyspaceOf(pkg.qname));
  const engine = await deployApp({
    app: pkg.app,
    appQName: pkg.qname,
    storage,
    extensions: pkg.extensions,
    wasm: pkg.wasm,
    partitions,
    log: {
      info: (m: string) => appLog.info(m),
      warn: (m: string) => appLog.warn(m),
      error: (m: string) => appLog.error(m),
    },
  });
  const d = engine.deployment;
  const own = (names: readonly string[]) => names.filter((n) => !n.startsWith('sys.'));
  appLog.info(
    `application ${pkg.qname} from ${pkg.dir} running on ${provider.backend}${where}: ` +
      `${partitions} partitions, ${own([...d.commands.keys()]).length} commands, ` +
      `${own([...d.queries.keys()]).length} queries, ` +
      `${own([...d.syncProjectors, ...d.asyncProjectors].map((p) => p.def.name)).length} projectors, ` +
      `${own(d.jobs.map((j) => j.def.name)).length} jobs` +
      (pkg.wasmModule === undefined ? '' : `; WASM extensions from ${pkg.wasmModule.file}`),
  );
  const unbound = own(d.unbound);
  if (unbound.length > 0) appLog.warn(`no implementation bound for ${unbound.join(', ')}`);
  return engine;
}

function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}
