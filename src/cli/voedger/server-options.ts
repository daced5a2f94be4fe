import { Option } from 'commander';
import type { StorageConfig } from '../../storage/index.js';
import { STORAGE_BACKENDS } from '../../storage/index.js';

/** How each storage setting is spelled on the command line and in the environment. */
export const STORAGE_SETTINGS: Record<
  keyof Omit<StorageConfig, 'clock'>,
  { flag: string; env: string[] }
> = {
  backend: { flag: '--storage', env: ['VOEDGER_STORAGE'] },
  dataDir: { flag: '--data-dir', env: ['VOEDGER_DATA_DIR'] },
  postgresUrl: { flag: '--postgres-url', env: ['VOEDGER_POSTGRES_URL', 'DATABASE_URL'] },
  postgresSchema: { flag: '--postgres-schema', env: ['VOEDGER_POSTGRES_SCHEMA'] },
};

export interface ServerOptions {
  storage: string;
  dataDir: string;
  postgresUrl?: string;
  postgresSchema?: string;
  /** Application packages, `[owner/name=]DIR`. */
  app?: string[];
  partitions?: string;
  wasmTimeout?: string;
  wasmMemory?: string;
  port: string;
  host: string;
  logLevel: string;
}

/** The `voedger server` options; every flag can also be set by its environment variable. */
export function serverOptions(): Option[] {
  const s = STORAGE_SETTINGS;
  return [
    new Option(`${s.backend.flag} <backend>`, `storage backend: ${STORAGE_BACKENDS.join(', ')}`)
      .env(s.backend.env[0] as string)
      .default('lmdb'),
    new Option(`${s.dataDir.flag} <dir>`, 'data directory of the lmdb backend')
      .env(s.dataDir.env[0] as string)
      .default('./data'),
    new Option(
      `${s.postgresUrl.flag} <url>`,
      'PostgreSQL URL of the postgres backend (or DATABASE_URL)',
    ).env(s.postgresUrl.env[0] as string),
    new Option(`${s.postgresSchema.flag} <schema>`, 'PostgreSQL schema of the postgres backend')
      .env(s.postgresSchema.env[0] as string)
      .default('voedger'),
    new Option(
      '--app <[owner/name=]dir>',
      'load an application package: its VSQL files and its extensions module (repeatable)',
    )
      .env('VOEDGER_APP')
      .argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]),
    new Option('--partitions <n>', 'partitions of each application')
      .env('VOEDGER_PARTITIONS')
      .default('10'),
    new Option('--wasm-timeout <ms>', 'how long one WASM extension call may run')
      .env('VOEDGER_WASM_TIMEOUT')
      .default('1000'),
    new Option('--wasm-memory <MiB>', "the memory cap of a WASM extension module's instance")
      .env('VOEDGER_WASM_MEMORY')
      .default('16'),
    new Option('--port <port>', 'HTTP port (0: any free port)').env('VOEDGER_PORT').default('8822'),
    new Option('--host <address>', 'address the HTTP server listens on')
      .env('VOEDGER_HOST')
      .default('0.0.0.0'),
    new Option('--log-level <level>', 'log level: fatal, error, warn, info, debug, trace, silent')
      .env('VOEDGER_LOG_LEVEL')
      .default('info'),
  ];
}

export function storageConfigOf(options: ServerOptions): StorageConfig {
  return {
    backend: options.storage,
    dataDir: options.dataDir,
    postgresUrl: options.postgresUrl ?? process.env.DATABASE_URL,
    postgresSchema: options.postgresSchema,
  };
}

/** "--data-dir (VOEDGER_DATA_DIR)": what a user types to fix a setting. */
export function describeSetting(setting: string): string {
  const spelled = STORAGE_SETTINGS[setting as keyof typeof STORAGE_SETTINGS];
  return spelled === undefined ? setting : `${spelled.flag} (${spelled.env.join(' or ')})`;
}
