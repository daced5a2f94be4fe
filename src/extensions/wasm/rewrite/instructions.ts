// The instruction walker: decodes every instruction's immediates, so that function indexes and
// loop bodies can be found in function bodies and constant expressions. An instruction it does
// not know cannot be skipped (its immediates' length is unknown), so it is an error: the host
// would otherwise run code it did not meter.
import { WasmRewriteError } from './rewrite-error.js';
import type { WasmReader } from './wasm-reader.js';

/** What the rewrite needs to know about an expression. */
export interface InstructionVisitor {
  /** A function index immediate (`call`, `return_call`, `ref.func`) at `[start, end)`. */
  functionIndex(index: number, start: number, end: number): void;
  /** A loop's body starts at `position`: right after the loop's block type. */
  loopBody(position: number): void;
}

// How an opcode's immediates are encoded; 0 (the default) marks an opcode the walker rejects.
const NONE = 1;
const BLOCK = 2;
const LOOP = 3;
const END = 4;
const INDEX = 5;
const TWO_INDEXES = 6;
const BR_TABLE = 7;
const FUNCTION = 8;
const SELECT_TYPED = 9;
const MEMARG = 10;
const I32 = 11;
const I64 = 12;
const F32 = 13;
const F64 = 14;
const REF_NULL = 15;
const PREFIX_FC = 16;
const PREFIX_FD = 17;
const BYTES_16 = 18;
const LANE = 19;
const MEMARG_LANE = 20;

function table(size: number, entries: readonly [from: number, to: number, kind: number][]) {
  const kinds = new Uint8Array(size);
  for (const [from, to, kind] of entries) kinds.fill(kind, from, to + 1);
  return kinds;
}

/** One-byte opcodes: the MVP, sign extension, reference types, tail calls and typed select. */
const OPCODES = table(256, [
  [0x00, 0x01, NONE], // unreachable, nop
  [0x02, 0x02, BLOCK],
  [0x03, 0x03, LOOP],
  [0x04, 0x04, BLOCK], // if
  [0x05, 0x05, NONE], // else
  [0x0b, 0x0b, END],
  [0x0c, 0x0d, INDEX], // br, br_if
  [0x0e, 0x0e, BR_TABLE],
  [0x0f, 0x0f, NONE], // return
  [0x10, 0x10, FUNCTION], // call
  [0x11, 0x11, TWO_INDEXES], // call_indirect
  [0x12, 0x12, FUNCTION], // return_call
  [0x13, 0x13, TWO_INDEXES], // return_call_indirect
  [0x1a, 0x1b, NONE], // drop, select
  [0x1c, 0x1c, SELECT_TYPED],
  [0x20, 0x26, INDEX], // local.get/set/tee, global.get/set, table.get/set
  [0x28, 0x3e, MEMARG], // loads and stores
  [0x3f, 0x40, INDEX], // memory.size, memory.grow
  [0x41, 0x41, I32],
  [0x42, 0x42, I64],
  [0x43, 0x43, F32],
  [0x44, 0x44, F64],
  [0x45, 0xc4, NONE], // numeric instructions, sign extension
  [0xd0, 0xd0, REF_NULL],
  [0xd1, 0xd1, NONE], // ref.is_null
  [0xd2, 0xd2, FUNCTION], // ref.func
  [0xfc, 0xfc, PREFIX_FC],
  [0xfd, 0xfd, PREFIX_FD],
]);

/** 0xFC: saturating truncations, bulk memory and table instructions. */
const FC_OPCODES = table(18, [
  [0, 7, NONE], // trunc_sat
  [8, 8, TWO_INDEXES], // memory.init data memory
  [9, 9, INDEX], // data.drop
  [10, 10, TWO_INDEXES], // memory.copy
  [11, 11, INDEX], // memory.fill
  [12, 12, TWO_INDEXES], // table.init elem table
  [13, 13, INDEX], // elem.drop
  [14, 14, TWO_INDEXES], // table.copy
  [15, 17, INDEX], // table.grow, table.size, table.fill
]);

/** 0xFD: fixed-width SIMD (0x00-0xFF) and relaxed SIMD (0x100-0x113, no immediates). */
const FD_OPCODES = table(0x114, [
  [0x00, 0x0b, MEMARG], // v128.load*, v128.store
  [0x0c, 0x0d, BYTES_16], // v128.const, i8x16.shuffle
  [0x0e, 0x14, NONE], // swizzle, splats
  [0x15, 0x22, LANE], // extract_lane, replace_lane
  [0x23, 0x53, NONE], // comparisons, bitwise, any_true
  [0x54, 0x5b, MEMARG_LANE], // v128.load*_lane, v128.store*_lane
  [0x5c, 0x5d, MEMARG], // v128.load32_zero, v128.load64_zero
  [0x5e, 0xff, NONE],
  [0x100, 0x113, NONE],
]);
// Opcodes the SIMD specification leaves unassigned.
for (const unassigned of [
  0x9a, 0xa2, 0xa5, 0xa6, 0xaf, 0xb0, 0xb2, 0xb3, 0xb4, 0xbb, 0xc2, 0xc5, 0xc6, 0xcf, 0xd0, 0xd2,
  0xd3, 0xd4, 0xe2, 0xee,
]) {
  FD_OPCODES[unassigned] = 0;
}

