// `vpm build [dir]`: compiles an application package's AssemblyScript extensions, `<dir>/wasm/index.ts`,
// to `<dir>/extensions.wasm`, the module the server loads for the package's `EXTENSION ENGINE WASM`
// commands, queries, projectors and jobs; then checks the module exports every one of them.
//
// The compiler is AssemblyScript's (`assemblyscript/asc`), a dependency of the extension SDK
// (`@voedger-ts/extension-sdk`) that the user's project installs; both are looked up from the package
// folder upwards, then from vpm's own installation. The compiled entry is not the user's file but one
// generated here and never written to disk: it re-exports the user's exports and the SDK's
// host-facing exports (malloc, WasmAbiVersion_0_0_1, WasmOnReadValue, …), and wraps each extension
// the VSQL declares so that garbage is collected between calls (see the SDK's assembly/runtime.ts).
// The compiler runs in a worker thread started without the parent's loader flags: under a
// TypeScript loader such as tsx (`npm run vpm`, the tests) importing the compiler's JavaScript
// (binaryen included, several MB) takes over ten times longer than under plain Node.
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type AppDef, compileApp, formatErrors, type TypeDef } from '../../schema/index.js';
import type { Output } from './main.js';
import { collectPackages, withApplication } from './packages.js';

export const buildUsage = 'vpm build [--debug] [dir]';

export interface BuildArgs {
  /** The application package folder; `.` when not given. */
  readonly dir: string;
  /** A debug build: no optimisation, function names kept (traps show them). Default: -O3. */
  readonly debug: boolean;
}

/** `[--debug] [dir]`, or what is wrong with them. */
export function parseBuildArgs(argv: readonly string[]): BuildArgs | string {
  let dir: string | undefined;
  let debug = false;
  for (const arg of argv) {
    if (arg === '--debug') debug = true;
    else if (arg.startsWith('-')) return `unknown option ${arg}`;
    else if (dir === undefined) dir = arg;
    else return `unexpected argument ${arg}`;
  }
  return { dir: dir ?? '.', debug };
}

const SDK = '@voedger-ts/extension-sdk';
const INSTALL_HINT = `run \`npm install --save-dev ${SDK}\` in your project`;
/** The user's entry, relative to the package folder. */
const USER_ENTRY = 'wasm/index.ts';
/** The generated entry: served to the compiler from memory, next to the user's entry. */
const GENERATED_ENTRY = 'wasm/__vpm_entry__.ts';
const OUT_FILE = 'extensions.wasm';
/** Export names the host keeps for itself (the reference rejects extensions named so). */
const RESERVED = new Set(['alloc', 'free', 'calloc', 'realloc', 'malloc', '_start', 'memory']);

/** A compiler diagnostic, as the worker passes it on. */
interface AscDiagnostic {
  code: number;
  /** 0 pedantic, 1 info, 2 warning, 3 error. */
  category: number;
  message: string;
  range: { start: number; end: number; path: string } | null;
}

/** What the worker answers. */
interface AscRun {
  /** asc's own error (such as "2 compile error(s)"), or a failure to run it at all. */
  error: string | null;
  binary: Uint8Array<ArrayBuffer> | null;
  diagnostics: AscDiagnostic[];
  /** What asc wrote to its stdout and stderr. */
  output: string;
  /** The files the compiler read, by absolute path, and the standard library files diagnostics name. */
  sources: Record<string, string>;
}

const WARNING = 2;
const ERROR = 3;

/** An extension the package's VSQL declares with EXTENSION ENGINE WASM. */
interface WasmExtension {
  /** The export name: the entity of the extension's QName. */
  readonly name: string;
  readonly kind: 'Command' | 'Query' | 'Projector' | 'Job';
}

