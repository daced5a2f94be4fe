#!/usr/bin/env node
// vpm: the developer tool. `vpm compile <dir>` compiles a package folder with the packages it imports
// (found as sibling folders named after the import path's last segment) and the built-in sys package.
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type AppDef,
  compileApp,
  formatErrors,
  type PackageSource,
  parsePackage,
} from '../../schema/index.js';

const usage = 'usage: vpm compile <dir>';

function readPackage(dir: string, path: string): PackageSource {
  const files = readdirSync(dir)
    .filter((f) => /\.(vsql|sql)$/i.test(f))
    .sort()
    .map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') }));
  return { path, files };
}

/** Collects the root package and, transitively, every import that resolves to a sibling folder. */
export function collectPackages(rootDir: string): PackageSource[] {
  const root = resolve(rootDir);
  const parent = dirname(root);
  const byPath = new Map<string, PackageSource>();
  const rootPkg = readPackage(root, basename(root));
  byPath.set(rootPkg.path, rootPkg);
  const queue: PackageSource[] = [rootPkg];
  while (queue.length > 0) {
    const pkg = queue.shift() as PackageSource;
    const parsed = parsePackage(pkg);
    for (const imp of parsed.pkg?.imports ?? []) {
      if (byPath.has(imp.path)) continue;
      const dir = join(parent, imp.path.split('/').pop() ?? imp.path);
      if (!existsSync(dir) || !statSync(dir).isDirectory()) continue;
      const dep = readPackage(dir, imp.path);
      byPath.set(imp.path, dep);
      queue.push(dep);
    }
  }
  return [...byPath.values()];
}

/** A library folder has no APPLICATION; give it one that uses what it imports so it can be checked. */
function withApplication(packages: PackageSource[]): PackageSource[] {
  if (packages.some((p) => p.files.some((f) => /\bAPPLICATION\b/.test(f.text)))) return packages;
  const [root, ...rest] = packages;
  if (root === undefined) return packages;
  const parsed = parsePackage(root);
  const uses = (parsed.pkg?.imports ?? [])
    .filter((i) => rest.some((p) => p.path === i.path))
    .map((i) => `USE ${i.alias ?? i.path.split('/').pop()};`);
  const app = {
    name: '__vpm_app.vsql',
    text: `APPLICATION ${root.path.replace(/\W/g, '_')}(${uses.join(' ')});`,
  };
  return [{ ...root, files: [...root.files, app] }, ...rest];
}

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

// run when executed (also through an npm bin symlink), not when imported by tests
if (
  process.argv[1] !== undefined &&
  realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))
) {
  process.exitCode = main(process.argv.slice(2));
}
