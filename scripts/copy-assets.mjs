#!/usr/bin/env node
// After `tsc`: copies the runtime's non-TypeScript files (the built-in sys package's .vsql) from src/ to
// dist/, which tsc does not do.
import { cpSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const assets = /\.vsql$/;

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (assets.test(entry.name)) yield path;
  }
}

for (const file of files('src')) cpSync(file, join('dist', relative('src', file)));
