// The rewrite the WASM extension host runs on every guest module before compiling it: it caps the
// guest's memory, meters loops so that a guest running too long is stopped from the host's own
// thread, and exports the shadow-stack pointer so that the host can restore it after an aborted
// call. Everything it does not need to change is copied byte for byte.
import { builtByLlvm, readNameSection } from './custom-sections.js';
import {
  type DefinedGlobal,
  readExports,
  readGlobals,
  shiftDataOffsets,
  shiftElements,
  shiftStart,
  shiftTables,
} from './declarations.js';
import { FunctionShift } from './function-shift.js';
import { capMemories, MAX_PAGES } from './memory-cap.js';
import { METER, meterCode, meterSequence } from './metering.js';
import { ModuleEdits } from './module-edits.js';
import { type ImportSection, NO_IMPORTS, readImports, readTypes } from './module-interface.js';
import { WasmRewriteError } from './rewrite-error.js';
import { readSections, SectionId } from './sections.js';
import { findStackPointer } from './stack-pointer.js';
import { WasmReader } from './wasm-reader.js';
import { ByteWriter } from './wasm-writer.js';

export interface RewriteOptions {
  /** The most 64 KiB pages the guest's memory may grow to. */
  readonly maxMemoryPages: number;
}

export interface RewrittenModule {
  readonly bytes: Uint8Array;
  /** Whether the guest's stack-pointer global was found and exported as `__vts_sp`. */
  readonly stackPointerExported: boolean;
}

/** Export names starting with this are the host's. */
const RESERVED_PREFIX = '__vts';

/**
 * Rewrites a guest module: caps its memory, meters its loops (a `__vts`.`tick` import and a
 * `__vts_fuel` global) and exports its stack pointer as `__vts_sp` when it has one.
 * Throws a {@link WasmRewriteError} for a module the host will not run.
 */
export function rewriteModule(bytes: Uint8Array, options: RewriteOptions): RewrittenModule {
  const maxPages = options.maxMemoryPages;
  if (!Number.isInteger(maxPages) || maxPages < 0 || maxPages > MAX_PAGES) {
    throw new WasmRewriteError(
      `the memory limit must be a whole number of pages from 0 to ${MAX_PAGES}, not ${maxPages}`,
    );
  }
  const edits = new ModuleEdits(bytes, readSections(bytes));
  const importSection = edits.find(SectionId.import);
  const imports =
    importSection === undefined
      ? NO_IMPORTS
      : readImports(bytes, importSection, METER.importModule);
  // The tick import goes after the imported functions: the module's own functions move up one.
  const shift = new FunctionShift(imports.functions);

  const memorySection = edits.find(SectionId.memory);
  if (memorySection !== undefined) {
    edits.patches(memorySection).push(capMemories(bytes, memorySection, maxPages));
  }
  const definedGlobals = shiftDeclarations(edits, shift, imports);
  // The fuel global goes after all the module's globals, so no global moves.
  const fuelGlobal = imports.globals.length + definedGlobals.length;
  meterFunctions(edits, shift, fuelGlobal);

  const { globalNames, llvm } = readCustomSections(edits, shift);
  const stackPointer = findStackPointer({
    globals: [...imports.globals, ...definedGlobals],
    importedGlobals: imports.globals.length,
    definedGlobals,
    globalNames,
    builtByLlvm: llvm,
  });
  addMeterDeclarations(edits, fuelGlobal, stackPointer);
  return { bytes: edits.write(), stackPointerExported: stackPointer !== undefined };
}

/**
 * Shifts the function indexes of the sections before and after the code (tables, globals,
 * exports, start, elements, data) and returns the module's own globals.
 */
