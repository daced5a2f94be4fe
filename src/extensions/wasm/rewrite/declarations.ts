// The sections outside the code that hold function indexes (globals, tables, exports, start,
// elements, data offsets) read into what the rewrite needs to know, with patches that shift those
// indexes. Each function returns patches over its section's content; an untouched section keeps
// its bytes.
import type { FunctionShift } from './function-shift.js';
import { readReferenceType, readValueType } from './instructions.js';
import type { Section } from './sections.js';
import { WasmReader } from './wasm-reader.js';
import type { Patch } from './wasm-writer.js';

export interface GlobalType {
  readonly valueType: number;
  readonly mutable: boolean;
}

export interface DefinedGlobal extends GlobalType {
  /** Whether the initializer is a single `i32.const`, as LLVM's stack pointer's is. */
  readonly initIsI32Const: boolean;
}

function contentReader(bytes: Uint8Array, section: Section): WasmReader {
  return new WasmReader(bytes, section.contentStart, section.end);
}

function expectEnd(reader: WasmReader, what: string): void {
  if (!reader.atEnd) throw reader.malformed(`trailing bytes in the ${what} section`);
}

export function readGlobalType(reader: WasmReader, where: string): GlobalType {
  const valueType = readValueType(reader, where);
  const mutability = reader.u8();
  if (mutability > 1) throw reader.malformed(`${where} has mutability ${mutability}`);
  return { valueType, mutable: mutability === 1 };
}

/** Skips a table's or memory's limits; `flags` bit 0 announces a maximum, bit 2 64-bit sizes. */
export function skipLimits(reader: WasmReader): void {
  const flags = reader.u8();
  if (flags > 7) throw reader.malformed(`limits with flags ${flags}`);
  const bytes = (flags & 0x04) !== 0 ? 10 : 5;
  reader.skipLeb(bytes);
  if ((flags & 0x01) !== 0) reader.skipLeb(bytes);
}

/** The global section: its globals, and patches for `ref.func` in initializers. */
export function readGlobals(
  bytes: Uint8Array,
  section: Section,
  shift: FunctionShift,
  firstIndex: number,
  patches: Patch[],
): DefinedGlobal[] {
  const reader = contentReader(bytes, section);
  const count = reader.u32();
  const globals: DefinedGlobal[] = [];
  for (let i = 0; i < count; i++) {
    const where = `global ${firstIndex + i}`;
    const type = readGlobalType(reader, where);
    const initStart = reader.pos;
    shift.shiftExpression(reader, patches, `the initializer of ${where}`);
    const init = new WasmReader(bytes, initStart, reader.pos);
    let initIsI32Const = init.u8() === 0x41;
    if (initIsI32Const) {
      init.skipLeb(5);
      initIsI32Const = init.u8() === 0x0b && init.atEnd;
    }
    globals.push({ ...type, initIsI32Const });
  }
  expectEnd(reader, 'global');
  return globals;
}

/** The table section: patches for `ref.func` in table initializers (function references). */
export function shiftTables(
  bytes: Uint8Array,
  section: Section,
  shift: FunctionShift,
  patches: Patch[],
): void {
  const reader = contentReader(bytes, section);
  const count = reader.u32();
  for (let i = 0; i < count; i++) {
    const withInitializer = reader.peek() === 0x40;
    if (withInitializer) {
      reader.u8();
      if (reader.u8() !== 0x00) throw reader.malformed('a table with an unknown encoding');
    }
    readReferenceType(reader, `table ${i}`);
    skipLimits(reader);
    if (withInitializer) shift.shiftExpression(reader, patches, `the initializer of table ${i}`);
  }
  expectEnd(reader, 'table');
}

/** The export section: its names, and patches for exported functions. */
export function readExports(
  bytes: Uint8Array,
  section: Section,
  shift: FunctionShift,
  patches: Patch[],
): string[] {
  const reader = contentReader(bytes, section);
  const count = reader.u32();
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    names.push(reader.name());
    const kind = reader.u8();
    if (kind === 0x00) shift.readIndex(reader, patches);
    else if (kind <= 0x04) reader.u32();
    else throw reader.malformed(`an export of unknown kind ${kind}`);
  }
  expectEnd(reader, 'export');
  return names;
}

/** The start section: a patch for the start function. */
export function shiftStart(
  bytes: Uint8Array,
  section: Section,
  shift: FunctionShift,
  patches: Patch[],
): void {
  const reader = contentReader(bytes, section);
  shift.readIndex(reader, patches);
  expectEnd(reader, 'start');
}

/** The element section, all eight segment encodings: patches for every function index. */
export function shiftElements(
  bytes: Uint8Array,
  section: Section,
  shift: FunctionShift,
  patches: Patch[],
): void {
  const reader = contentReader(bytes, section);
  const count = reader.u32();
  for (let i = 0; i < count; i++) {
    const where = `element segment ${i}`;
    const flags = reader.u32();
    if (flags > 7) throw reader.malformed(`${where} has flags ${flags}`);
    // Bit 0: passive or declarative; bit 1: with a table index (active) or declarative;
    // bit 2: elements are expressions rather than function indexes.
    const active = (flags & 0x01) === 0;
    const explicitTable = (flags & 0x02) !== 0;
    const expressions = (flags & 0x04) !== 0;
    if (active && explicitTable) reader.u32();
    if (active) shift.shiftExpression(reader, patches, `the offset of ${where}`);
    if (flags !== 0 && flags !== 4) {
      // An element kind (0x00: funcref) or, for expressions, a reference type.
      if (expressions) readReferenceType(reader, where);
      else if (reader.u8() !== 0x00) throw reader.malformed(`${where} has an unknown kind`);
    }
    const elements = reader.u32();
    for (let j = 0; j < elements; j++) {
      if (expressions) shift.shiftExpression(reader, patches, `an element of ${where}`);
      else shift.readIndex(reader, patches);
    }
  }
  expectEnd(reader, 'element');
}

/** The data section: patches for function indexes in offsets (there are none in valid modules). */
export function shiftDataOffsets(
  bytes: Uint8Array,
  section: Section,
  shift: FunctionShift,
  patches: Patch[],
): void {
  const reader = contentReader(bytes, section);
  const count = reader.u32();
  for (let i = 0; i < count; i++) {
    const flags = reader.u32();
    if (flags > 2) throw reader.malformed(`data segment ${i} has flags ${flags}`);
    if (flags === 2) reader.u32();
    if (flags !== 1) shift.shiftExpression(reader, patches, `the offset of data segment ${i}`);
    reader.skip(reader.u32());
  }
  expectEnd(reader, 'data');
}
