// Reading a package folder for vpm: its VSQL files, the sibling folders it imports, and a stand-in
// APPLICATION for a library folder, so any package folder can be compiled and checked.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { type PackageSource, parsePackage } from '../../schema/index.js';

export function readPackage(dir: string, path: string): PackageSource {
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
export function withApplication(packages: PackageSource[]): PackageSource[] {
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
