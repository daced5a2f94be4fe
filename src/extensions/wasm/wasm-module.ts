// A guest module and its live instance: loading (rewrite, compile, export checks), instantiation
// (WASI, `_start`, the version probe, the first exchange buffer), and single calls with the
// limits of core.md §6.1 and §6.7: a memory cap, a deadline, panics turned into their text, and
// an out-of-memory guest re-instantiated and called once more.
//
// One instance serves every partition: a guest call runs to its end on the JS thread without
// yielding, so two calls can never overlap inside it, and keeping idle copies would only cost
// memory. The instance is replaced only when a call leaves it unusable (out of memory, timeout).
import { HostAbi } from './host-abi.js';
import type { HostState } from './host-state.js';
import { ReadMiss } from './host-state.js';
import type { PackageNames } from './package-names.js';
import { METER, rewriteModule } from './rewrite/index.js';
import { GuestOutput, WasiExit, wasiImports } from './wasi.js';

export const WASM_PAGE = 65536;

export interface WasmModuleOptions {
  /** The guest's memory cap in 64 KiB pages; default 256 (16 MiB), as the reference's. */
  readonly memoryLimitPages?: number;
  /** The first exchange buffer's size in bytes; default 64,000, as the reference's. */
  readonly bufferSize?: number;
  /** How long one extension call may run, in milliseconds; default 1,000. */
  readonly timeoutMs?: number;
  /** Re-instantiate a guest that ran out of memory and call it once more; default true. */
  readonly autoRecover?: boolean;
  /** Told when an instance is replaced after running out of memory. */
  readonly onRecover?: (message: string) => void;
}

/** A failed guest call: a panic's text, a host error raised inside the call, or a timeout. */
export class WasmCallError extends Error {
  override readonly name = 'WasmCallError';
}

const RESERVED = new Set(['alloc', 'free', 'calloc', 'realloc', 'malloc', '_start', 'memory']);

/** How many times {@link WasmModule.run} runs a guest that keeps missing reads. */
export const MAX_RUNS = 1000;

/** Loop iterations a guest runs between two looks at the clock. */
const FUEL_STEP = 20_000;

export interface WasmStats {
  invocations: number;
  errors: number;
  recovers: number;
  /** Total seconds spent in guest calls made through `run` (the engine's calls). */
  seconds: number;
}

interface Live {
  readonly instance: WebAssembly.Instance;
  readonly abi: HostAbi;
  readonly output: GuestOutput;
  /** The extension functions, looked up once. */
  readonly functions: Map<string, () => void>;
  readonly fuel: WebAssembly.Global | undefined;
  readonly sp: WebAssembly.Global | undefined;
  /** The guest's stack pointer between calls (its stack is empty then), read once after start. */
  spBase: number | undefined;
}

class Timeout extends Error {}

export class WasmModule {
  readonly stats: WasmStats = { invocations: 0, errors: 0, recovers: 0, seconds: 0 };
  private live: Live | undefined;
  /** The running call's deadline (`performance.now()` time); 0 until its first tick sets it. */
  private deadline = 0;

  private constructor(
    private readonly module: WebAssembly.Module,
    /** The functions the guest exports that are extensions (not the ABI's own). */
    readonly extensions: ReadonlySet<string>,
    private readonly names: PackageNames,
    private readonly options: Required<Omit<WasmModuleOptions, 'onRecover'>> &
      Pick<WasmModuleOptions, 'onRecover'>,
  ) {}

  static async load(
    bytes: Uint8Array,
    names: PackageNames,
    options: WasmModuleOptions = {},
  ): Promise<WasmModule> {
    const full = {
      memoryLimitPages: options.memoryLimitPages ?? 256,
      bufferSize: options.bufferSize ?? 64_000,
      timeoutMs: options.timeoutMs ?? 1_000,
      autoRecover: options.autoRecover ?? true,
      onRecover: options.onRecover,
    };
    const limit = full.memoryLimitPages * WASM_PAGE;
    const minimum = 1.7 * full.bufferSize;
    if (limit <= minimum) {
      throw new WasmCallError(
        `the minimum limit of memory is: ${minimum.toFixed(1)} bytes, requested limit is: ${limit.toFixed(1)}`,
      );
    }
    const rewritten = rewriteModule(bytes, { maxMemoryPages: full.memoryLimitPages });
    const module = await WebAssembly.compile(rewritten.bytes as Uint8Array<ArrayBuffer>);
    const exports = WebAssembly.Module.exports(module);
    const has = (name: string, kind: string) =>
      exports.some((e) => e.name === name && e.kind === kind);
    if (!has('memory', 'memory')) throw new WasmCallError('missing exported memory');
    if (!has('malloc', 'function')) throw new WasmCallError('missing exported function: malloc');
    if (!has('WasmAbiVersion_0_0_1', 'function'))
      throw new WasmCallError('unsupported WASM version');
    const extensions = new Set(
      exports
        .filter((e) => e.kind === 'function' && !RESERVED.has(e.name) && !e.name.startsWith('Wasm'))
        .filter((e) => !e.name.startsWith('__'))
        .map((e) => e.name),
    );
    const loaded = new WasmModule(module, extensions, names, full);
    loaded.instantiate();
    return loaded;
  }

