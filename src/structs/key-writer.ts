/**
 * Builds storage keys. Integers are big-endian so that byte order is numeric order; a key is built
 * into one growing buffer and copied out once, which keeps key building off the allocation profile.
 */
export class KeyWriter {
  private buf: Uint8Array;
  private view: DataView;
  private len = 0;

  constructor(capacity = 64) {
    this.buf = new Uint8Array(capacity);
    this.view = new DataView(this.buf.buffer);
  }

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): this {
    this.ensure(1);
    this.buf[this.len++] = v & 0xff;
    return this;
  }

  u16(v: number): this {
    this.ensure(2);
    this.view.setUint16(this.len, v);
    this.len += 2;
    return this;
  }

  i16(v: number): this {
    this.ensure(2);
    this.view.setInt16(this.len, v);
    this.len += 2;
    return this;
  }

  i32(v: number): this {
    this.ensure(4);
    this.view.setInt32(this.len, v);
    this.len += 4;
    return this;
  }

  /** An unsigned 64-bit integer from a safe JS integer (IDs, offsets, WSIDs all fit in 53 bits). */
  u64(v: number): this {
    this.ensure(8);
    this.view.setUint32(this.len, Math.floor(v / 0x1_0000_0000));
    this.view.setUint32(this.len + 4, v >>> 0);
    this.len += 8;
    return this;
  }

  /** A signed 64-bit integer in two's complement, as the reference writes int64 key fields. */
  i64(v: number): this {
    this.ensure(8);
    this.view.setBigInt64(this.len, BigInt(v));
    this.len += 8;
    return this;
  }

  f32(v: number): this {
    this.ensure(4);
    this.view.setFloat32(this.len, v);
    this.len += 4;
    return this;
  }

  f64(v: number): this {
    this.ensure(8);
    this.view.setFloat64(this.len, v);
    this.len += 8;
    return this;
  }

  bytes(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }

  utf8(s: string): this {
    // Worst case three bytes per UTF-16 unit.
    this.ensure(s.length * 3);
    this.len += textEncoder.encodeInto(s, this.buf.subarray(this.len)).written;
    return this;
  }

  /** The key built so far, as a new array; the writer can go on or be reset. */
  take(): Uint8Array {
    return this.buf.slice(0, this.len);
  }

  reset(): this {
    this.len = 0;
    return this;
  }
}

const textEncoder = new TextEncoder();

/** Reads a big-endian u64 written by {@link KeyWriter.u64}. */
export function readU64(b: Uint8Array, at: number): number {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return v.getUint32(at) * 0x1_0000_0000 + v.getUint32(at + 4);
}

export function readU16(b: Uint8Array, at: number): number {
  return (b[at]! << 8) | b[at + 1]!;
}
