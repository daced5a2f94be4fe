import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import wabtInit from 'wabt';
import { METER, type RewrittenModule, rewriteModule, WasmRewriteError } from './index.js';
import { readSections } from './sections.js';

const wabt = await wabtInit();
const FEATURES = {
  simd: true,
  tail_call: true,
  reference_types: true,
  bulk_memory: true,
  multi_value: true,
  sign_extension: true,
  sat_float_to_int: true,
  mutable_globals: true,
};

/** A module from WAT; `names` writes the name section. */
function wat(text: string, options: { names?: boolean; features?: object } = {}): Uint8Array {
  const module = wabt.parseWat('test.wat', text, { ...FEATURES, ...options.features });
  try {
    return module.toBinary({ write_debug_names: options.names ?? true }).buffer;
  } finally {
    module.destroy();
  }
}

function rewrite(bytes: Uint8Array, maxMemoryPages = 16): RewrittenModule {
  const rewritten = rewriteModule(bytes, { maxMemoryPages });
  assert.ok(
    WebAssembly.validate(rewritten.bytes as Uint8Array<ArrayBuffer>),
    'the result is valid',
  );
  return rewritten;
}

function compile(bytes: Uint8Array): WebAssembly.Module {
  return new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
}

/** What the host's tick throws in these tests. */
class Stop extends Error {}

type Exports = Record<string, unknown>;

/**
 * An instance of a rewritten module whose tick refills the fuel with `budget` and throws
 * {@link Stop} on its `stopAt`-th call (by default the 100,000th, so that a test of a broken
 * rewrite fails instead of spinning).
 */
function metered(
  bytes: Uint8Array,
  options: { budget: number; stopAt?: number; imports?: WebAssembly.Imports },
) {
  const state = { ticks: 0 };
  let fuel: WebAssembly.Global | undefined;
  const tick = () => {
    state.ticks++;
    if (state.ticks === (options.stopAt ?? 100_000))
      throw new Stop(`stopped at tick ${state.ticks}`);
    if (fuel !== undefined) fuel.value = options.budget;
  };
  const instance = new WebAssembly.Instance(compile(bytes), {
    ...options.imports,
    [METER.importModule]: { [METER.tickImport]: tick },
  });
  const exports = instance.exports as Exports;
  fuel = exports[METER.fuelExport] as WebAssembly.Global;
  const call = (name: string, ...args: number[]) =>
    (exports[name] as (...a: number[]) => unknown)(...args);
  return { exports, fuel, state, call };
}

/** Appends a custom section to a module. */
function withCustomSection(
  bytes: Uint8Array,
  name: string,
  payload: readonly number[],
): Uint8Array {
  const nameBytes = new TextEncoder().encode(name);
  const content = [nameBytes.length, ...nameBytes, ...payload];
  assert.ok(content.length < 128);
  return Uint8Array.from([...bytes, 0, content.length, ...content]);
}

function uleb(value: number): number[] {
  const out: number[] = [];
  do {
    const low = value & 0x7f;
    value >>>= 7;
    out.push(value === 0 ? low : low | 0x80);
  } while (value !== 0);
  return out;
}

/** A module with one `() -> ()` function whose body (after its locals) is `body`. */
function moduleWithBody(body: readonly number[]): Uint8Array {
  const code = [0x00, ...body];
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...[0x01, 0x04, 0x01, 0x60, 0x00, 0x00], // type section: () -> ()
    ...[0x03, 0x02, 0x01, 0x00], // function section
    ...[0x0a, code.length + 2, 0x01, code.length, ...code], // code section
  ]);
}

function rewrites(bytes: Uint8Array): boolean {
  try {
    rewriteModule(bytes, { maxMemoryPages: 1 });
    return true;
  } catch (error) {
    if (error instanceof WasmRewriteError) return false;
    throw error;
  }
}

