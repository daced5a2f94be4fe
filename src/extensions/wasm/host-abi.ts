// The reference's host ABI (core.md §6.3-6.5): the `env` functions a guest imports, over handle
// tables of key builders, keys, values and intents, and the exchange buffers through which
// strings and bytes reach the guest without the guest allocating.
//
// Handles are indexes into per-call tables that are emptied before every call, so a handle kept
// by the guest from an earlier call is refused rather than read. Strings from the host are
// written into buffers the host got from the guest's `malloc`: the first one at instantiation,
// more only when a call needs more room; every call starts writing at their beginning again.
import type { HostScalar, HostState, HostValue, KeyBuilder, RowWriter } from './host-state.js';
import { nestedValue } from './host-state.js';
import { type PackageNames, splitQName } from './package-names.js';

/** hostQueryValue's answer when there is no value. */
const NO_VALUE = -1n;

/** The guest exports the ABI calls back into. */
export interface GuestExports {
  readonly memory: WebAssembly.Memory;
  readonly malloc: (size: number) => number;
  readonly WasmOnReadValue?: (key: bigint, value: bigint) => void;
}

/** One buffer the host obtained from the guest's malloc. */
interface ExchangeBuffer {
  readonly ptr: number;
  readonly size: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Handles are small numbers; their BigInts are made once rather than on every call. */
const SMALL_HANDLES = Array.from({ length: 256 }, (_, i) => BigInt(i));
const handleOf = (i: number): bigint => SMALL_HANDLES[i] ?? BigInt(i);

/**
 * One table of handles. Emptying it resets a count rather than the array, which is cheaper on
 * every call; entries past the count are never read.
 */
class HandleTable<T> {
  private readonly items: T[] = [];
  count = 0;

  constructor(private readonly what: string) {}

  reset(): void {
    this.count = 0;
  }

  add(item: T): bigint {
    this.items[this.count] = item;
    return handleOf(this.count++);
  }

  /** Puts `item` at `index`, which must be at most the count. */
  setAt(index: number, item: T): void {
    this.items[index] = item;
    if (index === this.count) this.count++;
  }

  get(h: bigint): T {
    const i = Number(h);
    if (!(i >= 0 && i < this.count)) throw new Error(`incorrect ${this.what}: ${h}`);
    return this.items[i] as T;
  }
}

export class HostAbi {
  private state: HostState | undefined;
  private guest: GuestExports | undefined;
  private bytes = new Uint8Array(0);

  private readonly keyBuilders = new HandleTable<KeyBuilder>('key builder');
  private readonly keys = new HandleTable<HostValue>('key');
  private readonly values = new HandleTable<HostValue>('value');
  private readonly intents = new HandleTable<RowWriter>('intent');

  /** Short ASCII strings by where the guest sent them from (see `str`). */
  private readonly decoded = new Map<number, string>();

  /** Storage names already checked to be QNames. */
  private readonly storageNames = new Set<string>();

  private readonly buffers: ExchangeBuffer[] = [];
  private bufferIndex = 0;
  private bufferOffset = 0;

  constructor(
    private readonly names: PackageNames,
    private readonly firstBufferSize: number,
  ) {}

  /** Binds the instance's exports and allocates the first exchange buffer. */
  attach(guest: GuestExports): void {
    this.guest = guest;
    this.buffers.length = 0;
    this.buffers.push({ ptr: guest.malloc(this.firstBufferSize), size: this.firstBufferSize });
  }

  /** Readies the tables and buffers for one call against `state`. */
  begin(state: HostState): void {
    this.state = state;
    this.keyBuilders.reset();
    this.keys.reset();
    this.values.reset();
    this.intents.reset();
    this.bufferIndex = 0;
    this.bufferOffset = 0;
  }

  end(): void {
    this.state = undefined;
  }

  // Guest memory ------------------------------------------------------------------------------

  private mem(): Uint8Array {
    // A view of a memory that has grown since is detached and reads as empty.
    if (this.bytes.byteLength === 0) this.bytes = new Uint8Array(this.exports().memory.buffer);
    return this.bytes;
  }

  private exports(): GuestExports {
    if (this.guest === undefined) throw new Error('the WASM instance is not attached');
    return this.guest;
  }

