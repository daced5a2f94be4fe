/**
 * The entry of `npm run bench`.
 *
 *   npm run bench                          runs every suite
 *   npm run bench -- storage               runs only the named suites, in the order given
 *   npm run bench -- storage --quick       arguments starting with `-` go to every suite
 *
 * A suite is a file `bench/<name>.ts` whose default export is
 * `async function run(args: string[]): Promise<void>`. Suites are found in this folder (not in
 * its subfolders, which hold shared helpers), so adding a file adds a suite.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { UsageError } from './support/measure.js';

type Suite = (args: string[]) => Promise<void>;

const here = dirname(fileURLToPath(import.meta.url));
const SUITE_FILE = /^([a-z0-9][a-z0-9_-]*)\.ts$/i;

/** The suite names in this folder, sorted. */
function knownSuites(): string[] {
  return readdirSync(here, { withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => SUITE_FILE.exec(entry.name)?.[1])
    .filter((name): name is string => name !== undefined && name !== 'main')
    .filter((name) => !name.endsWith('.test') && !name.endsWith('.d'))
    .sort();
}

async function loadSuite(name: string): Promise<Suite> {
  const module = (await import(pathToFileURL(join(here, `${name}.ts`)).href)) as {
    default?: unknown;
  };
  if (typeof module.default !== 'function') {
    throw new Error(`bench/${name}.ts has no default export 'async function run(args: string[])'`);
  }
  return module.default as Suite;
}

async function main(argv: readonly string[]): Promise<void> {
  const known = knownSuites();
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(
      `usage: npm run bench [-- <suite>... [--quick] [suite options]]\nsuites: ${known.join(', ')}`,
    );
    return;
  }
  const flags = argv.filter((arg) => arg.startsWith('-'));
  const requested = argv.filter((arg) => !arg.startsWith('-'));
  const unknown = requested.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown benchmark suite${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `'${n}'`).join(', ')}; ` +
        `known suites: ${known.join(', ') || '(none)'}`,
    );
  }
  const names = requested.length > 0 ? [...new Set(requested)] : known;
  for (const name of names) {
    const run = await loadSuite(name);
    console.log(`\n## bench: ${name}\n`);
    const started = performance.now();
    await run([...flags]);
    console.log(`\n(${name} took ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  const text =
    error instanceof UsageError
      ? error.message
      : error instanceof Error
        ? (error.stack ?? error.message)
        : String(error);
  console.error(`bench: ${text}`);
  process.exitCode = error instanceof UsageError ? 2 : 1;
}
