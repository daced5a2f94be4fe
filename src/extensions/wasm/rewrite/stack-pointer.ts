// Finding the guest's shadow-stack pointer. LLVM-built modules (TinyGo, Rust, C) keep it in a
// mutable i32 global, by convention their first; AssemblyScript keeps one too. When a host import
// throws through a guest call, the frames the exception unwound stay allocated on that shadow
// stack; the host restores the pointer through the export the rewrite adds.
import type { DefinedGlobal, GlobalType } from './declarations.js';

const I32 = 0x7f;

/** The names LLVM and AssemblyScript give the stack pointer in the name section. */
export const STACK_POINTER_NAMES: ReadonlySet<string> = new Set([
  '__stack_pointer',
  '~lib/memory/__stack_pointer',
]);

export interface StackPointerClues {
  /** Every global in index order, imported ones first. */
  readonly globals: readonly GlobalType[];
  readonly importedGlobals: number;
  /** The module's own globals, in index order. */
  readonly definedGlobals: readonly DefinedGlobal[];
  /** Global names from the name section, when it has them. */
  readonly globalNames: ReadonlyMap<number, string> | undefined;
  /** Whether a "producers" section names an LLVM-based tool. */
  readonly builtByLlvm: boolean;
}

const isMutableI32 = (global: GlobalType | undefined) =>
  global?.mutable === true && global.valueType === I32;

/** The stack pointer's global index, or undefined when the module has none that can be trusted. */
export function findStackPointer(clues: StackPointerClues): number | undefined {
  if (clues.globalNames !== undefined) {
    // Names are the best evidence; when the module names its globals and none is a stack
    // pointer, a guess from position could restore some other global.
    for (const [index, name] of clues.globalNames) {
      if (STACK_POINTER_NAMES.has(name) && isMutableI32(clues.globals[index])) return index;
    }
    return undefined;
  }
  const first = clues.definedGlobals[0];
  if (first !== undefined && isMutableI32(first) && (clues.builtByLlvm || first.initIsI32Const)) {
    return clues.importedGlobals;
  }
  return undefined;
}
