// The state the reference's wazero tests give their TinyGo modules (reference-tests.md §3.2), as a
// HostState: fixed values per storage, recorded intents, and a storage that fails every call.
// The modules check what they read themselves (they panic on a mismatch), so the same fixed data
// is what makes the corpus runnable here.
import { existsSync, readFileSync } from 'node:fs';
import type {
  HostScalar,
  HostState,
  HostValue,
  KeyBuilder,
  RowWriter,
} from '../../src/extensions/wasm/index.js';
import { FieldRow, PackageNames, PlainValue } from '../../src/extensions/wasm/index.js';

export const CORPUS_WASM = new URL('../../../shared/corpus/wasm/', import.meta.url).pathname;
export const CORPUS_ABSENT = existsSync(CORPUS_WASM)
  ? false
  : `the reference corpus is absent (${CORPUS_WASM}); the WASM compatibility suite is skipped`;

/** A module of the corpus, by its path under `pkg/iextengine/wazero/_testdata/`. */
export function corpusModule(path: string): Uint8Array {
  return readFileSync(`${CORPUS_WASM}pkg/iextengine/wazero/_testdata/${path}`);
}

export const TEST_PACKAGES = new PackageNames([
  { localName: 'testpkg1', path: 'github.com/voedger/testpkg1' },
]);

/** A value read by index only, as sys.Test3's. */
class IndexedValue implements HostValue {
  constructor(private readonly items: readonly unknown[]) {}
  field(): unknown {
    return undefined;
  }
  get length(): number {
    return this.items.length;
  }
  at(i: number): unknown {
    return this.items[i];
  }
}

export interface RecordedIntent {
  readonly storage: string;
  readonly entity: string;
  readonly key: Record<string, HostScalar>;
  readonly value: Record<string, HostScalar>;
}

const IO_ERROR = 'test i/o error';

export class ReferenceHost implements HostState {
  readonly intents: RecordedIntent[] = [];

  constructor(private readonly bufferSize: number) {}

  keyBuilder(storage: string, entity: string): KeyBuilder {
    return new FieldRow(storage, entity);
  }

  get(kb: KeyBuilder): HostValue | undefined {
    switch (kb.storage) {
      case 'sys.IoErrorStorage':
        throw new Error(IO_ERROR);
      case 'sys.Event':
        return new PlainValue({
          qname: 'sys.InvitationAccepted',
          arg: { UserEmail: 'email@user.com' },
          offs: 12345,
        });
      case 'sys.Test':
        return new PlainValue({
          '500c': '0123456789'.repeat(50),
          bytes: new Uint8Array(this.bufferSize * 2),
        });
      case 'sys.Test3':
        return new IndexedValue([123, 'test string', new Uint8Array(1024), 'testpkg1.test']);
      case 'sys.TestQName': {
        const q = String(kb.fields.qname ?? '');
        if (!q.startsWith('testpkg1.')) throw new Error(`unexpected package: ${q}`);
        return new PlainValue({});
      }
      case 'sys.SendMail':
        return new PlainValue({});
      case 'sys.Record':
        return undefined;
      default:
        throw new Error(`unsupported storage: ${kb.storage}`);
    }
  }

  read(kb: KeyBuilder, each: (key: HostValue, value: HostValue) => void): void {
    if (kb.storage === 'sys.IoErrorStorage') throw new Error(IO_ERROR);
    if (kb.storage !== 'sys.Test') return;
    for (let i = 1; i <= 3; i++) {
      each(
        new PlainValue({
          i32: i,
          i64: 10 + i,
          f32: Math.fround(i + 0.1),
          f64: i + 0.01,
          str: `key${i}`,
          bytes: new Uint8Array([i, 2, 3]),
          qname: `testpkg1.e${i}`,
          bool: true,
        }),
        new PlainValue({
          i32: 100 + i,
          i64: 1000 + i,
          f32: Math.fround(i + 0.001),
          f64: i + 0.0001,
          str: `value${i}`,
          bytes: new Uint8Array([3, 2, 1]),
          qname: `testpkg1.ee${i}`,
          bool: false,
        }),
      );
    }
  }

  private record(kb: KeyBuilder, value: Record<string, HostScalar>): RowWriter {
    if (kb.storage === 'sys.IoErrorStorage') throw new Error(IO_ERROR);
    this.intents.push({ storage: kb.storage, entity: kb.entity, key: kb.fields, value });
    return {
      put(name, v) {
        value[name] = v;
      },
    };
  }

  newValue(kb: KeyBuilder): RowWriter {
    return this.record(kb, {});
  }

  updateValue(kb: KeyBuilder, existing: HostValue): RowWriter {
    const copy: Record<string, HostScalar> = {};
    for (const name of ['qname', 'offs']) {
      const v = existing.field(name);
      if (v !== undefined) copy[name] = v as HostScalar;
    }
    return this.record(kb, copy);
  }
}
