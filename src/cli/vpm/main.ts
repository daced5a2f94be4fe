#!/usr/bin/env node
// vpm: the developer tool. `vpm compile <dir>` compiles a package folder with the packages it imports
// (found as sibling folders named after the import path's last segment) and the built-in sys package.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
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

export function summary(app: AppDef): string {
  const count = (kind: string): number => app.types().filter((t) => t.kind === kind).length;
  const tables = app
    .types()
    .filter((t) =>
      ['CDoc', 'CRecord', 'WDoc', 'WRecord', 'ODoc', 'ORecord'].includes(t.kind),
    ).length;
  return (
    `application ${app.name}: ${app.data.packages.length} packages, ${app.workspaces().length} workspaces, ` +
    `${tables} tables, ${count('Object')} types, ${count('ViewRecord')} views, ${count('Command')} commands, ` +
    `${count('Query')} queries, ${count('Projector')} projectors, ${count('Job')} jobs, ${count('Role')} roles`
  );
}

export function main(argv: readonly string[]): number {
  const [command, dir, ...extra] = argv;
  if (command !== 'compile' || dir === undefined || extra.length > 0) {
    process.stderr.write(`${usage}\n`);
    return 2;
  }
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    process.stderr.write(`vpm: ${dir}: not a directory\n`);
    return 2;
  }
  const result = compileApp(withApplication(collectPackages(dir)));
  if (result.errors.length > 0 || result.appDef === undefined) {
    process.stderr.write(`${formatErrors(result.errors)}\n`);
    return 1;
  }
  process.stdout.write(`${summary(result.appDef)}\n`);
  return 0;
}

if (
  process.argv[1] !== undefined &&
  resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)
) {
  process.exitCode = main(process.argv.slice(2));
}