  private str(ptr: number, len: number): string {
    const m = this.mem();
    if (ptr + len > m.length) throw new Error('the guest passed a string outside its memory');
    if (len > 64) return utf8.decode(m.subarray(ptr, ptr + len));
    // Names are short, ASCII, and sent from the same place call after call (a guest's static
    // data, or the SDK's scratch buffer): the string decoded last time from this place is reused
    // when the bytes still match, which costs a comparison and no allocation.
    const slot = ptr * 128 + len;
    const known = this.decoded.get(slot);
    if (known !== undefined) {
      let same = true;
      for (let i = 0; i < len; i++) {
        if (m[ptr + i] !== known.charCodeAt(i)) {
          same = false;
          break;
        }
      }
      if (same) return known;
    }
    let s = '';
    for (let i = ptr; i < ptr + len; i++) {
      const c = m[i] as number;
      if (c >= 0x80) return utf8.decode(m.subarray(ptr, ptr + len));
      s += String.fromCharCode(c);
    }
    if (this.decoded.size >= 4096) this.decoded.clear();
    this.decoded.set(slot, s);
    return s;
  }

  private copy(ptr: number, len: number): Uint8Array {
    const m = this.mem();
    if (ptr + len > m.length) throw new Error('the guest passed bytes outside its memory');
    return m.slice(ptr, ptr + len);
  }

  /** Room for `size` bytes in the exchange buffers, mallocing another buffer when they are full. */
  private reserve(size: number): number {
    for (;;) {
      const buffer = this.buffers[this.bufferIndex];
      if (buffer === undefined) {
        const chunk = Math.max(1000, size);
        const ptr = this.exports().malloc(chunk);
        if (ptr === 0) throw new Error('runtime error: out of memory');
        this.buffers.push({ ptr, size: chunk });
        this.bytes = new Uint8Array(0);
        continue;
      }
      if (this.bufferOffset + size <= buffer.size) {
        const at = buffer.ptr + this.bufferOffset;
        this.bufferOffset += size;
        return at;
      }
      this.bufferIndex++;
      this.bufferOffset = 0;
    }
  }

  private sendBytes(data: Uint8Array): bigint {
    const at = this.reserve(data.length);
    this.mem().set(data, at);
    return (BigInt(at) << 32n) | BigInt(data.length);
  }