describe('memory cap', () => {
  const growable = (memory: string) => `(module
    (memory (export "memory") ${memory})
    (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))`;

  it('caps a memory declared without a maximum: growing past the cap returns -1', () => {
    const original = wat(growable('1'));
    const plain = new WebAssembly.Instance(compile(original)).exports as Exports;
    assert.equal((plain.grow as (n: number) => number)(6), 1, 'uncapped, it grows');

    const { call, exports } = metered(rewrite(original, 4).bytes, { budget: 100 });
    assert.equal(call('grow', 2), 1);
    assert.equal(call('grow', 2), -1, '3 + 2 pages exceed the cap of 4');
    assert.equal(call('grow', 1), 3);
    assert.equal(call('grow', 1), -1);
    assert.equal((exports.memory as WebAssembly.Memory).buffer.byteLength, 4 * 65536);
  });

  it('keeps a lower maximum the module declares', () => {
    const { call } = metered(rewrite(wat(growable('1 2')), 4).bytes, { budget: 100 });
    assert.equal(call('grow', 1), 1);
    assert.equal(call('grow', 1), -1);
  });

  it('lowers a higher maximum the module declares', () => {
    const { call } = metered(rewrite(wat(growable('1 100')), 3).bytes, { budget: 100 });
    assert.equal(call('grow', 3), -1);
    assert.equal(call('grow', 2), 1);
  });

  it('accepts an initial size equal to the cap and refuses one above it', () => {
    rewrite(wat(growable('4')), 4);
    assert.throws(
      () => rewriteModule(wat(growable('10')), { maxMemoryPages: 4 }),
      (error: unknown) =>
        error instanceof WasmRewriteError &&
        error.name === 'WasmRewriteError' &&
        error.message ===
          'the module needs 10 pages of memory at start, more than the limit of 4 pages',
    );
  });

  it('refuses an imported memory', () => {
    const bytes = wat('(module (import "env" "memory" (memory 1)))');
    assert.throws(() => rewriteModule(bytes, { maxMemoryPages: 4 }), {
      name: 'WasmRewriteError',
      message: /imports its memory \("env"\."memory"\)/,
    });
  });

  it('leaves a module without memory without one', () => {
    const rewritten = rewrite(wat('(module (func (export "f") (result i32) (i32.const 1)))'));
    const kinds = WebAssembly.Module.exports(compile(rewritten.bytes)).map((e) => e.kind);
    assert.ok(!kinds.includes('memory'));
  });

  it('refuses a cap that is not a page count', () => {
    for (const maxMemoryPages of [-1, 1.5, 65537, Number.NaN]) {
      assert.throws(() => rewriteModule(wat('(module)'), { maxMemoryPages }), WasmRewriteError);
    }
  });
});

