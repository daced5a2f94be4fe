// The reference's TinyGo test modules on our WASM host, with the reference's expectations
// (reference-tests.md §3.3): panics and host errors with their texts, reads and intents, the
// no-allocation path, the memory cap, out-of-memory recovery, and a guest stopped by its deadline.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { WasmCallError, WasmModule } from '../../src/extensions/wasm/index.js';
import { CORPUS_ABSENT, corpusModule, ReferenceHost, TEST_PACKAGES } from './reference-host.js';

const MB = 1_000_000;

async function load(path: string, options: Parameters<typeof WasmModule.load>[2] = {}) {
  return WasmModule.load(corpusModule(path), TEST_PACKAGES, options);
}

function failure(fn: () => void): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof WasmCallError, `not a WasmCallError: ${String(error)}`);
    return error.message;
  }
  assert.fail('the call did not fail');
}

describe('panics module (Test_HandlePanics, Test_Panics, Test_ResetStdout)', {
  skip: CORPUS_ABSENT,
}, () => {
  const expected: Record<string, string> = {
    incorrectStorageQname: 'convert error: string «foo»',
    incorrectEntityQname: 'convert error: string «abc»',
    unsupportedStorage: 'unsupported storage',
    incorrectKeyBuilder: 'incorrect key builder',
    canExistIncorrectKey: 'incorrect key builder',
    mustExistIncorrectKey: 'incorrect key builder',
    readIncorrectKeyBuilder: 'incorrect key builder',
    incorrectKeyBuilderOnNewValue: 'incorrect key builder',
    incorrectKeyBuilderOnUpdateValue: 'incorrect key builder',
    incorrectKey: 'incorrect key',
    incorrectValue: 'incorrect value',
    incorrectValue2: 'incorrect value',
    incorrectValue3: 'incorrect value',
    incorrectValueOnUpdateValue: 'incorrect value',
    readPanic: 'incorrect value',
    mustExist: 'not exists',
    incorrectIntentId: 'incorrect intent',
    readError: 'test i/o error',
    getError: 'test i/o error',
    queryError: 'test i/o error',
    newValueError: 'test i/o error',
    updateValueError: 'test i/o error',
    asStringMemoryOverflow: 'runtime error: out of memory',
    undefinedPackage: 'undefined package: github.com/company/pkg',
  };

  test('each function fails with the reference host error', async () => {
    const m = await load('panics/pkg.wasm', { memoryLimitPages: 0x20, bufferSize: MB });
    for (const [fn, text] of Object.entries(expected)) {
      const message = failure(() => m.call(fn, new ReferenceHost(MB)));
      assert.ok(message.includes(text), `${fn}: «${message}» lacks «${text}»`);
    }
    // The module still serves after all of them.
    m.call('TestSignExtensionsFuncs', new ReferenceHost(MB));
  });

  test('a guest panic gives its text, the same on every call', async () => {
    const m = await load('panics/pkg.wasm', { memoryLimitPages: 0x20, bufferSize: MB });
    const first = failure(() => m.call('TestPanic', new ReferenceHost(MB)));
    const second = failure(() => m.call('TestPanic', new ReferenceHost(MB)));
    assert.equal(first, 'panic: goodbye, world');
    assert.equal(second, first);
    assert.deepEqual(
      { invocations: m.stats.invocations, errors: m.stats.errors, recovers: m.stats.recovers },
      { invocations: 2, errors: 2, recovers: 0 },
    );
  });

  test('sign-extension opcodes and the wall clock work (TestSignExtensionsFuncs)', async () => {
    const m = await load('panics/pkg.wasm');
    m.call('TestSignExtensionsFuncs', new ReferenceHost(64_000));
  });

  test('an export that is not there, and reserved names', async () => {
    const m = await load('panics/pkg.wasm');
    assert.match(
      failure(() => m.call('noSuchFunction', new ReferenceHost(64_000))),
      /invalid extension name: noSuchFunction/,
    );
    assert.match(
      failure(() => m.call('malloc', new ReferenceHost(64_000))),
      /invalid extension name/,
    );
    assert.match(
      failure(() => m.call('WasmGC', new ReferenceHost(64_000))),
      /invalid extension name/,
    );
  });
});