function shiftDeclarations(
  edits: ModuleEdits,
  shift: FunctionShift,
  imports: ImportSection,
): DefinedGlobal[] {
  const { bytes } = edits;
  const table = edits.find(SectionId.table);
  if (table !== undefined) shiftTables(bytes, table, shift, edits.patches(table));
  const global = edits.find(SectionId.global);
  const firstGlobal = imports.globals.length;
  const globals =
    global === undefined
      ? []
      : readGlobals(bytes, global, shift, firstGlobal, edits.patches(global));
  const exports = edits.find(SectionId.export);
  if (exports !== undefined) {
    for (const name of readExports(bytes, exports, shift, edits.patches(exports))) {
      if (name.startsWith(RESERVED_PREFIX)) {
        throw new WasmRewriteError(
          `the module exports "${name}", but names starting with ${RESERVED_PREFIX} are reserved for the host`,
        );
      }
    }
  }
  const start = edits.find(SectionId.start);
  if (start !== undefined) shiftStart(bytes, start, shift, edits.patches(start));
  const element = edits.find(SectionId.element);
  if (element !== undefined) shiftElements(bytes, element, shift, edits.patches(element));
  const data = edits.find(SectionId.data);
  if (data !== undefined) shiftDataOffsets(bytes, data, shift, edits.patches(data));
  return globals;
}

/** Meters the loops of every function body and shifts the function indexes in the code. */
function meterFunctions(edits: ModuleEdits, shift: FunctionShift, fuelGlobal: number): void {
  const functions = edits.find(SectionId.function);
  const declared =
    functions === undefined
      ? 0
      : new WasmReader(edits.bytes, functions.contentStart, functions.end).u32();
  const code = edits.find(SectionId.code);
  if (code === undefined) {
    if (declared > 0) {
      throw new WasmReader(edits.bytes, edits.bytes.length).malformed(
        'functions are declared but have no code',
      );
    }
    return;
  }
  const meter = meterSequence(fuelGlobal, shift.from);
  edits.patches(code).push(...meterCode(edits.bytes, code, shift, meter, declared));
}

/** Shifts the name section and reads the clues to the stack pointer in the custom sections. */
function readCustomSections(edits: ModuleEdits, shift: FunctionShift) {
  let globalNames: ReadonlyMap<number, string> | undefined;
  let llvm = false;
  for (const section of edits.sections) {
    if (section.id !== SectionId.custom) continue;
    if (section.customName === 'name') {
      try {
        const names = readNameSection(edits.bytes, section, shift);
        globalNames ??= names.globalNames;
        if (names.patch !== undefined) edits.patches(section).push(names.patch);
      } catch (error) {
        if (!(error instanceof WasmRewriteError)) throw error;
        // Engines ignore a malformed name section; kept unshifted, it would name the wrong
        // functions in stack traces, so it goes.
        edits.drop(section);
      }
    } else if (section.customName === 'producers') {
      llvm ||= builtByLlvm(edits.bytes, section);
    }
  }
  return { globalNames, llvm };
}

/** Adds the tick import (and its type when needed), the fuel global and the exports. */
function addMeterDeclarations(
  edits: ModuleEdits,
  fuelGlobal: number,
  stackPointer: number | undefined,
): void {
  const typeSection = edits.find(SectionId.type);
  const types = typeSection === undefined ? undefined : readTypes(edits.bytes, typeSection);
  let tickType = types?.emptyFunctionType;
  if (tickType === undefined) {
    tickType = types?.count ?? 0;
    edits.append(SectionId.type, Uint8Array.of(0x60, 0x00, 0x00), 1); // () -> ()
  }
  const tick = new ByteWriter().name(METER.importModule).name(METER.tickImport);
  edits.append(SectionId.import, tick.byte(0x00).u32(tickType).finish(), 1);
  // A mutable i32 that starts at 0: the first loop iteration calls the tick, which sets a budget.
  edits.append(SectionId.global, Uint8Array.of(0x7f, 0x01, 0x41, 0x00, 0x0b), 1);
  const exports = new ByteWriter().name(METER.fuelExport).byte(0x03).u32(fuelGlobal);
  if (stackPointer !== undefined) {
    exports.name(METER.stackPointerExport).byte(0x03).u32(stackPointer);
  }
  edits.append(SectionId.export, exports.finish(), stackPointer === undefined ? 1 : 2);
}