  /** Whether the guest exports an extension of this name. */
  has(name: string): boolean {
    return this.extensions.has(name);
  }

  private instantiate(): Live {
    const output = new GuestOutput();
    const abi = new HostAbi(this.names, this.options.bufferSize);
    let memory: WebAssembly.Memory | undefined;
    const memoryOf = (): WebAssembly.Memory => {
      if (memory === undefined) throw new Error('the guest used WASI before its memory was ready');
      return memory;
    };
    const wanted = new Map<string, string[]>();
    for (const imp of WebAssembly.Module.imports(this.module)) {
      if (imp.kind !== 'function') {
        throw new WasmCallError(
          `the module imports ${imp.kind} ${imp.module}.${imp.name}, which the host does not provide`,
        );
      }
      const list = wanted.get(imp.module) ?? [];
      list.push(imp.name);
      wanted.set(imp.module, list);
    }
    const env = abi.imports();
    const imports: WebAssembly.Imports = {};
    for (const [mod, list] of wanted) {
      if (mod === 'wasi_snapshot_preview1') {
        imports[mod] = wasiImports(memoryOf, output, list);
      } else if (mod === 'env') {
        const fns: Record<string, unknown> = {};
        for (const name of list) {
          const fn = env[name];
          if (fn === undefined) {
            throw new WasmCallError(
              `the module imports env.${name}, which the host does not provide`,
            );
          }
          fns[name] = fn;
        }
        imports[mod] = fns as WebAssembly.ModuleImports;
      } else if (mod === METER.importModule) {
        imports[mod] = { [METER.tickImport]: () => this.tick() };
      } else {
        throw new WasmCallError(`the module imports from ${mod}, which the host does not provide`);
      }
    }
    const instance = new WebAssembly.Instance(this.module, imports);
    const ex = instance.exports;
    memory = ex.memory as WebAssembly.Memory;
    const fuel = ex[METER.fuelExport] as WebAssembly.Global | undefined;
    const functions = new Map<string, () => void>();
    for (const name of this.extensions) functions.set(name, ex[name] as () => void);
    const live: Live = {
      instance,
      abi,
      output,
      functions,
      fuel,
      sp: ex[METER.stackPointerExport] as WebAssembly.Global | undefined,
      spBase: undefined,
    };
    this.live = live;
    this.deadline = 0;
    try {
      const start = ex._start as (() => void) | undefined;
      try {
        start?.();
      } catch (error) {
        if (!(error instanceof WasiExit && error.code === 0)) throw error;
      }
      (ex.WasmAbiVersion_0_0_1 as () => void)();
      abi.attach({
        memory,
        malloc: ex.malloc as (size: number) => number,
        ...(ex.WasmOnReadValue === undefined
          ? {}
          : { WasmOnReadValue: ex.WasmOnReadValue as (k: bigint, v: bigint) => void }),
      });
    } catch (error) {
      this.live = undefined;
      throw new WasmCallError(`the module failed to start: ${this.failure(error, live)}`);
    }
    live.spBase = live.sp?.value as number | undefined;
    return live;
  }

  /**
   * Called by the guest every FUEL_STEP loop iterations. A call's deadline is set at its first
   * tick rather than at its start: reading the clock on every call would cost more than a short
   * call itself, and the first tick comes at most FUEL_STEP iterations (microseconds) in.
   */
  private tick(): void {
    const now = performance.now();
    if (this.deadline === 0) this.deadline = now + this.options.timeoutMs;
    else if (now > this.deadline) throw new Timeout();
    const fuel = this.live?.fuel;
    if (fuel !== undefined) fuel.value = FUEL_STEP;
  }