export async function build(args: BuildArgs, stdout: Output, stderr: Output): Promise<number> {
  const started = performance.now();
  const dir = resolve(args.dir);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    stderr.write(`vpm build: ${args.dir}: not a directory\n`);
    return 2;
  }
  const fail = (message: string): number => {
    stderr.write(`vpm build: ${message}\n`);
    return 1;
  };

  // 1. the extensions the VSQL declares
  const packages = collectPackages(dir);
  const compiled = compileApp(withApplication(packages));
  if (compiled.errors.length > 0 || compiled.appDef === undefined) {
    stderr.write(`${formatErrors(compiled.errors)}\n`);
    return 1;
  }
  const rootPath = packages[0]?.path ?? basename(dir);
  const extensions = wasmExtensions(compiled.appDef, rootPath);
  const reserved = extensions.filter((e) => e.name.startsWith('Wasm') || RESERVED.has(e.name));
  if (reserved.length > 0) {
    return fail(
      `${reserved.map((e) => e.name).join(', ')}: an extension's name must not start with Wasm ` +
        `nor be one of ${[...RESERVED].join(', ')} (the host's own exports)`,
    );
  }

  // 2. the sources, the SDK and the compiler
  const userEntry = join(dir, USER_ENTRY);
  if (!existsSync(userEntry)) {
    return fail(
      `${show(userEntry)} not found: write the package's extensions there` +
        (extensions.length > 0 ? ` (${extensions.map((e) => e.name).join(', ')})` : ''),
    );
  }
  const nodeModules = findSdk(dir);
  if (nodeModules === undefined) {
    return fail(`cannot find ${SDK} in node_modules from ${show(dir)} upwards: ${INSTALL_HINT}`);
  }
  const asc = findAsc(join(nodeModules, SDK));
  if (asc === undefined) {
    return fail(`cannot load the AssemblyScript compiler (assemblyscript/asc): ${INSTALL_HINT}`);
  }

  // 3. compile
  const userSource = readFileSync(userEntry, 'utf8');
  const generated = generatedEntry(extensions, exportedFunctions(userSource));
  const run = await runAsc(asc, {
    argv: [
      GENERATED_ENTRY,
      '--baseDir',
      dir,
      '--outFile',
      OUT_FILE,
      // the SDK's runtime.ts explains the choice of the minimal runtime
      '--runtime',
      'minimal',
      '--use',
      `abort=~lib/${SDK}/assembly/panic/abortHandler`,
      '--path',
      nodeModules,
      // the host calls _start after instantiation, when it can serve the imports (and read a panic)
      '--exportStart',
      '_start',
      '--noColors',
      ...(args.debug ? ['--debug'] : ['--optimizeLevel', '3', '--shrinkLevel', '0']),
    ],
    virtual: { [join(dir, GENERATED_ENTRY)]: generated },
  });
  const sources = new Map(Object.entries(run.sources));
  sources.set(join(dir, GENERATED_ENTRY), generated);
  const where = new SourceLocator(dir, nodeModules, sources);
  const errors = run.diagnostics.filter((d) => d.category === ERROR);
  for (const d of run.diagnostics) {
    if (d.category === ERROR || (d.category === WARNING && !isLibrary(d))) {
      stderr.write(`${where.format(d)}\n`);
    }
  }
  const binary = run.binary;
  if (errors.length > 0) {
    const count = errors.length === 1 ? '1 error' : `${errors.length} errors`;
    return fail(`${show(userEntry)} does not compile (${count})`);
  }
  if (run.error !== null || binary === null) {
    stderr.write(`${run.output.trim() || run.error || 'no output'}\n`);
    return fail('the AssemblyScript compiler failed');
  }

  // 4. check the module
  if (!WebAssembly.validate(binary)) return fail('the compiled module does not validate');
  const exported = new Set(
    WebAssembly.Module.exports(new WebAssembly.Module(binary))
      .filter((e) => e.kind === 'function')
      .map((e) => e.name),
  );
  const missing = extensions.filter((e) => !exported.has(e.name));
  if (missing.length > 0) {
    const files = packages[0]?.files ?? [];
    for (const e of missing) {
      stderr.write(
        `${declaredAt(dir, files, e)}${e.kind.toUpperCase()} ${e.name} is declared with EXTENSION ` +
          `ENGINE WASM, but ${USER_ENTRY} does not export it: add \`export function ${e.name}(): void\`\n`,
      );
    }
    return fail(
      `${missing.length} WASM extension${missing.length === 1 ? ' is' : 's are'} missing`,
    );
  }

  // 5. write it (whole: the server may be reading the previous one)
  const out = join(dir, OUT_FILE);
  const temp = `${out}.${process.pid}.tmp`;
  writeFileSync(temp, binary);
  renameSync(temp, out);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const names = extensions.map((e) => e.name);
  stdout.write(
    `built ${show(out)} (${args.debug ? 'debug' : 'release'}, ${kib(binary.length)}) in ${seconds} s: ` +
      `${names.length === 0 ? 'no WASM extensions declared' : names.join(', ')}\n`,
  );
  return 0;
}

function isWasmExtension(t: TypeDef): t is Extract<TypeDef, { engine: unknown }> {
  return 'engine' in t && t.engine === 'WASM';
}

