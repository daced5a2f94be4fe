import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PackageSource } from '../compiler.js';
import { SYS_PACKAGE } from '../package-ast.js';

let cached: PackageSource | undefined;

/** The built-in `sys` package (this folder's .vsql files), read once. */
export function builtinSysPackage(): PackageSource {
  if (cached !== undefined) return cached;
  const dir = dirname(fileURLToPath(import.meta.url));
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.vsql'))
    .sort()
    .map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') }));
  cached = Object.freeze({ path: SYS_PACKAGE, files });
  return cached;
}