  /**
   * Calls extension `name` once against `state`. A {@link ReadMiss} passes through untouched (the
   * caller fetches and calls again); every other failure becomes a {@link WasmCallError}.
   */
  call(name: string, state: HostState): void {
    try {
      this.attempt(name, state, true);
      this.stats.invocations++;
    } catch (error) {
      // A call abandoned for a read is run again: it counts once, when it ends.
      if (!(error instanceof ReadMiss)) this.stats.invocations++;
      throw error;
    }
  }

  /**
   * Calls extension `name` until it ends without a {@link ReadMiss}: after each miss the missing
   * data is fetched and the guest runs again from the start with a fresh state from `stateOf`
   * (which keeps what was fetched). Each run gets the whole timeout; a guest that keeps asking
   * for new data is stopped after {@link MAX_RUNS} runs.
   */
  async run<S extends HostState>(name: string, stateOf: () => S): Promise<S> {
    for (let runs = 1; ; runs++) {
      const state = stateOf();
      const started = performance.now();
      let miss: ReadMiss;
      try {
        this.call(name, state);
        return state;
      } catch (error) {
        if (!(error instanceof ReadMiss)) throw error;
        miss = error;
      } finally {
        // Time in the guest only, not the fetches between runs.
        this.stats.seconds += (performance.now() - started) / 1000;
      }
      if (runs >= MAX_RUNS) {
        this.stats.invocations++;
        this.stats.errors++;
        throw new WasmCallError(
          `the extension ${name} read more than ${MAX_RUNS} keys that had to be fetched`,
        );
      }
      await miss.load();
    }
  }

  private attempt(name: string, state: HostState, mayRecover: boolean): void {
    const live = this.live ?? this.instantiate();
    const fn = live.functions.get(name);
    if (fn === undefined) throw new WasmCallError(`invalid extension name: ${name}`);
    live.output.clear();
    live.abi.begin(state);
    this.deadline = 0;
    try {
      fn();
    } catch (error) {
      // The guest's shadow stack still holds the frames the exception unwound.
      if (live.sp !== undefined && live.spBase !== undefined) live.sp.value = live.spBase;
      if (error instanceof ReadMiss) throw error;
      if (error instanceof Timeout) {
        this.live = undefined;
        this.stats.errors++;
        throw new WasmCallError(
          `the extension ${name} ran longer than ${this.options.timeoutMs} ms and was stopped`,
        );
      }
      const message = this.failure(error, live);
      if (/out of memory|runtime\.alloc/.test(message + String((error as Error).stack))) {
        this.live = undefined;
        if (mayRecover && this.options.autoRecover) {
          this.stats.recovers++;
          this.stats.invocations++;
          this.options.onRecover?.(message);
          this.attempt(name, state, false);
          return;
        }
      }
      this.stats.errors++;
      throw new WasmCallError(message);
    } finally {
      live.abi.end();
    }
  }

  /** The text of a failed call: the guest's panic output when it trapped after writing one. */
  private failure(error: unknown, live: Live): string {
    const printed = live.output.text().trim();
    if (error instanceof WebAssembly.RuntimeError) {
      if (printed.startsWith('panic: ')) return printed;
      return printed === '' ? error.message : `${error.message}: ${printed}`;
    }
    return error instanceof Error ? error.message : String(error);
  }

  /** The guest's heap figures (TinyGo modules export them); undefined when it does not. */
  heapStats(): { inUse: bigint; sys: bigint; mallocs: bigint; frees: bigint } | undefined {
    const ex = (this.live ?? this.instantiate()).instance.exports;
    const get = (n: string) => (ex[n] as (() => bigint) | undefined)?.();
    const inUse = get('WasmGetHeapInuse');
    const sys = get('WasmGetHeapSys');
    const mallocs = get('WasmGetMallocs');
    const frees = get('WasmGetFrees');
    if (inUse === undefined || sys === undefined || mallocs === undefined || frees === undefined)
      return undefined;
    return { inUse, sys, mallocs, frees };
  }

  /** Runs the guest's garbage collector (`WasmGC`), where it has one. */
  gc(): void {
    const ex = (this.live ?? this.instantiate()).instance.exports;
    (ex.WasmGC as (() => void) | undefined)?.();
  }
}
