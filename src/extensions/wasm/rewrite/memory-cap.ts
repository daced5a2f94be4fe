// The memory cap: the module's own memories get a maximum of at most the host's limit, so that
// `memory.grow` past it fails inside the guest (returns -1) instead of taking the host's memory.
// TinyGo and AssemblyScript declare no maximum at all.
import { WasmRewriteError } from './rewrite-error.js';
import type { Section } from './sections.js';
import { WasmReader } from './wasm-reader.js';
import { ByteWriter, type Patch } from './wasm-writer.js';

/** The most pages a 32-bit memory can have (4 GiB). */
export const MAX_PAGES = 65536;

/** A patch replacing the memory section's content with capped limits. */
export function capMemories(bytes: Uint8Array, section: Section, maxPages: number): Patch {
  const reader = new WasmReader(bytes, section.contentStart, section.end);
  const count = reader.u32();
  const out = new ByteWriter().u32(count);
  for (let i = 0; i < count; i++) {
    const flags = reader.u8();
    if ((flags & 0x04) !== 0) {
      throw new WasmRewriteError(
        'the module defines a 64-bit memory, which the host does not support',
      );
    }
    if (flags > 3) throw reader.malformed(`memory ${i} has limits with flags ${flags}`);
    const initial = reader.u32();
    const maximum = (flags & 0x01) !== 0 ? reader.u32() : undefined;
    if (initial > maxPages) {
      throw new WasmRewriteError(
        `the module needs ${initial} pages of memory at start, more than the limit of ${maxPages} pages`,
      );
    }
    // Bit 1 (shared) is kept; bit 0 now always announces a maximum.
    out
      .byte(flags | 0x01)
      .u32(initial)
      .u32(Math.min(maximum ?? maxPages, maxPages));
  }
  if (!reader.atEnd) throw reader.malformed('trailing bytes in the memory section');
  return { start: section.contentStart, end: section.end, bytes: out.finish() };
}