describe('tests module (Test_Read, Test_QueryValue, Test_AsBytes, Test_KeyPutQName, Test_NoAllocs)', {
  skip: CORPUS_ABSENT,
}, () => {
  test('reads keys and values of every kind (the module checks them itself)', async () => {
    const m = await load('tests/wasm/pkg.wasm', { bufferSize: MB });
    m.call('testRead', new ReferenceHost(MB));
    m.call('testQueryValue', new ReferenceHost(MB));
    m.call('keyPutQName', new ReferenceHost(MB));
  });

  test('a QName put into a key reaches the host with the local package name', async () => {
    const m = await load('tests/wasm/pkg.wasm');
    const host = new ReferenceHost(64_000);
    host.get = function (kb) {
      assert.equal(kb.fields.qname, 'testpkg1.test');
      return ReferenceHost.prototype.get.call(this, kb);
    };
    m.call('keyPutQName', host);
  });

  test('testNoAllocs: no guest allocation, and the two intents the reference host sees', async () => {
    const m = await load('tests/wasm/pkg.wasm', { bufferSize: MB });
    const before = m.heapStats();
    assert.ok(before !== undefined);
    assert.equal(before.mallocs, 1n);
    const host = new ReferenceHost(MB);
    m.call('testNoAllocs', host);
    assert.deepEqual(m.heapStats(), before);
    assert.equal(host.intents.length, 2);
    const [mail, update] = host.intents;
    assert.equal(mail?.storage, 'sys.SendMail');
    assert.deepEqual(
      { ...mail?.value, key: [...((mail?.value.key as Uint8Array | undefined) ?? [])] },
      { from: 'test@gmail.com', port: 668, key: [0, 0, 0, 0, 0], qname: 'testpkg1.test' },
    );
    assert.equal(update?.storage, 'sys.Event');
    assert.deepEqual(update?.value, { qname: 'sys.InvitationAccepted', offs: 12346 });
  });

  test('asBytes: 2,000,000 bytes reach the guest through one more buffer', async () => {
    const m = await load('tests/wasm/pkg.wasm', { bufferSize: MB });
    m.call('asBytes', new ReferenceHost(MB));
    const stats = m.heapStats();
    assert.equal(stats?.mallocs, 2n);
    assert.equal(stats?.inUse, stats?.sys);
  });

  test('asBytes under a 2 MiB cap runs out of memory', async () => {
    const m = await load('tests/wasm/pkg.wasm', {
      bufferSize: MB,
      memoryLimitPages: 0x20,
      autoRecover: false,
    });
    assert.equal(
      failure(() => m.call('asBytes', new ReferenceHost(MB))),
      'panic: runtime error: out of memory',
    );
  });
});

describe('allocs module (Test_NoGc_MemoryOverflow, Test_RecoverEngine, Test_SetLimitsExecutionInterval)', {
  skip: CORPUS_ABSENT,
}, () => {
  test("the GC build's heap counters move as the reference's (Test_Allocs_ManualGC)", async () => {
    const m = await load('allocs/pkggc.wasm', { bufferSize: MB });
    const counters = () => {
      const s = m.heapStats();
      assert.ok(s !== undefined);
      assert.equal(s.sys, 1_999_568n);
      return [s.mallocs, s.frees, s.inUse - BigInt(MB)];
    };
    const host = new ReferenceHost(MB);
    const seen = [counters()];
    for (const fn of ['arrAppend', 'arrAppend', 'arrAppend', 'arrReset']) {
      m.call(fn, host);
      seen.push(counters());
    }
    m.gc();
    seen.push(counters());
    assert.deepEqual(seen, [
      [1n, 0n, 0n],
      [3n, 0n, 32n],
      [5n, 0n, 64n],
      [7n, 0n, 96n],
      [7n, 0n, 96n],
      [7n, 6n, 0n],
    ]);
  });

  test('a memory limit below 1.7 times the buffer is refused at load', async () => {
    await assert.rejects(load('allocs/pkg.wasm', { memoryLimitPages: 0x10, bufferSize: MB }), {
      message: 'the minimum limit of memory is: 1700000.0 bytes, requested limit is: 1048576.0',
    });
  });

  test('a leaking guest hits the cap: out of memory without recovery', async () => {
    const m = await load('allocs/pkg.wasm', {
      memoryLimitPages: 0x20,
      bufferSize: MB,
      autoRecover: false,
    });
    const start = m.heapStats();
    assert.equal(start?.mallocs, 1n);
    assert.equal(start?.frees, 0n);
    let message = '';
    for (let i = 0; i < 100_000 && message === ''; i++) {
      try {
        m.call(i % 2 === 0 ? 'arrAppend' : 'arrReset', new ReferenceHost(MB));
      } catch (error) {
        message = (error as Error).message;
      }
    }
    assert.equal(message, 'panic: runtime error: out of memory');
  });

  test('with recovery the guest is re-instantiated and the call succeeds (Test_RecoverEngine2)', async () => {
    const recovered: string[] = [];
    const m = await load('allocs/pkg.wasm', {
      memoryLimitPages: 0x20,
      bufferSize: MB,
      onRecover: (message) => recovered.push(message),
    });
    const heapAfter: bigint[] = [];
    const recoversAfter: number[] = [];
    for (let call = 1; call <= 7; call++) {
      m.call('arrAppend2', new ReferenceHost(MB));
      heapAfter.push(m.heapStats()?.inUse ?? -1n);
      recoversAfter.push(m.stats.recovers);
    }
    // Calls 1-3 fit; call 4 runs out, the instance is replaced and the call runs again; so does 7.
    assert.deepEqual(recoversAfter, [0, 0, 0, 1, 1, 1, 2]);
    assert.equal(heapAfter[3], heapAfter[0], 'a recovered instance holds what one call leaves');
    assert.equal(heapAfter[6], heapAfter[0]);
    assert.deepEqual(recovered, [
      'panic: runtime error: out of memory',
      'panic: runtime error: out of memory',
    ]);
    // The reference counts the call that was run again as a second invocation.
    assert.deepEqual(
      { invocations: m.stats.invocations, errors: m.stats.errors },
      { invocations: 9, errors: 0 },
    );
  });

  test('a guest running past its deadline is stopped, and the module serves the next call', async () => {
    const m = await load('allocs/pkg.wasm', { timeoutMs: 50 });
    assert.match(
      failure(() => m.call('longFunc', new ReferenceHost(64_000))),
      /ran longer than 50 ms/,
    );
    m.call('simple', new ReferenceHost(64_000));
  });
});
