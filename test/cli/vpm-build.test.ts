/**
 * `vpm build`: AssemblyScript extensions compiled to the module the server loads. The example is
 * built in a copy (the repository stays clean); the module's own exports, those the SDK adds for
 * the host, are exercised with a minimal host written here (the extensions themselves run against
 * the real host elsewhere). Each build takes seconds, so there are three.
 */
import assert from 'node:assert/strict';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { cli } from '../../src/cli/vpm/main.js';

const example = fileURLToPath(new URL('../../examples/wasm-orders/orders', import.meta.url));
const temp = mkdtempSync(join(tmpdir(), 'vpm-build-'));

after(() => rmSync(temp, { recursive: true, force: true }));

async function vpm(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await cli(
    args,
    { write: (s: string) => (out += s) },
    { write: (s: string) => (err += s) },
  );
  return { code, out, err };
}

/** A package folder in the temporary directory: its VSQL and its wasm/index.ts. */
function tinyPackage(name: string, vsql: string, source: string): string {
  const dir = join(temp, name);
  mkdirSync(join(dir, 'wasm'), { recursive: true });
  writeFileSync(join(dir, `${name}.vsql`), vsql);
  writeFileSync(join(dir, 'wasm', 'index.ts'), source);
  return dir;
}

const TINY_VSQL = `APPLICATION tiny();
WORKSPACE TinyWS (
  TYPE Answer (Text varchar NOT NULL);
  EXTENSION ENGINE WASM (
    COMMAND Hello();
    QUERY Missing() RETURNS Answer;
  );
);
`;

describe('vpm build of the wasm-orders example', () => {
  const dir = join(temp, 'orders');
  let built: { code: number; out: string; err: string };
  let wasm: Uint8Array<ArrayBuffer>;

  before(async () => {
    cpSync(example, dir, {
      recursive: true,
      filter: (src) => basename(src) !== 'extensions.wasm',
    });
    built = await vpm('build', dir);
    if (built.code === 0) wasm = new Uint8Array(readFileSync(join(dir, 'extensions.wasm')));
  });

  it('builds extensions.wasm and says what it built', () => {
    assert.equal(built.code, 0, built.err);
    assert.match(
      built.out,
      /^built .*extensions\.wasm \(release, [\d.]+ KiB\) in [\d.]+ s: CountSales, DailyTotals, PlaceOrder\n$/,
    );
  });

  it('the module validates and exports what the host needs and the three extensions', () => {
    assert.ok(WebAssembly.validate(wasm));
    const exports = WebAssembly.Module.exports(new WebAssembly.Module(wasm));
    const kinds = new Map(exports.map((e) => [e.name, e.kind]));
    assert.equal(kinds.get('memory'), 'memory');
    for (const name of [
      'malloc',
      'free',
      'WasmAbiVersion_0_0_1',
      'WasmOnReadValue',
      'WasmGC',
      'PlaceOrder',
      'CountSales',
      'DailyTotals',
    ]) {
      assert.equal(kinds.get(name), 'function', name);
    }
    const imports = WebAssembly.Module.imports(new WebAssembly.Module(wasm));
    for (const i of imports) {
      assert.ok(i.module === 'env' || i.module === 'wasi_snapshot_preview1', i.module);
      assert.ok(i.module !== 'env' || i.name.startsWith('host'), `env.${i.name}`);
    }
  });

  it("the SDK's own exports work under a minimal host", () => {
    let stdout = '';
    let memory: WebAssembly.Memory | undefined;
    const env = new Proxy(
      {},
      {
        get: (_, name) => () => {
          throw new Error(`the extensions are not called here: env.${String(name)}`);
        },
      },
    );
    const wasi = {
      fd_write(fd: number, iovs: number, count: number, written: number): number {
        const view = new DataView((memory as WebAssembly.Memory).buffer);
        let total = 0;
        for (let i = 0; i < count; i++) {
          const ptr = view.getUint32(iovs + 8 * i, true);
          const len = view.getUint32(iovs + 8 * i + 4, true);
          if (fd === 1) {
            stdout += new TextDecoder().decode(
              new Uint8Array((memory as WebAssembly.Memory).buffer, ptr, len),
            );
          }
          total += len;
        }
        view.setUint32(written, total, true);
        return 0;
      },
    };
    const instance = new WebAssembly.Instance(new WebAssembly.Module(wasm), {
      env,
      wasi_snapshot_preview1: wasi,
    });
    const x = instance.exports as Record<string, (...args: unknown[]) => unknown>;
    memory = instance.exports.memory as WebAssembly.Memory;
    x._start?.();
    x.WasmAbiVersion_0_0_1?.();

    const heapBefore = x.WasmGetHeapInuse?.() as bigint;
    const a = x.malloc?.(64000) as number;
    const b = x.malloc?.(1000) as number;
    assert.ok(a > 0 && b > 0);
    assert.ok(b >= a + 64000 || a >= b + 1000, `overlapping blocks at ${a} and ${b}`);
    assert.ok(a + 64000 <= memory.buffer.byteLength && b + 1000 <= memory.buffer.byteLength);
    assert.equal(x.WasmGetMallocs?.(), 2n);
    assert.ok((x.WasmGetHeapInuse?.() as bigint) >= heapBefore + 65000n);
    assert.ok((x.WasmGetHeapSys?.() as bigint) >= BigInt(memory.buffer.byteLength));
    x.WasmGC?.();
    // the host's blocks survive a collection: they are not the collector's
    assert.ok((x.WasmGetHeapInuse?.() as bigint) >= heapBefore + 65000n);
    x.free?.(b);
    assert.equal(x.WasmGetFrees?.(), 1n);
    assert.notEqual(x.malloc?.(16), a);

    // a row outside readValues is a guest panic: its text on stdout, then a trap
    assert.throws(() => x.WasmOnReadValue?.(1n, 2n), WebAssembly.RuntimeError);
    assert.equal(stdout, 'panic: WasmOnReadValue called outside readValues\n');
  });
});

