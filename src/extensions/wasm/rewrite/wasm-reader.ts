// Reading the WebAssembly binary format: bytes, LEB128 integers and names, with every overrun or
// over-long encoding reported as a WasmRewriteError that gives the byte offset.
import { WasmRewriteError } from './rewrite-error.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A cursor over `bytes[start, end)`; `pos` is an absolute offset into `bytes`. */
export class WasmReader {
  pos: number;

  constructor(
    readonly bytes: Uint8Array,
    start = 0,
    readonly end = bytes.length,
  ) {
    this.pos = start;
  }

  get atEnd(): boolean {
    return this.pos >= this.end;
  }

  /** A WasmRewriteError for malformed input at the current position. */
  malformed(what: string): WasmRewriteError {
    return new WasmRewriteError(`malformed WebAssembly module at byte ${this.pos}: ${what}`);
  }

  u8(): number {
    if (this.pos >= this.end) throw this.malformed('unexpected end');
    // biome-ignore lint/style/noNonNullAssertion: pos < end <= bytes.length
    return this.bytes[this.pos++]!;
  }

  /** The next byte without consuming it. */
  peek(): number {
    if (this.pos >= this.end) throw this.malformed('unexpected end');
    // biome-ignore lint/style/noNonNullAssertion: pos < end <= bytes.length
    return this.bytes[this.pos]!;
  }

  /** An unsigned LEB128 of at most 32 bits (5 bytes). */
  u32(): number {
    let result = 0;
    let factor = 1;
    for (let i = 0; i < 5; i++) {
      const byte = this.u8();
      if (i === 4 && byte > 0x0f) throw this.malformed('integer too large for 32 bits');
      result += (byte & 0x7f) * factor;
      if ((byte & 0x80) === 0) return result;
      factor *= 128;
    }
    throw this.malformed('unterminated integer');
  }

  /**
   * A signed LEB128 of at most 33 bits, as block types are encoded: negative values stand for
   * value types (one byte each), non-negative ones are type indexes.
   */
  s33(): number {
    let result = 0;
    let factor = 1;
    for (let i = 0; i < 5; i++) {
      const byte = this.u8();
      result += (byte & 0x7f) * factor;
      factor *= 128;
      if ((byte & 0x80) === 0) {
        const top = byte & 0x70;
        if (i === 4 && top !== 0 && top !== 0x70) throw this.malformed('integer too large');
        return (byte & 0x40) === 0 ? result : result - factor;
      }
    }
    throw this.malformed('unterminated integer');
  }

  /** Skips a LEB128 integer of at most `maxBytes` bytes (5 for 32 bits, 10 for 64). */
  skipLeb(maxBytes: number): void {
    for (let i = 0; i < maxBytes; i++) {
      if ((this.u8() & 0x80) === 0) return;
    }
    throw this.malformed('integer too long');
  }

  skip(count: number): void {
    if (count > this.end - this.pos) throw this.malformed('unexpected end');
    this.pos += count;
  }

  /** The next `count` bytes, as a view of the input. */
  take(count: number): Uint8Array {
    const start = this.pos;
    this.skip(count);
    return this.bytes.subarray(start, this.pos);
  }

  /** A name: a length-prefixed UTF-8 string. */
  name(): string {
    const length = this.u32();
    const at = this.pos;
    const raw = this.take(length);
    try {
      return utf8.decode(raw);
    } catch {
      this.pos = at;
      throw this.malformed('a name is not valid UTF-8');
    }
  }

  /** Skips a name without decoding it. */
  skipName(): void {
    this.skip(this.u32());
  }
}