  private sendString(s: string): bigint {
    let ascii = true;
    for (let i = 0; i < s.length; i++) {
      if (s.charCodeAt(i) >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (!ascii) return this.sendBytes(new TextEncoder().encode(s));
    const at = this.reserve(s.length);
    const m = this.mem();
    for (let i = 0; i < s.length; i++) m[at + i] = s.charCodeAt(i);
    return (BigInt(at) << 32n) | BigInt(s.length);
  }

  // Handles -----------------------------------------------------------------------------------

  private writer(h: bigint, kind: number): RowWriter {
    return kind === 0 ? this.keyBuilders.get(h) : this.intents.get(h);
  }

  private current(): HostState {
    if (this.state === undefined) throw new Error('no extension call is in progress');
    return this.state;
  }

  // Conversions -------------------------------------------------------------------------------

  private qnameParts(raw: unknown, what: Where): [string, string] {
    if (raw === undefined || raw === null || raw === '') return ['', ''];
    if (typeof raw !== 'string') throw typeError(what, raw, 'QName');
    const [pkg, entity] = splitQName(raw);
    return [this.names.path(pkg), entity];
  }

  private asValue(raw: unknown, where: Where): bigint {
    const nested = nestedValue(raw);
    if (nested === undefined) throw new Error(`${describeWhere(where)} is not an object or array`);
    return this.values.add(nested);
  }

  // The import object -------------------------------------------------------------------------

  /** The `env` functions, as the guest imports them. */
  imports(): Record<string, (...args: never[]) => unknown> {
    const self = this;
    const field = (v: HostValue, p: number, l: number): [unknown, Where] => {
      const name = self.str(p, l);
      return [v.field(name), name];
    };
    const item = (v: HostValue, i: number): [unknown, Where] => [v.at(i), i];
    // The typed getters, shared by keys, values and array elements.
    const getters = (
      prefix: string,
      get: (h: bigint, a: number, b: number) => [unknown, Where],
    ) => ({
      [`${prefix}String`]: (h: bigint, a: number, b: number) => {
        const [raw, what] = get(h, a, b);
        return self.sendString(asString(raw, what));
      },
      [`${prefix}Bytes`]: (h: bigint, a: number, b: number) => {
        const [raw, what] = get(h, a, b);
        return self.sendBytes(asBytes(raw, what));
      },
      [`${prefix}QNamePkg`]: (h: bigint, a: number, b: number) => {
        const [raw, what] = get(h, a, b);
        return self.sendString(self.qnameParts(raw, what)[0]);
      },
      [`${prefix}QNameEntity`]: (h: bigint, a: number, b: number) => {
        const [raw, what] = get(h, a, b);
        return self.sendString(self.qnameParts(raw, what)[1]);
      },
      [`${prefix}Int32`]: (h: bigint, a: number, b: number) => asInt32(...get(h, a, b)),
      [`${prefix}Int64`]: (h: bigint, a: number, b: number) => asInt64(...get(h, a, b)),
      [`${prefix}Float32`]: (h: bigint, a: number, b: number) => asFloat(...get(h, a, b)),
      [`${prefix}Float64`]: (h: bigint, a: number, b: number) => asFloat(...get(h, a, b)),
      [`${prefix}Bool`]: (h: bigint, a: number, b: number) => (asBool(...get(h, a, b)) ? 1n : 0n),
    });
    const put = (h: bigint, kind: number, p: number, l: number, value: HostScalar): void => {
      self.writer(h, kind).put(self.str(p, l), value);
    };
    return {
      hostGetKey(sp: number, sl: number, ep: number, el: number): bigint {
        const storage = self.str(sp, sl);
        if (!self.storageNames.has(storage)) {
          splitQName(storage);
          self.storageNames.add(storage);
        }
        const entity = el === 0 ? '' : self.names.localQName(self.str(ep, el));
        return self.keyBuilders.add(self.current().keyBuilder(storage, entity));
      },
      hostGetValue(kb: bigint): bigint {
        const k = self.keyBuilders.get(kb);
        const v = self.current().get(k);
        if (v === undefined) throw new Error(`not exists: ${describe(k)}`);
        return self.values.add(v);
      },
      hostQueryValue(kb: bigint): bigint {
        const v = self.current().get(self.keyBuilders.get(kb));
        return v === undefined ? NO_VALUE : self.values.add(v);
      },
      hostReadValues(kb: bigint): void {
        const k = self.keyBuilders.get(kb);
        const onRead = self.exports().WasmOnReadValue;
        if (onRead === undefined) throw new Error('missing exported function: WasmOnReadValue');
        // One key slot and one value slot, overwritten for each row and emptied at the end:
        // handles the guest gets in the callback are good only during that callback.
        const keySlot = self.keys.count;
        const valueSlot = self.values.count;
        const kh = handleOf(keySlot);
        const vh = handleOf(valueSlot);
        self.keys.setAt(keySlot, EMPTIED);
        self.values.setAt(valueSlot, EMPTIED);
        try {
          self.current().read(k, (key, value) => {
            self.keys.setAt(keySlot, key);
            self.values.setAt(valueSlot, value);
            onRead(kh, vh);
          });
        } finally {
          self.keys.setAt(keySlot, EMPTIED);
          self.values.setAt(valueSlot, EMPTIED);
        }
      },
      hostNewValue(kb: bigint): bigint {
        return self.intents.add(self.current().newValue(self.keyBuilders.get(kb)));
      },
      hostUpdateValue(kb: bigint, existing: bigint): bigint {
        const k = self.keyBuilders.get(kb);
        return self.intents.add(self.current().updateValue(k, self.values.get(existing)));
      },
      hostRowWriterPutString(
        h: bigint,
        kind: number,
        p: number,
        l: number,
        vp: number,
        vl: number,
      ) {
        put(h, kind, p, l, self.str(vp, vl));
      },
      hostRowWriterPutBytes(h: bigint, kind: number, p: number, l: number, vp: number, vl: number) {
        put(h, kind, p, l, self.copy(vp, vl));
      },
      hostRowWriterPutInt32: (h: bigint, kind: number, p: number, l: number, v: number) =>
        put(h, kind, p, l, v),
      hostRowWriterPutInt64: (h: bigint, kind: number, p: number, l: number, v: bigint) =>
        put(h, kind, p, l, Number.isSafeInteger(Number(v)) ? Number(v) : v),
      hostRowWriterPutFloat32: (h: bigint, kind: number, p: number, l: number, v: number) =>
        put(h, kind, p, l, v),
      hostRowWriterPutFloat64: (h: bigint, kind: number, p: number, l: number, v: number) =>
        put(h, kind, p, l, v),
      hostRowWriterPutBool: (h: bigint, kind: number, p: number, l: number, v: number) =>
        put(h, kind, p, l, v !== 0),
      hostRowWriterPutQName(
        h: bigint,
        kind: number,
        p: number,
        l: number,
        pkgPtr: number,
        pkgLen: number,
        entPtr: number,
        entLen: number,
      ) {
        const pkg = self.names.local(self.str(pkgPtr, pkgLen));
        put(h, kind, p, l, `${pkg}.${self.str(entPtr, entLen)}`);
      },
      ...getters('hostKeyAs', (h, p, l) => field(self.keys.get(h), p, l)),
      ...getters('hostValueAs', (h, p, l) => field(self.values.get(h), p, l)),
      ...getters('hostValueGetAs', (h, i) => item(self.values.get(h), i)),
      hostValueAsValue(h: bigint, p: number, l: number): bigint {
        return self.asValue(...field(self.values.get(h), p, l));
      },
      hostValueGetAsValue(h: bigint, i: number): bigint {
        return self.asValue(...item(self.values.get(h), i));
      },
      hostValueLength: (h: bigint): number => self.values.get(h).length,
    };
  }
}

/** What a read's key and value slots hold outside its callbacks. */
const EMPTIED: HostValue = {
  field() {
    throw new Error('incorrect value: the row of a read outside its callback');
  },
  get length(): number {
    throw new Error('incorrect value: the row of a read outside its callback');
  },
  at() {
    throw new Error('incorrect value: the row of a read outside its callback');
  },
};

function describe(kb: KeyBuilder): string {
  return kb.entity === '' ? kb.storage : `${kb.storage}(${kb.entity})`;
}

/** What a getter read: a field by name, or an array element by index. */
type Where = string | number;

function describeWhere(where: Where): string {
  return typeof where === 'number' ? `element ${where}` : `field «${where}»`;
}

function typeError(where: Where, raw: unknown, wanted: string): Error {
  const got = raw instanceof Uint8Array ? 'bytes' : typeof raw;
  return new Error(`${describeWhere(where)} holds ${got}, not ${wanted}`);
}

function asString(raw: unknown, what: Where): string {
  if (typeof raw === 'string') return raw;
  if (raw === undefined || raw === null) return '';
  if (raw instanceof Uint8Array) return utf8.decode(raw);
  throw typeError(what, raw, 'a string');
}

function asBytes(raw: unknown, what: Where): Uint8Array {
  if (raw instanceof Uint8Array) return raw;
  if (raw === undefined || raw === null) return new Uint8Array(0);
  if (typeof raw === 'string') return new TextEncoder().encode(raw);
  throw typeError(what, raw, 'bytes');
}

function asInt32(raw: unknown, what: Where): number {
  if (typeof raw === 'number') return raw | 0;
  if (typeof raw === 'bigint') return Number(BigInt.asIntN(32, raw));
  if (typeof raw === 'boolean') return raw ? 1 : 0;
  if (raw === undefined || raw === null) return 0;
  throw typeError(what, raw, 'a number');
}

function asInt64(raw: unknown, what: Where): bigint {
  if (typeof raw === 'number') return BigInt(Math.trunc(raw));
  if (typeof raw === 'bigint') return raw;
  if (typeof raw === 'boolean') return raw ? 1n : 0n;
  if (raw === undefined || raw === null) return 0n;
  throw typeError(what, raw, 'a number');
}

function asFloat(raw: unknown, what: Where): number {
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'bigint') return Number(raw);
  if (raw === undefined || raw === null) return 0;
  throw typeError(what, raw, 'a number');
}

function asBool(raw: unknown, what: Where): boolean {
  if (typeof raw === 'boolean') return raw;
  if (typeof raw === 'number') return raw !== 0;
  if (raw === undefined || raw === null) return false;
  throw typeError(what, raw, 'a boolean');
}