describe('vpm build reports', () => {
  it('a WASM extension the VSQL declares and the module does not export, exit 1', async () => {
    const dir = tinyPackage('tiny', TINY_VSQL, 'export function Hello(): void {}\n');
    const r = await vpm('build', dir);
    assert.equal(r.code, 1, r.out);
    assert.match(
      r.err,
      /tiny\.vsql:6:5: QUERY Missing is declared with EXTENSION ENGINE WASM, but wasm\/index\.ts does not export it: add `export function Missing\(\): void`\n/,
    );
    assert.match(r.err, /vpm build: 1 WASM extension is missing\n$/);
    assert.equal(r.out, '');
    assert.equal(existsSync(join(dir, 'extensions.wasm')), false);
  });

  it('an AssemblyScript compile error with its position, exit 1', async () => {
    const dir = tinyPackage(
      'broken',
      TINY_VSQL.replace('tiny()', 'broken()'),
      [
        "import { result } from '@voedger-ts/extension-sdk';",
        'export function Hello(): void {}',
        "export function Missing(): void { result().putString('Text', 42); }",
        '',
      ].join('\n'),
    );
    const r = await vpm('build', dir);
    assert.equal(r.code, 1, r.out);
    assert.match(r.err, /wasm\/index\.ts:3:\d+: error TS\d+: /);
    assert.match(r.err, /\n {2}3 \| export function Missing\(\): void \{ result\(\)\.putString/);
    assert.match(r.err, /vpm build: .*wasm\/index\.ts does not compile \(1 error\)\n$/);
    assert.equal(existsSync(join(dir, 'extensions.wasm')), false);
  });

  it('bad arguments, exit 2', async () => {
    const r = await vpm('build', '--release');
    assert.equal(r.code, 2);
    assert.match(r.err, /unknown option --release/);
  });
});
