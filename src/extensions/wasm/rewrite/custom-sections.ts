// The custom sections the rewrite reads or changes. The "name" section keys function names,
// local names and label names by function index, so those follow the shift; its global names
// tell where the stack pointer is. The "producers" section tells whether LLVM built the module.
import type { FunctionShift } from './function-shift.js';
import type { Section } from './sections.js';
import { WasmReader } from './wasm-reader.js';
import { applyPatches, ByteWriter, type Patch } from './wasm-writer.js';

const FUNCTION_NAMES = 1;
const LOCAL_NAMES = 2;
/** Label names (extended name section), keyed by function index like local names. */
const LABEL_NAMES = 3;
const GLOBAL_NAMES = 7;

export interface NameSection {
  /** Global names by global index, when the section has them. */
  readonly globalNames: ReadonlyMap<number, string> | undefined;
  /** A patch replacing the function-indexed subsections; undefined when nothing moves. */
  readonly patch: Patch | undefined;
}

function readNameMap(
  reader: WasmReader,
  shift: FunctionShift | undefined,
  patches: Patch[],
): Map<number, string> {
  const names = new Map<number, string>();
  const count = reader.u32();
  for (let i = 0; i < count; i++) {
    const index = shift === undefined ? reader.u32() : shift.readIndex(reader, patches);
    names.set(index, reader.name());
  }
  return names;
}

/**
 * Reads the name section and shifts its function indexes. Throws a WasmRewriteError when the
 * section is malformed (engines ignore a malformed name section; the caller drops it).
 */
export function readNameSection(
  bytes: Uint8Array,
  section: Section,
  shift: FunctionShift,
): NameSection {
  const reader = new WasmReader(bytes, section.dataStart, section.end);
  const out = new ByteWriter();
  let changed = false;
  let globalNames: Map<number, string> | undefined;
  while (!reader.atEnd) {
    const subsectionStart = reader.pos;
    const id = reader.u8();
    const size = reader.u32();
    const contentStart = reader.pos;
    const sub = new WasmReader(bytes, contentStart, contentStart + size);
    reader.skip(size);
    const patches: Patch[] = [];
    if (id === FUNCTION_NAMES) {
      readNameMap(sub, shift, patches);
    } else if (id === LOCAL_NAMES || id === LABEL_NAMES) {
      const count = sub.u32();
      for (let i = 0; i < count; i++) {
        shift.readIndex(sub, patches);
        readNameMap(sub, undefined, patches);
      }
    } else if (id === GLOBAL_NAMES) {
      globalNames = readNameMap(sub, undefined, patches);
    } else {
      sub.pos = sub.end;
    }
    if (!sub.atEnd) throw sub.malformed(`trailing bytes in name subsection ${id}`);
    if (patches.length === 0) {
      out.bytes(bytes.subarray(subsectionStart, reader.pos));
    } else {
      changed = true;
      out.byte(id).sized(applyPatches(bytes, contentStart, reader.pos, patches));
    }
  }
  const patch = changed
    ? { start: section.dataStart, end: section.end, bytes: out.finish() }
    : undefined;
  return { globalNames, patch };
}

/** Tools that build with LLVM, whose stack pointer is the first global. */
const LLVM_TOOLS = /llvm|clang|tinygo|rustc|emscripten/i;

/** Whether the "producers" section names an LLVM-based tool; false when it is malformed. */
export function builtByLlvm(bytes: Uint8Array, section: Section): boolean {
  try {
    const reader = new WasmReader(bytes, section.dataStart, section.end);
    const fields = reader.u32();
    for (let i = 0; i < fields; i++) {
      reader.name();
      const values = reader.u32();
      for (let j = 0; j < values; j++) {
        const name = reader.name();
        const version = reader.name();
        if (LLVM_TOOLS.test(name) || LLVM_TOOLS.test(version)) return true;
      }
    }
  } catch {
    // A malformed producers section proves nothing.
  }
  return false;
}
