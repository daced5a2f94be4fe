// An application package on disk: the VSQL files of a folder and, optionally, the module that
// binds its built-in extensions (`extensions.ts` or `extensions.js`, default export) and the WASM
// module that implements its `EXTENSION ENGINE WASM` definitions (`extensions.wasm`, as
// `vpm build` makes it, or `src.wasm`, as the reference's app images name it).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BuiltinExtensions } from '../extensions/index.js';
import {
  PackageNames,
  WasmModule,
  type WasmModuleOptions,
  wasmExtensions,
} from '../extensions/wasm/index.js';
import { type AppDef, compileApp, formatErrors } from '../schema/index.js';

export interface AppPackage {
  /** The application's qualified name, `owner/name`. */
  readonly qname: string;
  readonly dir: string;
  readonly app: AppDef;
  readonly extensions: BuiltinExtensions;
  /** The extensions module loaded, if any. */
  readonly extensionsModule: string | undefined;
  /** The functions running the package's WASM extensions (empty without a WASM module). */
  readonly wasm: BuiltinExtensions;
  /** The WASM module loaded, if any. */
  readonly wasmModule: { readonly file: string; readonly module: WasmModule } | undefined;
}

export class AppPackageError extends Error {
  override readonly name = 'AppPackageError';
}

const EXTENSION_MODULES = ['extensions.js', 'extensions.mjs', 'extensions.ts', 'extensions.mts'];
const WASM_MODULES = ['extensions.wasm', 'src.wasm'];

/**
 * Loads `[owner/name=]DIR`. Without a qualified name the application is `local/<APPLICATION
 * name>`. Compile errors are reported all at once, with their positions.
 */
export async function loadAppPackage(
  spec: string,
  wasmOptions: WasmModuleOptions = {},
): Promise<AppPackage> {
  const eq = spec.indexOf('=');
  const given = eq > 0 ? spec.slice(0, eq) : undefined;
  const dir = resolve(eq > 0 ? spec.slice(eq + 1) : spec);
  if (given !== undefined && !/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(given)) {
    throw new AppPackageError(`application name '${given}' must be owner/name`);
  }
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((f) => f.endsWith('.vsql'))
      .sort();
  } catch (error) {
    throw new AppPackageError(`cannot read application folder ${dir}: ${(error as Error).message}`);
  }
  if (names.length === 0) throw new AppPackageError(`no .vsql files in ${dir}`);
  const files = names.map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') }));
  const compiled = compileApp([{ path: `local/${basename(dir)}`, files }]);
  if (compiled.appDef === undefined) {
    throw new AppPackageError(
      `${dir}: the application does not compile:\n${formatErrors(compiled.errors)}`,
    );
  }
  const moduleFile = EXTENSION_MODULES.map((f) => join(dir, f)).find((f) => existsSync(f));
  let extensions: BuiltinExtensions = {};
  if (moduleFile !== undefined) {
    const mod = (await import(pathToFileURL(moduleFile).href)) as {
      default?: unknown;
      extensions?: unknown;
    };
    const value = mod.default ?? mod.extensions;
    if (typeof value !== 'object' || value === null) {
      throw new AppPackageError(
        `${moduleFile}: the default export must be the extensions (defineExtensions({...}))`,
      );
    }
    extensions = value as BuiltinExtensions;
  }
  const app = compiled.appDef;
  const wasmFile = WASM_MODULES.map((f) => join(dir, f)).find((f) => existsSync(f));
  let wasm: BuiltinExtensions = {};
  let wasmModule: AppPackage['wasmModule'];
  const declaresWasm = app.types().some((t) => 'engine' in t && t.engine === 'WASM');
  if (wasmFile !== undefined) {
    try {
      const module = await WasmModule.load(
        readFileSync(wasmFile),
        new PackageNames(app.data.packages),
        wasmOptions,
      );
      const pkg = app.packageLocalName(`local/${basename(dir)}`) ?? basename(dir);
      wasm = wasmExtensions(module, app, pkg);
      wasmModule = { file: wasmFile, module };
    } catch (error) {
      throw new AppPackageError(`${wasmFile}: ${(error as Error).message}`);
    }
  } else if (declaresWasm) {
    throw new AppPackageError(
      `${dir}: the application declares WASM extensions but the folder has no extensions.wasm ` +
        `(build it with \`vpm build ${dir}\`)`,
    );
  }
  return {
    qname: given ?? `local/${compiled.appDef.name}`,
    dir,
    app: compiled.appDef,
    extensions,
    extensionsModule: moduleFile,
    wasm,
    wasmModule,
  };
}
