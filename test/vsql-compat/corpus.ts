// Locates the shared VSQL corpus (never copied into the repo) and builds packages from it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CompileSource } from '../../src/schema/index.js';

export const corpusRoot = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../shared/corpus/vsql',
);

export function corpusSkipReason(): string | false {
  return existsSync(corpusRoot)
    ? false
    : `VSQL corpus not found at ${corpusRoot}; compatibility suite skipped`;
}

/** One corpus file as a one-file package (path = its folder relative to the corpus root). */
export function corpusPackage(file: string, path?: string): CompileSource {
  const full = join(corpusRoot, file);
  const text = existsSync(full) ? readFileSync(full, 'utf8') : '';
  return { path: path ?? dirname(file), files: [{ name: file.split('/').pop() ?? file, text }] };
}

/** All .vsql files of a corpus folder as one package. */
export function corpusDirPackage(dir: string, path: string): CompileSource {
  const full = join(corpusRoot, dir);
  const files = existsSync(full)
    ? readdirSync(full)
        .filter((f) => f.endsWith('.vsql') || f.endsWith('.sql'))
        .sort()
        .map((name) => ({ name, text: readFileSync(join(full, name), 'utf8') }))
    : [];
  return { path, files };
}

/** The reference parser tests' small sys package. */
export function parserTestSys(): CompileSource {
  return corpusDirPackage('pkg/parser/sql_example_syspkg', 'sys');
}
