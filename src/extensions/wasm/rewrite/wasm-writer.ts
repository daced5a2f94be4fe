// Writing the WebAssembly binary format, and splicing edits into existing bytes so that whatever
// the rewrite does not change is copied as it was.

/** The unsigned LEB128 encoding of a 32-bit value. */
export function encodeU32(value: number): Uint8Array {
  const out: number[] = [];
  let rest = value >>> 0;
  do {
    const low = rest & 0x7f;
    rest >>>= 7;
    out.push(rest === 0 ? low : low | 0x80);
  } while (rest !== 0);
  return Uint8Array.from(out);
}

/** A growable byte buffer. */
export class ByteWriter {
  private buffer = new Uint8Array(1024);
  private length = 0;

  private reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
  }

  byte(value: number): this {
    this.reserve(1);
    this.buffer[this.length++] = value;
    return this;
  }

  bytes(values: Uint8Array | readonly number[]): this {
    this.reserve(values.length);
    this.buffer.set(values, this.length);
    this.length += values.length;
    return this;
  }

  u32(value: number): this {
    return this.bytes(encodeU32(value));
  }

  /** A name: its UTF-8 length, then its bytes. */
  name(value: string): this {
    const raw = new TextEncoder().encode(value);
    return this.u32(raw.length).bytes(raw);
  }

  /** Length-prefixed content, as sections, subsections and function bodies are framed. */
  sized(content: Uint8Array): this {
    return this.u32(content.length).bytes(content);
  }

  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

/** Replace `source[start, end)` with `bytes`; `start === end` inserts. */
export interface Patch {
  readonly start: number;
  readonly end: number;
  readonly bytes: Uint8Array;
}

/**
 * `source[start, end)` with the patches applied. Patches are absolute offsets into `source`,
 * ordered by position and not overlapping.
 */
export function applyPatches(
  source: Uint8Array,
  start: number,
  end: number,
  patches: readonly Patch[],
): Uint8Array {
  if (patches.length === 0) return source.subarray(start, end);
  let size = end - start;
  for (const patch of patches) size += patch.bytes.length - (patch.end - patch.start);
  const out = new Uint8Array(size);
  let from = start;
  let to = 0;
  for (const patch of patches) {
    if (patch.start < from || patch.end > end || patch.end < patch.start) {
      throw new Error(`internal error: patch [${patch.start}, ${patch.end}) out of order`);
    }
    out.set(source.subarray(from, patch.start), to);
    to += patch.start - from;
    out.set(patch.bytes, to);
    to += patch.bytes.length;
    from = patch.end;
  }
  out.set(source.subarray(from, end), to);
  return out;
}