describe('metering', () => {
  const counting = wat(`(module
    (func (export "spin") (loop $l (br $l)))
    (func (export "count") (param $n i32) (result i32)
      (local $i i32)
      (loop $l
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
      (local.get $i))
    (func (export "nested") (param $n i32) (param $m i32) (result i32)
      (local $i i32) (local $j i32) (local $sum i32)
      (loop $outer
        (local.set $j (i32.const 0))
        (loop $inner
          (local.set $sum (i32.add (local.get $sum) (i32.const 1)))
          (br_if $inner (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (local.get $m))))
        (br_if $outer (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
      (local.get $sum))
    (func (export "straight") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2))))`);

  it('stops an infinite loop with the tick that throws', () => {
    const { call, state } = metered(rewrite(counting).bytes, { budget: 1000, stopAt: 5 });
    // Were loops not metered, the spin below would never return: check a finite loop first.
    call('count', 1);
    assert.equal(state.ticks, 1);
    assert.throws(() => call('spin'), Stop);
    assert.equal(state.ticks, 5);
  });

  it('calls the tick once per budget of loop iterations, the first time on the first one', () => {
    const bytes = rewrite(counting).bytes;
    for (const [iterations, ticks] of [
      [1, 1],
      [99, 1],
      [100, 1],
      [101, 2],
      [1000, 10],
      [1001, 11],
    ] as const) {
      const { call, state } = metered(bytes, { budget: 100 });
      assert.equal(call('count', iterations), iterations);
      assert.equal(state.ticks, ticks, `${iterations} iterations`);
    }
  });

  it('counts down a budget the host set through the fuel export', () => {
    const { call, state, fuel } = metered(rewrite(counting).bytes, { budget: 100 });
    assert.equal(fuel.value, 0, 'the fuel starts empty');
    fuel.value = 100;
    assert.equal(call('count', 250), 250);
    assert.equal(state.ticks, 2, 'after iterations 100 and 200');
    assert.equal(fuel.value, 50);
    fuel.value = 1000;
    call('count', 10);
    assert.equal(state.ticks, 2);
    assert.equal(fuel.value, 990);
  });

  it('meters every loop, nested ones included', () => {
    const { call, state } = metered(rewrite(counting).bytes, { budget: 11 });
    assert.equal(call('nested', 10, 10), 100);
    assert.equal(state.ticks, 10, '110 loop iterations (10 outer, 100 inner), 11 per tick');
  });

  it('adds nothing to a function without loops', () => {
    const { call, state } = metered(rewrite(counting).bytes, { budget: 1 });
    assert.equal(call('straight', 21), 42);
    assert.equal(state.ticks, 0);
  });

  it('reuses an existing () -> () type for the tick and adds one when there is none', () => {
    const typeCount = (bytes: Uint8Array) => {
      const text = wasmText(bytes);
      return (text.match(/^\s*\(type \(;\d+;\) \(func/gm) ?? []).length;
    };
    const withEmpty = wat('(module (func (export "f")) (func (export "g") (param i32)))');
    assert.equal(typeCount(rewrite(withEmpty).bytes), typeCount(withEmpty));
    const withoutEmpty = wat('(module (func (export "g") (param i32)))');
    assert.equal(typeCount(rewrite(withoutEmpty).bytes), typeCount(withoutEmpty) + 1);
    const empty = rewrite(wat('(module)'));
    assert.deepEqual(WebAssembly.Module.imports(compile(empty.bytes)), [
      { module: METER.importModule, name: METER.tickImport, kind: 'function' },
    ]);
    assert.deepEqual(WebAssembly.Module.exports(compile(empty.bytes)), [
      { name: METER.fuelExport, kind: 'global' },
    ]);
  });
});

/** The module's text, with the names of its name section. */
function wasmText(bytes: Uint8Array): string {
  const module = wabt.readWasm(bytes, { readDebugNames: true, ...FEATURES });
  try {
    module.applyNames();
    return module.toText({ foldExprs: false, inlineExport: false });
  } finally {
    module.destroy();
  }
}

describe('function index shift', () => {
  const source = `(module
    (type $ii_i (func (param i32 i32) (result i32)))
    (type $v_i (func (result i32)))
    (import "env" "base" (func $base (result i32)))
    (import "env" "g" (global $imported i32))
    (import "env" "trace" (func $trace (param i32)))
    (table $t 8 funcref)
    (table $t2 4 funcref)
    (memory (export "memory") 1)
    (global $started (mut i32) (i32.const 0))
    (global $fref funcref (ref.func $triple))
    (elem (i32.const 0) $add $sub)
    (elem $passive func $mul $triple)
    (elem (table $t2) (i32.const 0) func $sub $add)
    (elem declare func $declared)
    (elem (i32.const 2) funcref (ref.func $mul) (ref.null func))
    (elem $passive_exprs funcref (ref.func $triple) (ref.null func) (ref.func $add))
    (elem (table $t2) (i32.const 2) funcref (ref.func $mul) (ref.null func))
    (elem declare funcref (ref.func $sub) (ref.null func))
    (func $add (type $ii_i) (i32.add (local.get 0) (local.get 1)))
    (func $sub (type $ii_i) (i32.sub (local.get 0) (local.get 1)))
    (func $mul (type $ii_i) (i32.mul (local.get 0) (local.get 1)))
    (func $triple (type $ii_i) (i32.mul (local.get 0) (i32.const 3)))
    (func $declared (result i32) (i32.const 77))
    (func $init (global.set $started (i32.add (call $base) (global.get $imported))))
    (start $init)
    (func (export "started") (result i32) (global.get $started))
    (func (export "direct") (param i32 i32) (result i32)
      (call $add (local.get 0) (call $mul (local.get 0) (local.get 1))))
    (func (export "viaTable") (param i32 i32 i32) (result i32)
      (call_indirect $t (type $ii_i) (local.get 0) (local.get 1) (local.get 2)))
    (func (export "viaTable2") (param i32 i32 i32) (result i32)
      (call_indirect $t2 (type $ii_i) (local.get 0) (local.get 1) (local.get 2)))
    (func (export "initPassive")
      (table.init $t $passive (i32.const 4) (i32.const 0) (i32.const 2))
      (table.init $t2 $passive_exprs (i32.const 1) (i32.const 0) (i32.const 1)))
    (func (export "viaGlobal") (param i32 i32) (result i32)
      (table.set $t (i32.const 7) (global.get $fref))
      (call_indirect $t (type $ii_i) (local.get 0) (local.get 1) (i32.const 7)))
    (func (export "viaRefFunc") (result i32)
      (table.set $t (i32.const 6) (ref.func $declared))
      (call_indirect $t (type $v_i) (i32.const 6)))
    (func (export "tail") (param i32 i32) (result i32)
      (return_call $sub (local.get 0) (local.get 1)))
    (func $deep (export "deep") (call $trace (i32.const 1)))
    (func $deeper (export "deeper") (call $deep))
    (export "add" (func $add))
    (export "base" (func $base))
    (export "table" (table $t)))`;

  const imports = (traces: string[]) => ({
    env: {
      base: () => 40,
      g: new WebAssembly.Global({ value: 'i32' }, 2),
      trace: () => traces.push(new Error().stack ?? ''),
    },
  });

  /** Every observable result of the module. */
  function observe(exports: Exports): unknown[] {
    const call = (name: string, ...args: number[]) =>
      (exports[name] as (...a: number[]) => unknown)(...args);
    const table = exports.table as WebAssembly.Table;
    const results: unknown[] = [call('started'), call('direct', 3, 4), call('add', 5, 6)];
    results.push(call('base'), call('tail', 10, 4));
    for (let i = 0; i < 3; i++) results.push(call('viaTable', 6, 2, i));
    for (let i = 0; i < 3; i++) results.push(call('viaTable2', 6, 2, i));
    assert.throws(() => call('viaTable', 6, 2, 4), WebAssembly.RuntimeError);
    call('initPassive');
    results.push(call('viaTable', 6, 2, 4), call('viaTable', 6, 2, 5), call('viaTable2', 6, 2, 1));
    results.push(call('viaGlobal', 6, 2), call('viaRefFunc'));
    results.push((table.get(0) as (a: number, b: number) => number)(9, 1));
    return results;
  }

  it('keeps every call, table entry, start function and export reaching its function', () => {
    const original = wat(source);
    const expected = observe(new WebAssembly.Instance(compile(original), imports([])).exports);
    assert.deepEqual(expected, [42, 15, 11, 40, 6, 8, 4, 12, 4, 8, 12, 12, 18, 18, 18, 77, 10]);

    const rewritten = rewrite(original);
    const { exports, state } = metered(rewritten.bytes, { budget: 100, imports: imports([]) });
    assert.deepEqual(observe(exports), expected);
    assert.equal(state.ticks, 0, 'the module has no loops');
    assert.deepEqual(WebAssembly.Module.exports(compile(rewritten.bytes)), [
      ...WebAssembly.Module.exports(compile(original)),
      { name: METER.fuelExport, kind: 'global' },
    ]);
  });

  it('shifts the name section, so traces name the right functions', () => {
    const traces: string[] = [];
    const { call } = metered(rewrite(wat(source)).bytes, { budget: 100, imports: imports(traces) });
    call('deeper');
    assert.equal(traces.length, 1);
    const frames = (traces[0] ?? '').split('\n').filter((line) => line.includes('wasm-function'));
    assert.match(frames[0] ?? '', /at deep \(wasm:.*wasm-function\[17\]/);
    assert.match(frames[1] ?? '', /at deeper \(wasm:.*wasm-function\[18\]/);

    const text = wasmText(rewrite(wat(source)).bytes);
    assert.match(text, /\(func \$deeper \(type \d+\)\n\s+call \$deep\)/);
    assert.match(text, /\(func \$deep \(type \d+\)\n\s+i32.const 1\n\s+call \$trace\)/);
    assert.match(
      text,
      /\(func \$triple \(type \$ii_i\) \(param i32 i32\) \(result i32\)\n\s+local.get 0\n\s+i32.const 3\n\s+i32.mul\)/,
    );
    assert.match(text, /\(import "__vts" "tick" \(func \(;2;\)/);
  });

  it('keeps local names with their functions', () => {
    const bytes = wat(`(module
      (import "env" "f" (func $f))
      (func $first (param $alpha i32))
      (func $second (param $beta i32) (local $gamma i64)))`);
    const text = wasmText(rewrite(bytes).bytes);
    assert.match(text, /\(func \$first \(type \d+\) \(param \$alpha i32\)/);
    assert.match(
      text,
      /\(func \$second \(type \d+\) \(param \$beta i32\)\n\s+\(local \$gamma i64\)/,
    );
  });
});

describe('instructions in loops', () => {
  // Every loop runs `n` times, so with a budget of 1 the tick runs once per iteration.
  const source = `(module
    (type $pair (func (param i32) (result i32 i32)))
    (type $ii_i (func (param i32 i32) (result i32)))
    (memory (export "memory") 1)
    (table $t 4 funcref)
    (data $bytes "\\01\\02\\03\\04\\05\\06\\07\\08\\09\\0a\\0b\\0c\\0d\\0e\\0f\\10")
    (elem $fns func $double $half)
    (func $double (type $ii_i) (i32.shl (local.get 0) (local.get 1)))
    (func $half (type $ii_i) (i32.shr_u (local.get 0) (local.get 1)))
    (func (export "blocks") (param $n i32) (result i32)
      (local $acc i32)
      loop $l
        local.get $n
        block (type $pair)
          local.get $acc
        end
        i32.add
        local.set $acc
        local.get $n
        i32.const 1
        i32.sub
        local.tee $n
        br_if $l
      end
      local.get $acc)
    (func (export "loopParams") (param $n i32) (result i32)
      i32.const 0
      loop $l (param i32) (result i32)
        local.get $n
        i32.add
        local.get $n
        i32.const 1
        i32.sub
        local.tee $n
        br_if $l
      end)
    (func (export "branches") (param $n i32) (result i32)
      (local $acc i32)
      (loop $l
        (block $done
          (block $two
            (block $one
              (block $zero
                (br_table $zero $one $two $done (i32.rem_u (local.get $n) (i32.const 4))))
              (local.set $acc (i32.add (local.get $acc) (i32.const 1)))
              (br $done))
            (local.set $acc (i32.add (local.get $acc) (i32.const 10)))
            (br $done))
          (local.set $acc (i32.add (local.get $acc) (i32.const 100))))
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
      (local.get $acc))
    (func (export "simd") (param $n i32) (result i32)
      (local $v v128)
      (local.set $v (v128.const i32x4 1 2 3 4))
      (loop $l
        (local.set $v (i32x4.add (local.get $v) (v128.const i32x4 1 1 1 1)))
        (local.set $v (i8x16.shuffle 4 5 6 7 0 1 2 3 12 13 14 15 8 9 10 11 (local.get $v) (local.get $v)))
        (local.set $v (i32x4.replace_lane 3 (local.get $v) (i32x4.extract_lane 0 (local.get $v))))
        (v128.store offset=32 (i32.const 0) (local.get $v))
        (v128.store16_lane offset=64 1 (i32.const 0) (local.get $v))
        (local.set $v (v128.load8_lane 5 (i32.const 33) (local.get $v)))
        (local.set $v (i16x8.add (local.get $v) (v128.load32_zero offset=32 (i32.const 0))))
        (local.set $v (i8x16.replace_lane 15 (local.get $v) (i8x16.extract_lane_u 2 (local.get $v))))
        (local.set $v (v128.or (local.get $v) (v128.load64_splat (i32.const 32))))
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
      (i32.add
        (i32.add (i32x4.extract_lane 2 (local.get $v)) (i8x16.extract_lane_s 15 (local.get $v)))
        (i32.add (i32.load16_u (i32.const 64)) (i32x4.all_true (local.get $v)))))
    (func (export "bulk") (param $n i32) (result i32)
      (local $i i32)
      (loop $l
        (memory.init $bytes (i32.const 100) (i32.const 0) (i32.const 16))
        (memory.copy (i32.add (i32.const 200) (local.get $i)) (i32.const 100) (i32.const 16))
        (memory.fill (i32.const 100) (local.get $i) (i32.const 4))
        (table.init $t $fns (i32.const 0) (i32.const 0) (i32.const 2))
        (table.copy $t $t (i32.const 2) (i32.const 0) (i32.const 1))
        (drop (table.grow $t (ref.null func) (i32.const 0)))
        (table.fill $t (i32.const 3) (ref.func $double) (i32.const 1))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
      (data.drop $bytes)
      (elem.drop $fns)
      (i32.add
        (i32.add (i32.load (i32.const 200)) (i32.load (i32.const 212)))
        (i32.add (i32.load (i32.const 100))
          (i32.add (table.size $t)
            (call_indirect $t (type $ii_i) (i32.const 3) (i32.const 2) (i32.const 1))))))
    (func (export "misc") (param $n i32) (result i64)
      (local $acc i64)
      (loop $l
        (local.set $acc (i64.add (local.get $acc)
          (i64.extend_i32_s (i32.extend8_s (i32.add (local.get $n) (i32.const 120))))))
        (local.set $acc (i64.add (local.get $acc) (i64.const 0x123456789abcdef)))
        (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (i32.trunc_sat_f64_s (f64.const 1e100)))))
        (local.set $acc (i64.add (local.get $acc)
          (i64.extend_i32_u (select (result i32) (memory.size) (i32.const 7) (ref.is_null (ref.null extern))))))
        (local.set $acc (i64.xor (local.get $acc) (i64.trunc_sat_f32_u (f32.const -5.5))))
        (local.set $acc (i64.add (local.get $acc) (i64.extend32_s (i64.const 0xfffffffe))))
        (drop (memory.grow (i32.const 0)))
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
      (local.get $acc))
    (func (export "tail") (param $n i32) (result i32)
      (table.set $t (i32.const 0) (ref.func $double))
      (loop $l (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
      (return_call_indirect $t (type $ii_i) (i32.const 5) (i32.const 2) (i32.const 0))))`;

  it('run as before, and every loop iteration is metered', () => {
    const original = wat(source);
    const rewritten = rewrite(original).bytes;
    const n = 7;
    for (const name of ['blocks', 'loopParams', 'branches', 'simd', 'bulk', 'misc', 'tail']) {
      const plain = new WebAssembly.Instance(compile(original)).exports as Exports;
      const expected = (plain[name] as (n: number) => unknown)(n);
      const { call, state } = metered(rewritten, { budget: 1 });
      assert.deepEqual(call(name, n), expected, name);
      assert.equal(state.ticks, n, `${name}: a tick per iteration`);
    }
  });

  it('agree with the engine on which instructions exist', () => {
    // After `unreachable` any operands type-check, so `unreachable; <op>; drop` is valid exactly
    // when <op> exists and has no immediates.
    const withImmediates = new Set([
      ...[0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0b, 0x0c, 0x0d, 0x0e],
      ...[0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x18, 0x19, 0x1c, 0x1f],
      ...Array.from({ length: 0x45 - 0x20 }, (_, i) => 0x20 + i),
      ...[0xd0, 0xd2, 0xd4, 0xd6, 0xfb, 0xfc, 0xfd, 0xfe, 0xff],
    ]);
    const disagreements: string[] = [];
    const check = (name: string, body: number[]) => {
      const bytes = moduleWithBody([0x00, ...body, 0x1a, 0x0b]);
      const valid = WebAssembly.validate(bytes as Uint8Array<ArrayBuffer>);
      if (valid !== rewrites(bytes)) disagreements.push(`${name}: the engine says ${valid}`);
    };
    // Newer engines (Node 24+) also know throw_ref (0x0a, exception handling with exnref) and
    // ref.eq (0xd3, GC); the rewriter refuses both families on purpose, whatever the engine says.
    const refusedOnPurpose = new Set([0x0a, 0xd3]);
    for (const op of refusedOnPurpose) {
      assert.equal(rewrites(moduleWithBody([0x00, op, 0x1a, 0x0b])), false, `0x${op.toString(16)}`);
    }
    for (let op = 0; op < 256; op++) {
      if (!withImmediates.has(op) && !refusedOnPurpose.has(op)) check(`0x${op.toString(16)}`, [op]);
    }
    for (let sub = 0; sub < 20; sub++)
      if (sub < 8 || sub > 17) check(`0xfc ${sub}`, [0xfc, ...uleb(sub)]);
    const simdWithImmediates = (sub: number) =>
      sub <= 0x0d || (sub >= 0x15 && sub <= 0x22) || (sub >= 0x54 && sub <= 0x5d);
    for (let sub = 0; sub < 256; sub++) {
      if (!simdWithImmediates(sub)) check(`0xfd ${sub}`, [0xfd, ...uleb(sub)]);
    }
    assert.deepEqual(disagreements, []);
  });

  it('refuses instructions the host cannot meter, naming them', () => {
    const exceptions = wat(
      `(module (tag $e) (func (export "f") (try (do (throw $e)) (catch_all))))`,
      { features: { exceptions: true } },
    );
    assert.throws(() => rewriteModule(exceptions, { maxMemoryPages: 1 }), {
      name: 'WasmRewriteError',
      message: /0x06 \(exception handling\).*cannot meter/,
    });
    const atomics = wat(
      `(module (memory 1 1 shared)
        (func (export "f") (result i32) (i32.atomic.load (i32.const 0))))`,
      { features: { threads: true } },
    );
    assert.throws(() => rewriteModule(atomics, { maxMemoryPages: 1 }), {
      name: 'WasmRewriteError',
      message: /function 0 uses the instruction 0xfe \(threads and atomics\).*cannot meter/,
    });
  });

  it('refuses malformed modules', () => {
    const good = wat(source);
    for (const bytes of [
      new Uint8Array(0),
      Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00]),
      good.subarray(0, good.length - 40),
      moduleWithBody([0x41]), // i32.const without its immediate
      moduleWithBody([0x0b, 0x01]), // bytes after the body's end
    ]) {
      assert.throws(() => rewriteModule(bytes, { maxMemoryPages: 1 }), WasmRewriteError);
    }
  });
});

describe('stack pointer', () => {
  const exportedSp = (bytes: Uint8Array) => {
    const rewritten = rewrite(bytes);
    const exports = WebAssembly.Module.exports(compile(rewritten.bytes));
    const has = exports.some((e) => e.name === METER.stackPointerExport && e.kind === 'global');
    assert.equal(has, rewritten.stackPointerExported);
    if (!has) return undefined;
    const { exports: instance } = metered(rewritten.bytes, {
      budget: 1,
      imports: {
        env: {
          g: new WebAssembly.Global({ value: 'i32' }, 1),
          sp: new WebAssembly.Global({ value: 'i32', mutable: true }, 99),
        },
      },
    });
    return (instance[METER.stackPointerExport] as WebAssembly.Global).value as number;
  };

  it('finds the global named __stack_pointer, wherever it is', () => {
    const bytes = wat(`(module
      (global $other (mut i32) (i32.const 1))
      (global $__stack_pointer (mut i32) (i32.const 65536)))`);
    assert.equal(exportedSp(bytes), 65536);
  });

  it("finds AssemblyScript's stack pointer by its name", () => {
    const bytes = wat(`(module
      (global $~lib/rt/itcms/total (mut i32) (i32.const 1))
      (global $~lib/memory/__stack_pointer (mut i32) (i32.const 3000)))`);
    assert.equal(exportedSp(bytes), 3000);
  });

  it('finds an imported stack pointer by its name', () => {
    const bytes = wat(`(module (import "env" "sp" (global $__stack_pointer (mut i32))))`);
    assert.equal(exportedSp(bytes), 99);
  });

  it('trusts names: named globals without a stack pointer give none', () => {
    const bytes = wat('(module (global $counter (mut i32) (i32.const 1)))');
    assert.equal(exportedSp(bytes), undefined);
    const immutable = wat('(module (global $__stack_pointer i32 (i32.const 1)))');
    assert.equal(exportedSp(immutable), undefined);
  });

  it('without names, takes the first own global when it looks like LLVM stack pointer', () => {
    const llvmLike = wat(
      `(module (import "env" "g" (global i32))
        (global (mut i32) (i32.const 4096)) (global (mut i32) (i32.const 7)))`,
      { names: false },
    );
    assert.equal(exportedSp(llvmLike), 4096);
    assert.equal(
      exportedSp(wat('(module (global i32 (i32.const 1)))', { names: false })),
      undefined,
    );
    assert.equal(exportedSp(wat('(module)', { names: false })), undefined);

    // An initializer other than i32.const needs a producers section naming an LLVM tool.
    const computed = wat(
      '(module (import "env" "g" (global $g i32)) (global (mut i32) (global.get $g)))',
      { names: false },
    );
    assert.equal(exportedSp(computed), undefined);
    const field = (text: string) => [text.length, ...new TextEncoder().encode(text)];
    const producers = [1, ...field('processed-by'), 1, ...field('clang'), ...field('17.0.6')];
    assert.equal(exportedSp(withCustomSection(computed, 'producers', producers)), 1);
  });

  it('lets the host restore the pointer after an import threw through a call', () => {
    const bytes = wat(`(module
      (import "env" "fail" (func $fail))
      (global $__stack_pointer (mut i32) (i32.const 1024))
      (func (export "call")
        (global.set $__stack_pointer (i32.sub (global.get $__stack_pointer) (i32.const 16)))
        (call $fail)
        (global.set $__stack_pointer (i32.add (global.get $__stack_pointer) (i32.const 16)))))`);
    const { call, exports } = metered(rewrite(bytes).bytes, {
      budget: 1,
      imports: {
        env: {
          fail: () => {
            throw new Stop('host failure');
          },
        },
      },
    });
    const sp = exports[METER.stackPointerExport] as WebAssembly.Global;
    assert.throws(() => call('call'), Stop);
    assert.equal(sp.value, 1008, 'the aborted frame is still on the shadow stack');
    sp.value = 1024;
    assert.throws(() => call('call'), Stop);
    assert.equal(sp.value, 1008);
  });
});

describe('reserved names and preserved bytes', () => {
  it('refuses exports and imports in the host namespace, so a module is rewritten once', () => {
    const bytes = wat('(module (global (export "__vts_sp") (mut i32) (i32.const 0)))');
    assert.throws(() => rewriteModule(bytes, { maxMemoryPages: 1 }), {
      name: 'WasmRewriteError',
      message: /exports "__vts_sp", but names starting with __vts are reserved/,
    });
    const once = rewrite(wat('(module (func (export "f")))')).bytes;
    assert.throws(() => rewriteModule(once, { maxMemoryPages: 1 }), {
      name: 'WasmRewriteError',
      message: /"__vts" is reserved/,
    });
  });

  it('copies sections it does not change byte for byte', () => {
    const source = wat(
      `(module
        (memory 1)
        (data (i32.const 8) "hello")
        (data $passive "world")
        (func (export "f") (data.drop $passive)))`,
      { names: false },
    );
    const original = withCustomSection(source, 'x.custom', [1, 2, 3, 250]);
    const rewritten = rewrite(original).bytes;
    const custom = WebAssembly.Module.customSections(compile(rewritten), 'x.custom');
    assert.deepEqual([...new Uint8Array(custom[0] ?? new ArrayBuffer(0))], [1, 2, 3, 250]);
    const raw = (bytes: Uint8Array) =>
      readSections(bytes).map((s) => Buffer.from(bytes.subarray(s.start, s.end)).toString('hex'));
    const before = raw(original);
    const after = new Set(raw(rewritten));
    // Memory and export change, import and global are added; the type (it has a () -> () type
    // already), function, data count, code (no loop, no call), data and custom sections do not.
    const kept = before.filter((section) => after.has(section));
    assert.equal(kept.length, before.length - 2, 'all but the memory and export sections');
  });
});

describe('a malformed name section', () => {
  it('is dropped rather than left naming the wrong functions', () => {
    const bytes = withCustomSection(
      wat('(module (func (export "f")))', { names: false }),
      'name',
      [1, 9, 1, 0], // a function names subsection that ends early
    );
    const module = compile(rewrite(bytes).bytes);
    assert.deepEqual(WebAssembly.Module.customSections(module, 'name'), []);
  });
});

describe('the corpus modules', () => {
  const corpus = fileURLToPath(new URL('../../../../../shared/corpus/wasm', import.meta.url));
  const modules = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return modules(path);
      return entry.name.endsWith('.wasm') ? [path] : [];
    });

  it('rewrite into valid modules with their stack pointer exported', (t) => {
    if (!existsSync(corpus)) {
      t.skip('../shared/corpus is absent');
      return;
    }
    const files = modules(corpus);
    assert.ok(files.length > 0);
    for (const file of files) {
      const rewritten = rewrite(readFileSync(file), 256);
      assert.ok(rewritten.stackPointerExported, file);
      const module = compile(rewritten.bytes);
      const exports = WebAssembly.Module.exports(module).map((e) => `${e.kind} ${e.name}`);
      assert.ok(exports.includes(`global ${METER.fuelExport}`), file);
      assert.ok(exports.includes(`global ${METER.stackPointerExport}`), file);
    }
  });

  /** A TinyGo module's instance: WASI's fd_write collects the output, host functions throw. */
  function tinyGo(bytes: Uint8Array, budget: number, stopAt?: number) {
    const output: string[] = [];
    let memory: WebAssembly.Memory | undefined;
    const module = compile(bytes);
    const imports: Record<string, Record<string, (...args: number[]) => unknown>> = {};
    for (const { module: from, name, kind } of WebAssembly.Module.imports(module)) {
      assert.equal(kind, 'function');
      if (from === METER.importModule) continue;
      const functions = imports[from] ?? {};
      imports[from] = functions;
      functions[name] =
        from === 'wasi_snapshot_preview1' && name === 'fd_write'
          ? (_fd, iovs, count, written) => {
              const view = new DataView((memory as WebAssembly.Memory).buffer);
              let total = 0;
              for (let i = 0; i < count; i++) {
                const at = view.getUint32(iovs + 8 * i, true);
                const length = view.getUint32(iovs + 8 * i + 4, true);
                output.push(Buffer.from(view.buffer, at, length).toString());
                total += length;
              }
              view.setUint32(written, total, true);
              return 0;
            }
          : () => {
              throw new Error(`unexpected call to ${from}.${name}`);
            };
    }
    const instance = metered(bytes, {
      budget,
      imports,
      ...(stopAt === undefined ? {} : { stopAt }),
    });
    memory = instance.exports.memory as WebAssembly.Memory;
    instance.call('_start');
    return { ...instance, output };
  }

  const allocs = join(corpus, 'pkg/iextengine/wazero/_testdata/allocs/pkg.wasm');

  it("stop TinyGo's ten million map inserts with a throwing tick", (t) => {
    if (!existsSync(allocs)) {
      t.skip('../shared/corpus is absent');
      return;
    }
    const { call, state, exports } = tinyGo(rewrite(readFileSync(allocs), 256).bytes, 1000, 50);
    const sp = exports[METER.stackPointerExport] as WebAssembly.Global;
    const before = sp.value as number;
    assert.throws(() => call('longFunc'), Stop);
    assert.equal(state.ticks, 50);
    assert.notEqual(sp.value, before, 'the aborted frame is still on the shadow stack');
  });

  it('end a TinyGo guest that outgrows the memory cap with its out-of-memory panic', (t) => {
    if (!existsSync(allocs)) {
      t.skip('../shared/corpus is absent');
      return;
    }
    // It runs out of memory after some 160,000 iterations; the tick stops it if it does not.
    const bytes = rewrite(readFileSync(allocs), 4).bytes;
    const { call, output, exports } = tinyGo(bytes, 10_000, 1000);
    assert.throws(() => call('longFunc'), WebAssembly.RuntimeError);
    assert.match(output.join(''), /out of memory/);
    assert.equal((exports.memory as WebAssembly.Memory).buffer.byteLength, 4 * 65536);
  });
});
