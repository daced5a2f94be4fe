// Metering: at the start of every loop body the guest counts down a fuel global and, when it runs
// out, calls the host's tick import. The tick either throws (the deadline passed), which unwinds
// the guest on the host's own thread, or refills the fuel. Every unbounded computation in wasm
// goes through a loop's back edge (unbounded recursion ends in a stack-overflow trap), so a check
// per loop iteration is enough, and it costs a few instructions on a path that is already a jump.
import type { FunctionShift } from './function-shift.js';
import { readValueType, walkExpression } from './instructions.js';
import type { Section } from './sections.js';
import { WasmReader } from './wasm-reader.js';
import { applyPatches, ByteWriter, encodeU32, type Patch } from './wasm-writer.js';

/** Names of what the rewrite adds, for the host. */
export const METER = {
  importModule: '__vts',
  tickImport: 'tick',
  fuelExport: '__vts_fuel',
  stackPointerExport: '__vts_sp',
} as const;

/**
 * The check inserted at the start of every loop body:
 * `fuel -= 1; if (fuel <= 0) tick();` — wasm has no `global.tee`, so the global is read again
 * after the store (the optimizing compiler keeps it in a register).
 * The fuel starts at 0, so a loop's first iteration calls the tick, which sets the budget.
 */
export function meterSequence(fuelGlobal: number, tickFunction: number): Uint8Array {
  const fuel = encodeU32(fuelGlobal);
  return new ByteWriter()
    .byte(0x23) // global.get $fuel
    .bytes(fuel)
    .bytes([0x41, 0x01, 0x6b]) // i32.const 1, i32.sub
    .byte(0x24) // global.set $fuel
    .bytes(fuel)
    .byte(0x23) // global.get $fuel
    .bytes(fuel)
    .bytes([0x41, 0x00, 0x4c]) // i32.const 0, i32.le_s
    .bytes([0x04, 0x40]) // if (no result)
    .byte(0x10) // call $tick
    .bytes(encodeU32(tickFunction))
    .byte(0x0b) // end
    .finish();
}

/**
 * Patches for the code section: each function body that has a loop or a call to a shifted
 * function is replaced whole (its size changes); the others keep their bytes. The locals are
 * copied as they are.
 */
export function meterCode(
  bytes: Uint8Array,
  section: Section,
  shift: FunctionShift,
  meter: Uint8Array,
  declaredFunctions: number,
): Patch[] {
  const reader = new WasmReader(bytes, section.contentStart, section.end);
  const count = reader.u32();
  if (count !== declaredFunctions) {
    throw reader.malformed(
      `the code section has ${count} bodies for ${declaredFunctions} declared functions`,
    );
  }
  const patches: Patch[] = [];
  for (let i = 0; i < count; i++) {
    const where = `function ${shift.from + i}`;
    const sizeStart = reader.pos;
    const size = reader.u32();
    const bodyStart = reader.pos;
    reader.skip(size);
    const body = new WasmReader(bytes, bodyStart, reader.pos);
    const localGroups = body.u32();
    for (let j = 0; j < localGroups; j++) {
      body.u32();
      readValueType(body, where);
    }
    const bodyPatches: Patch[] = [];
    walkExpression(
      body,
      {
        functionIndex: (index, start, end) => shift.patchIndex(index, start, end, bodyPatches),
        loopBody: (position) => bodyPatches.push({ start: position, end: position, bytes: meter }),
      },
      where,
    );
    if (!body.atEnd) throw body.malformed(`bytes after the end of ${where}`);
    if (bodyPatches.length > 0) {
      const rewritten = applyPatches(bytes, bodyStart, body.end, bodyPatches);
      patches.push({
        start: sizeStart,
        end: body.end,
        bytes: new ByteWriter().sized(rewritten).finish(),
      });
    }
  }
  if (!reader.atEnd) throw reader.malformed('trailing bytes in the code section');
  return patches;
}
