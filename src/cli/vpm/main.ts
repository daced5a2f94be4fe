#!/usr/bin/env node
// vpm: the developer tool. `vpm compile <dir>` compiles a package folder with the packages it imports
// (found as sibling folders named after the import path's last segment) and the built-in sys package.
// `vpm build [dir]` compiles the package's AssemblyScript extensions (`wasm/index.ts`) to
// `extensions.wasm` (see build.ts).
import { existsSync, realpathSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type AppDef, compileApp, formatErrors } from '../../schema/index.js';
import { build, buildUsage, parseBuildArgs } from './build.js';
import { collectPackages, withApplication } from './packages.js';

export { collectPackages } from './packages.js';

const usage = `usage: vpm compile <dir>\n       ${buildUsage}`;

/** One line on what the application itself defines (the built-in sys package aside). */
export function summary(app: AppDef): string {
  const own = app.types().filter((t) => !t.name.startsWith('sys.'));
  const count = (...kinds: string[]): number => own.filter((t) => kinds.includes(t.kind)).length;
  const n = (k: number, one: string, many = `${one}s`): string => `${k} ${k === 1 ? one : many}`;
  const packages = app.data.packages.length - 1;
  const workspaces = app.workspaces().filter((w) => !w.name.startsWith('sys.')).length;
  return (
    `application ${app.name}: ${n(packages, 'package')} (and sys), ${n(workspaces, 'workspace')}, ` +
    `${n(count('CDoc', 'CRecord', 'WDoc', 'WRecord', 'ODoc', 'ORecord'), 'table')}, ` +
    `${n(count('Object'), 'type')}, ${n(count('ViewRecord'), 'view')}, ` +
    `${n(count('Command'), 'command')}, ${n(count('Query'), 'query', 'queries')}, ` +
    `${n(count('Projector'), 'projector')}, ${n(count('Job'), 'job')}, ${n(count('Role'), 'role')}`
  );
}

/** Where the command writes: the process's streams, or a test's collector. */
export interface Output {
  write(text: string): unknown;
}

export function main(
  argv: readonly string[],
  stdout: Output = process.stdout,
  stderr: Output = process.stderr,
): number {
  const [command, dir, ...extra] = argv;
  if (command !== 'compile' || dir === undefined || extra.length > 0) {
    stderr.write(`${usage}\n`);
    return 2;
  }
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    stderr.write(`vpm: ${dir}: not a directory\n`);
    return 2;
  }
  const result = compileApp(withApplication(collectPackages(dir)));
  if (result.errors.length > 0 || result.appDef === undefined) {
    stderr.write(`${formatErrors(result.errors)}\n`);
    return 1;
  }
  stdout.write(`${summary(result.appDef)}\n`);
  return 0;
}

/** Every command: `build` runs asynchronously, the others through `main`. */
export async function cli(
  argv: readonly string[],
  stdout: Output = process.stdout,
  stderr: Output = process.stderr,
): Promise<number> {
  if (argv[0] !== 'build') return main(argv, stdout, stderr);
  const args = parseBuildArgs(argv.slice(1));
  if (typeof args === 'string') {
    stderr.write(`vpm build: ${args}\n${usage}\n`);
    return 2;
  }
  return build(args, stdout, stderr);
}

// run when executed (also through an npm bin symlink), not when imported by tests
if (
  process.argv[1] !== undefined &&
  realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))
) {
  process.exitCode = await cli(process.argv.slice(2));
}