/** The root package's WASM extensions. */
function wasmExtensions(app: AppDef, rootPath: string): WasmExtension[] {
  const local = app.packageLocalName(rootPath) ?? basename(rootPath);
  return app
    .types()
    .filter(isWasmExtension)
    .filter((t) => t.name.startsWith(`${local}.`))
    .map((t) => ({ name: t.name.slice(local.length + 1), kind: t.kind }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The names of the functions a source declares with `export function Name(`. */
function exportedFunctions(source: string): Set<string> {
  const names = new Set<string>();
  for (const m of source.matchAll(
    /^[ \t]*export[ \t]+function[ \t]+([A-Za-z_$][\w$]*)[ \t]*\(/gm,
  )) {
    names.add(m[1] as string);
  }
  return names;
}

/**
 * The module's entry: the user's exports, the SDK's host-facing exports, and a wrapper around each
 * declared extension the user's entry defines (one exported from elsewhere is re-exported as is).
 */
function generatedEntry(extensions: readonly WasmExtension[], defined: Set<string>): string {
  const wrapped = extensions.filter((e) => defined.has(e.name));
  const lines = [
    '// Generated by `vpm build` (never written to disk).',
    `export * from '${SDK}/assembly/host-exports';`,
    "export * from './index';",
  ];
  if (wrapped.length > 0) {
    lines.push(
      `import { afterExtensionCall, beforeExtensionCall } from '${SDK}/assembly/runtime';`,
      `import { ${wrapped.map((e) => `${e.name} as __vpm_${e.name}`).join(', ')} } from './index';`,
    );
    for (const e of wrapped) {
      lines.push(
        `// ${e.kind} ${e.name}: an extension is \`export function ${e.name}(): void\``,
        `export function ${e.name}(): void {`,
        '  beforeExtensionCall();',
        `  __vpm_${e.name}();`,
        '  afterExtensionCall();',
        '}',
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Where a VSQL file declares an extension, as `file:line:col: `, or '' when not found. */
function declaredAt(
  dir: string,
  files: readonly { name: string; text: string }[],
  e: WasmExtension,
): string {
  const keyword = e.kind.toUpperCase();
  const re = new RegExp(`\\b${keyword}\\s+${e.name}\\b`);
  for (const f of files) {
    const m = re.exec(f.text);
    if (m === null) continue;
    const before = f.text.slice(0, m.index).split('\n');
    const line = before.length;
    const col = (before[before.length - 1] ?? '').length + 1;
    return `${show(join(dir, f.name))}:${line}:${col}: `;
  }
  return '';
}

/** The node_modules folder holding the SDK (as the compiler will find it), from `dir` up, then vpm's. */
function findSdk(dir: string): string | undefined {
  const own = dirname(fileURLToPath(import.meta.url));
  for (const start of [dir, own]) {
    for (let d = start; ; d = dirname(d)) {
      const nodeModules = join(d, 'node_modules');
      if (existsSync(join(nodeModules, SDK, 'index.ts'))) return nodeModules;
      if (dirname(d) === d) break;
    }
  }
  return undefined;
}

/** `assemblyscript/asc`'s file, resolved from the SDK (its dependency), else from vpm's installation. */
function findAsc(sdkDir: string): string | undefined {
  for (const from of [join(sdkDir, 'package.json'), fileURLToPath(import.meta.url)]) {
    try {
      const pkg = createRequire(from).resolve('assemblyscript/package.json');
      const asc = join(dirname(pkg), 'dist', 'asc.js');
      if (existsSync(asc)) return asc;
    } catch {
      // not there: try the next place
    }
  }
  return undefined;
}

/**
 * The worker: runs `asc.main` with the generated entry served from memory, an asconfig.json in
 * the package folder ignored (it could change the runtime or the entries the SDK relies on), and
 * the output file kept in memory. Plain JavaScript, evaluated as CommonJS.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const { basename, resolve } = require('node:path');
const { ascUrl, argv, virtual } = workerData;
const sources = {};
const diagnostics = [];
let binary = null;
let output = '';
const stream = {
  write(chunk) {
    output += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
  },
};
(async () => {
  const asc = (await import(ascUrl)).default;
  const result = await asc.main(argv, {
    stdout: stream,
    stderr: stream,
    readFile(name, baseDir) {
      const path = resolve(baseDir, name);
      if (Object.hasOwn(virtual, path)) return virtual[path];
      if (basename(path) === 'asconfig.json') return null;
      try {
        sources[path] = readFileSync(path, 'utf8');
        return sources[path];
      } catch {
        return null;
      }
    },
    writeFile(name, contents) {
      if (typeof contents !== 'string') binary = contents;
    },
    listFiles() {
      return null;
    },
    reportDiagnostic(d) {
      const range = d.range && { start: d.range.start, end: d.range.end, path: d.range.source.normalizedPath };
      if (range && range.path.startsWith('~lib/')) {
        const text = asc.libraryFiles[range.path.slice(5).replace(/\\.ts$/, '')];
        if (text !== undefined) sources[range.path] = text;
      }
      diagnostics.push({ code: d.code, category: d.category, message: d.message, range });
    },
  });
  return result.error ? String(result.error.message) : null;
})().then(
  (error) => parentPort.postMessage({ error, binary, diagnostics, output, sources }),
  (e) => parentPort.postMessage({ error: String((e && e.stack) || e), binary, diagnostics, output, sources }),
);
`;

/** Runs the compiler in a worker thread without the parent's loader flags (see the top). */
function runAsc(
  ascFile: string,
  job: { argv: string[]; virtual: Record<string, string> },
): Promise<AscRun> {
  return new Promise((resolvePromise) => {
    let answer: AscRun | undefined;
    const worker = new Worker(WORKER, {
      eval: true,
      execArgv: [],
      workerData: { ascUrl: pathToFileURL(ascFile).href, ...job },
    });
    const failed = (error: string): AscRun => ({
      error,
      binary: null,
      diagnostics: [],
      output: '',
      sources: {},
    });
    worker.on('message', (m: AscRun) => {
      answer = m;
    });
    worker.on('error', (e) => {
      answer ??= failed(e.stack ?? e.message);
    });
    worker.on('exit', (code) => {
      resolvePromise(answer ?? failed(`the AssemblyScript compiler stopped (exit code ${code})`));
    });
  });
}

function isLibrary(d: AscDiagnostic): boolean {
  return d.range?.path.startsWith('~lib/') ?? false;
}

/** Formats diagnostics as `file:line:col: error TSnnnn: message`, with the source line. */
class SourceLocator {
  constructor(
    private readonly dir: string,
    private readonly nodeModules: string,
    private readonly sources: ReadonlyMap<string, string>,
  ) {}

  format(d: AscDiagnostic): string {
    const kind = d.category === ERROR ? 'error' : 'warning';
    // AssemblyScript's own diagnostics are AS1..999, TypeScript's TS1000 and up
    const head = `${kind} ${d.code < 1000 ? 'AS' : 'TS'}${d.code}: ${d.message}`;
    if (d.range === null) return head;
    const { file, text } = this.source(d.range.path);
    if (text === undefined) return `${file}: ${head}`;
    const before = text.slice(0, d.range.start);
    const line = before.split('\n').length;
    const lineStart = before.lastIndexOf('\n') + 1;
    const col = d.range.start - lineStart + 1;
    const lineEnd = text.indexOf('\n', lineStart);
    const sourceLine = text
      .slice(lineStart, lineEnd < 0 ? text.length : lineEnd)
      .replace(/\r$/, '');
    const width = Math.max(1, Math.min(d.range.end, lineStart + sourceLine.length) - d.range.start);
    const gutter = `${line} | `;
    const generated = d.range.path === GENERATED_ENTRY;
    return (
      `${file}:${line}:${col}: ${head}\n` +
      `  ${gutter}${sourceLine}\n` +
      `  ${' '.repeat(gutter.length + col - 1)}${'^'.repeat(width)}` +
      (generated
        ? `\n  (in the entry vpm build generates around ${USER_ENTRY}: each extension the VSQL ` +
          'declares must be `export function Name(): void` there)'
        : '')
    );
  }

  /** A file the compiler names, on disk where it is there (a package's file), else as named. */
  private source(path: string): { file: string; text: string | undefined } {
    if (path.startsWith('~lib/')) {
      const onDisk = join(this.nodeModules, path.slice('~lib/'.length));
      const text = this.sources.get(onDisk);
      if (text !== undefined) return { file: show(onDisk), text };
      return { file: path, text: this.sources.get(path) };
    }
    const abs = resolve(this.dir, path);
    return { file: show(abs), text: this.sources.get(abs) };
  }
}

/** A path as the user would type it: relative to the working directory when inside it. */
function show(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' ? '.' : rel.startsWith(`..${sep}`) || isAbsolute(rel) ? path : rel;
}

function kib(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`;
}
