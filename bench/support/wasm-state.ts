// A fixed in-memory state for the WASM call benchmarks: the reference's benchmark host answers the
// same way (a fixed event value, intents recorded), so the figures measure the ABI and not a
// storage. The built-in baseline runs the same operations on the same state without WASM.
import type {
  HostScalar,
  HostState,
  HostValue,
  KeyBuilder,
  RowWriter,
} from '../../src/extensions/wasm/index.js';
import { FieldRow, PlainValue } from '../../src/extensions/wasm/index.js';

const EVENT = new PlainValue({ offs: 12345, qname: 'sys.InvitationAccepted' });
const TEST = new PlainValue({ '500c': '0123456789'.repeat(50) });

export class BenchState implements HostState {
  intents = 0;

  keyBuilder(storage: string, entity: string): KeyBuilder {
    return new FieldRow(storage, entity);
  }

  get(kb: KeyBuilder): HostValue | undefined {
    if (kb.storage === 'sys.Event' || kb.storage === 'sys.View') return EVENT;
    if (kb.storage === 'sys.Test') return TEST;
    return undefined;
  }

  read(): void {}

  newValue(kb: KeyBuilder): RowWriter {
    this.intents++;
    return new FieldRow(kb.storage, kb.entity);
  }

  updateValue(kb: KeyBuilder): RowWriter {
    this.intents++;
    return new FieldRow(kb.storage, kb.entity);
  }
}

/** The built-in equivalents of the benchmark module's functions, on the same state. */
export const builtinEquivalents: Record<string, (s: BenchState) => void> = {
  doNothing: () => {},
  oneKey1call: (s) => {
    s.keyBuilder('sys.Test2', '');
  },
  oneGetNoIntents2calls: (s) => {
    s.get(s.keyBuilder('sys.Event', ''));
  },
  oneGetOneIntent5calls: (s) => {
    s.get(s.keyBuilder('sys.Event', ''));
    s.newValue(s.keyBuilder('sys.SendMail', '')).put('from', 'test@gmail.com');
  },
};