/** Which proposal a rejected one-byte opcode belongs to, for the error message. */
const FEATURES = new Map<number, string>([
  ...[0x06, 0x07, 0x08, 0x09, 0x0a, 0x18, 0x19, 0x1f].map(
    (op) => [op, 'exception handling'] as const,
  ),
  ...[0x14, 0x15, 0xd3, 0xd4, 0xd6].map((op) => [op, 'typed function references'] as const),
  [0xd5, 'garbage collection'],
  [0xfb, 'garbage collection'],
  [0xfe, 'threads and atomics'],
]);

const hex = (value: number) => `0x${value.toString(16).padStart(2, '0')}`;

function cannotMeter(where: string, at: number, opcode: string, feature: string): WasmRewriteError {
  return new WasmRewriteError(
    `${where} uses the instruction ${opcode} (${feature}) at byte ${at}, which the host cannot meter`,
  );
}

/** Value types of WebAssembly 2.0: numbers, v128, funcref and externref (one byte each). */
const VALUE_TYPES = new Set([0x7f, 0x7e, 0x7d, 0x7c, 0x7b, 0x70, 0x6f]);
const REFERENCE_TYPES = new Set([0x70, 0x6f]);

function unsupportedType(reader: WasmReader, where: string, byte: number): WasmRewriteError {
  return new WasmRewriteError(
    `${where} uses the type ${hex(byte)} at byte ${reader.pos - 1} (typed references or ` +
      'garbage collection), which the host does not support',
  );
}

/** Reads a value type; the multi-byte reference types of later proposals are rejected. */
export function readValueType(reader: WasmReader, where: string): number {
  const byte = reader.u8();
  if (!VALUE_TYPES.has(byte)) throw unsupportedType(reader, where, byte);
  return byte;
}

/** Reads a reference type (funcref or externref). */
export function readReferenceType(reader: WasmReader, where: string): number {
  const byte = reader.u8();
  if (!REFERENCE_TYPES.has(byte)) throw unsupportedType(reader, where, byte);
  return byte;
}

function readBlockType(reader: WasmReader, where: string): void {
  const byte = reader.peek();
  if (byte === 0x40) {
    reader.pos++;
  } else if ((byte & 0xc0) === 0x40) {
    // A one-byte negative number: a value type.
    readValueType(reader, where);
  } else if (reader.s33() < 0) {
    throw reader.malformed('a block type is neither a value type nor a type index');
  }
}

function readMemarg(reader: WasmReader): void {
  // Bit 6 of the alignment announces a memory index (multi-memory).
  if ((reader.u32() & 0x40) !== 0) reader.u32();
  // The offset is a u64 for 64-bit memories; the engine checks it against the memory.
  reader.skipLeb(10);
}

function readImmediates(reader: WasmReader, kind: number): void {
  switch (kind) {
    case NONE:
      return;
    case INDEX:
      reader.u32();
      return;
    case TWO_INDEXES:
      reader.u32();
      reader.u32();
      return;
    case MEMARG:
      readMemarg(reader);
      return;
    case BYTES_16:
      reader.skip(16);
      return;
    case LANE:
      reader.skip(1);
      return;
    case MEMARG_LANE:
      readMemarg(reader);
      reader.skip(1);
      return;
    default:
      throw new Error(`internal error: immediate kind ${kind}`);
  }
}

/**
 * Walks one expression (a function body after its locals, or a constant expression) from the
 * reader's position through the `end` that closes it, and leaves the reader after that `end`.
 * `where` names the expression in error messages ("function 12").
 */
export function walkExpression(
  reader: WasmReader,
  visitor: InstructionVisitor,
  where: string,
): void {
  let depth = 0;
  for (;;) {
    const at = reader.pos;
    const opcode = reader.u8();
    // biome-ignore lint/style/noNonNullAssertion: the table has an entry for every byte
    const kind = OPCODES[opcode]!;
    switch (kind) {
      case NONE:
        break;
      case BLOCK:
        readBlockType(reader, where);
        depth++;
        break;
      case LOOP:
        readBlockType(reader, where);
        depth++;
        visitor.loopBody(reader.pos);
        break;
      case END:
        if (depth === 0) return;
        depth--;
        break;
      case BR_TABLE: {
        const labels = reader.u32();
        for (let i = 0; i <= labels; i++) reader.u32();
        break;
      }
      case FUNCTION: {
        const start = reader.pos;
        const index = reader.u32();
        visitor.functionIndex(index, start, reader.pos);
        break;
      }
      case SELECT_TYPED: {
        const count = reader.u32();
        for (let i = 0; i < count; i++) readValueType(reader, where);
        break;
      }
      case I32:
        reader.skipLeb(5);
        break;
      case I64:
        reader.skipLeb(10);
        break;
      case F32:
        reader.skip(4);
        break;
      case F64:
        reader.skip(8);
        break;
      case REF_NULL:
        readReferenceType(reader, where);
        break;
      case PREFIX_FC: {
        const sub = reader.u32();
        const subKind = FC_OPCODES[sub] ?? 0;
        if (subKind === 0) {
          throw cannotMeter(where, at, `0xfc ${sub}`, 'an instruction the host does not know');
        }
        readImmediates(reader, subKind);
        break;
      }
      case PREFIX_FD: {
        const sub = reader.u32();
        const subKind = FD_OPCODES[sub] ?? 0;
        if (subKind === 0) {
          throw cannotMeter(where, at, `0xfd ${sub}`, 'a SIMD instruction the host does not know');
        }
        readImmediates(reader, subKind);
        break;
      }
      case 0:
        throw cannotMeter(
          where,
          at,
          hex(opcode),
          FEATURES.get(opcode) ?? 'an instruction the host does not know',
        );
      default:
        readImmediates(reader, kind);
    }
  }
}
