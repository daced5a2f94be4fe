// WASM extension calls: calls per second and ns per call for an empty call, one key builder, one
// read, and one read plus one intent, for the reference's TinyGo benchmark module and for a
// module built with our AssemblyScript SDK, beside built-in TypeScript doing the same state
// operations in the same run. Target: one read plus one intent in at most 2 us (the reference
// reports 1.29 us on its wazero engine).
//
//   npm run bench -- wasm [--quick]
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cli as vpm } from '../src/cli/vpm/main.js';
import { PackageNames, WasmModule } from '../src/extensions/wasm/index.js';
import { compare, settingsFrom } from './support/measure.js';
import { BenchState, builtinEquivalents } from './support/wasm-state.js';

const CORPUS = new URL('../../shared/corpus/wasm/pkg/iextengine/wazero/_testdata/', import.meta.url)
  .pathname;

const CASES: readonly [fn: string, what: string][] = [
  ['doNothing', 'empty call'],
  ['oneKey1call', 'one key builder'],
  ['oneGetNoIntents2calls', 'one read'],
  ['oneGetOneIntent5calls', 'one read + one intent'],
];

export default async function run(args: string[]): Promise<void> {
  const settings = settingsFrom(args);
  const modules: [string, WasmModule][] = [];
  const corpusFile = `${CORPUS}benchmarks/pkg.wasm`;
  if (existsSync(corpusFile)) {
    modules.push([
      'TinyGo (corpus)',
      await WasmModule.load(readFileSync(corpusFile), new PackageNames([])),
    ]);
  } else {
    console.log(`(the corpus module ${corpusFile} is absent: its rows are skipped)`);
  }
  modules.push(['AssemblyScript (SDK)', await sdkModule()]);
  console.log('| module | call | built-in TS | WASM | WASM ns/call | vs built-in |');
  console.log('|---|---|---:|---:|---:|---:|');
  for (const [label, module] of modules) {
    for (const [fn, what] of CASES) {
      const state = new BenchState();
      const builtin = builtinEquivalents[fn];
      if (builtin === undefined || !module.has(fn)) continue;
      const c = await compare(
        () => builtin(state),
        () => module.call(fn, state),
        settings,
      );
      console.log(
        `| ${label} | ${what} (${fn}) | ${fmt(c.raw.opsPerSec)}/s | ${fmt(c.ours.opsPerSec)}/s | ` +
          `${(c.ours.usPerOp * 1000).toFixed(0)} | ${c.ratio.toFixed(2)}x |`,
      );
    }
  }
}

/** The same functions written with our SDK (bench/support/wasm-bench), built by `vpm build`. */
async function sdkModule(): Promise<WasmModule> {
  const temp = mkdtempSync(join(tmpdir(), 'wasm-bench-'));
  try {
    const dir = join(temp, 'wasmbench');
    cpSync(fileURLToPath(new URL('./support/wasm-bench', import.meta.url)), dir, {
      recursive: true,
    });
    let out = '';
    const code = await vpm(
      ['build', dir],
      { write: (t) => (out += t) },
      { write: (t) => (out += t) },
    );
    if (code !== 0) throw new Error(`vpm build of the benchmark module failed:\n${out}`);
    return await WasmModule.load(readFileSync(join(dir, 'extensions.wasm')), new PackageNames([]));
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

function fmt(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : `${(n / 1e3).toFixed(0)}k`;
}
