// A module's framing: the header and the sections, each kept as an offset range of the input so
// that sections the rewrite leaves alone are copied byte for byte.
import { WasmReader } from './wasm-reader.js';

export const SectionId = {
  custom: 0,
  type: 1,
  import: 2,
  function: 3,
  table: 4,
  memory: 5,
  global: 6,
  export: 7,
  start: 8,
  element: 9,
  code: 10,
  data: 11,
  dataCount: 12,
  tag: 13,
} as const;

export interface Section {
  readonly id: number;
  /** Where the section starts: its id byte. */
  readonly start: number;
  /** Where its content starts (after the id and the size). */
  readonly contentStart: number;
  /** Where the section ends. */
  readonly end: number;
  /** A custom section's name; '' for the others. */
  readonly customName: string;
  /** Where a custom section's data starts, after its name; `contentStart` for the others. */
  readonly dataStart: number;
}

const MAGIC = [0x00, 0x61, 0x73, 0x6d];
export const HEADER = Uint8Array.from([...MAGIC, 0x01, 0x00, 0x00, 0x00]);

/** Checks the header and splits the module into its sections. */
export function readSections(bytes: Uint8Array): Section[] {
  const reader = new WasmReader(bytes);
  if (bytes.length < 8 || MAGIC.some((byte, i) => bytes[i] !== byte)) {
    throw reader.malformed('not a WebAssembly module (no \\0asm header)');
  }
  reader.pos = 4;
  const version = reader.take(4);
  if (!HEADER.subarray(4).every((byte, i) => version[i] === byte)) {
    throw reader.malformed('only version 1 of the binary format is supported');
  }
  const sections: Section[] = [];
  const seen = new Set<number>();
  while (!reader.atEnd) {
    const start = reader.pos;
    const id = reader.u8();
    const size = reader.u32();
    const contentStart = reader.pos;
    reader.skip(size);
    let customName = '';
    let dataStart = contentStart;
    if (id === SectionId.custom) {
      const inner = new WasmReader(bytes, contentStart, reader.pos);
      customName = inner.name();
      dataStart = inner.pos;
    } else {
      if (id > SectionId.tag) throw new WasmReader(bytes, start).malformed(`unknown section ${id}`);
      if (seen.has(id)) throw new WasmReader(bytes, start).malformed(`a second section ${id}`);
      seen.add(id);
    }
    sections.push({ id, start, contentStart, end: reader.pos, customName, dataStart });
  }
  return sections;
}

/** The position of a non-custom section in the order the binary format prescribes. */
export function sectionOrder(id: number): number {
  // The tag section sits between memory and global, data count between element and code.
  const order = [0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 12, 13, 11, 6];
  return order[id] ?? 99;
}
