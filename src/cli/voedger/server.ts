import { resolve } from 'node:path';
import { AppPackageError, deployApp, loadAppPackage } from '../../apps/index.js';
import type { Engine } from '../../processors/index.js';
import {
  keyspaceOf,
  openStorage,
  StorageConfigError,
  type StorageProvider,
} from '../../storage/index.js';
import { describeSetting, type ServerOptions, storageConfigOf } from './server-options.js';

/** Where the server reports; a parameter so that tests can capture it. */
export interface Console {
  log(line: string): void;
  error(line: string): void;
}

/**
 * Starts the server: opens the storage, then runs each `--app` package (partitions, projectors,
 * jobs) until SIGINT or SIGTERM, when it finishes the commands in flight and stops. Without an
 * application it reports the storage and stops. The HTTP API arrives with the next issue.
 * Resolves the process exit code: 0 on success, 1 when a setting prevents start-up.
 */
export async function runServer(
  options: ServerOptions,
  out: Console = console,
  stopped: Promise<unknown> = untilSignal(),
): Promise<number> {
  const config = storageConfigOf(options);
  let provider: StorageProvider;
  try {
    provider = await openStorage(config);
  } catch (error) {
    if (error instanceof StorageConfigError) {
      out.error(`voedger: cannot start: ${describeSetting(error.setting)}: ${error.message}`);
      return 1;
    }
    throw error;
  }
  const where =
    provider.backend === 'lmdb'
      ? ` at ${resolve(config.dataDir)}`
      : provider.backend === 'postgres'
        ? ` in schema ${config.postgresSchema ?? 'voedger'}`
        : ' in memory';
  const apps = options.app ?? [];
  if (apps.length === 0) {
    const keyspaces = await provider.keyspaces();
    out.log(
      `voedger: storage ${provider.backend} opened${where} (${keyspaces.length} keyspaces); ` +
        'no application given (--app DIR), so the server stops here',
    );
    await provider.close();
    return 0;
  }
  const partitions = Number(options.partitions ?? 10);
  if (!Number.isInteger(partitions) || partitions < 1 || partitions > 1024) {
    out.error(
      `voedger: cannot start: --partitions (VOEDGER_PARTITIONS): expected 1..1024, got '${options.partitions}'`,
    );
    await provider.close();
    return 1;
  }
  const engines: Engine[] = [];
  const log = {
    info: (m: string) => out.log(`voedger: ${m}`),
    warn: (m: string) => out.error(`voedger: warning: ${m}`),
    error: (m: string) => out.error(`voedger: error: ${m}`),
  };
  try {
    for (const spec of apps) {
      const pkg = await loadAppPackage(spec);
      const storage = await provider.open(keyspaceOf(pkg.qname));
      const engine = await deployApp({
        app: pkg.app,
        appQName: pkg.qname,
        storage,
        extensions: pkg.extensions,
        partitions,
        log,
      });
      engines.push(engine);
      const d = engine.deployment;
      const own = (names: readonly string[]) => names.filter((n) => !n.startsWith('sys.'));
      out.log(
        `voedger: application ${pkg.qname} from ${pkg.dir} running on ${provider.backend}${where}: ` +
          `${partitions} partitions, ${own([...d.commands.keys()]).length} commands, ` +
          `${own([...d.queries.keys()]).length} queries, ` +
          `${own([...d.syncProjectors, ...d.asyncProjectors].map((p) => p.def.name)).length} projectors, ` +
          `${own(d.jobs.map((j) => j.def.name)).length} jobs`,
      );
      const unbound = own(d.unbound);
      if (unbound.length > 0)
        log.warn(`${pkg.qname}: no implementation bound for ${unbound.join(', ')}`);
    }
  } catch (error) {
    await Promise.all(engines.map((e) => e.stop()));
    await provider.close();
    if (error instanceof AppPackageError) {
      out.error(`voedger: cannot start: --app: ${error.message}`);
      return 1;
    }
    throw error;
  }
  out.log('voedger: the HTTP API is not built yet; stop with Ctrl-C');
  await stopped;
  out.log('voedger: stopping: finishing commands in flight');
  await Promise.all(engines.map((e) => e.stop()));
  await provider.close();
  out.log('voedger: stopped');
  return 0;
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
