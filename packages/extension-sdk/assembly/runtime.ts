// Memory management around extension calls. SDK-internal.
//
// `vpm build` compiles with AssemblyScript's `minimal` runtime: the TLSF allocator and a
// two-colour mark & sweep collector that runs only when asked, while nothing is on the stack. An
// extension call is short and allocates little, and all it allocates is garbage once it returns.
// So rather than the incremental collector (a shadow stack of every reference, kept up on every
// call, and left behind by a trap — and a panic is a normal way for a command to refuse), the
// wrappers `vpm build` generates around the extensions collect when the stack is empty: after
// every CALLS_PER_COLLECTION calls or a call that grew the memory, and before a call when the
// previous one trapped (its garbage, and the SDK's state
// it left, are cleaned up then). A collection marks what the module's globals reach (little:
// extensions keep their state in storages) and sweeps what the calls allocated.

import { resetReads } from './state';

let inCall = false;
/** Calls since the last collection, and the memory size (pages) after it. */
let callsSinceCollect = 0;
let pagesAtCollect: i32 = 0;
/**
 * A collection costs about as much as a short call, so it runs every this many calls rather than
 * after each; what the calls in between allocate stays small. It runs at once when the memory
 * had to grow, so a call that allocates a lot is cleaned up after.
 */
const CALLS_PER_COLLECTION = 64;

function collect(): void {
  __collect();
  callsSinceCollect = 0;
  pagesAtCollect = memory.size();
}

/** Called by the generated wrapper before an extension. */
export function beforeExtensionCall(): void {
  if (inCall) {
    // the previous call trapped
    resetReads();
    collect();
  }
  inCall = true;
}

/** Called by the generated wrapper after an extension returned. */
export function afterExtensionCall(): void {
  inCall = false;
  if (++callsSinceCollect >= CALLS_PER_COLLECTION || memory.size() > pagesAtCollect) collect();
}

// TLSF's layout in AssemblyScript 0.28 (std/assembly/rt/tlsf.ts and common.ts), used only to
// report the heap in use to the host: the root at the first 16-byte boundary from __heap_base (its
// tail pointer 0 until the first allocation initialises it), then blocks laid end to end up to a
// tail block of size 0; each block starts with a usize `mmInfo`, its size with the FREE flag in
// bit 0.
const AL_MASK: usize = 15;
const BLOCK_OVERHEAD: usize = sizeof<usize>();
const TAGS_MASK: usize = 3;
const FREE: usize = 1;
const SL_BITS: usize = 4;
const FL_BITS: usize = 31 - (SL_BITS + 4);
const SL_END: usize = sizeof<usize>() + (FL_BITS << 2);
const HL_START: usize = (SL_END + AL_MASK) & ~AL_MASK;
const HL_END: usize = HL_START + FL_BITS * (1 << SL_BITS) * sizeof<usize>();
const ROOT_SIZE: usize = HL_END + sizeof<usize>();

/**
 * Bytes in allocated blocks, headers included: a walk over the blocks, so call it now and then
 * (the host asks for statistics), not per call. Falls back to all the memory above the static
 * data if the walk does not end at the tail block (a runtime whose layout differs).
 */
export function heapInUse(): usize {
  const root = (__heap_base + AL_MASK) & ~AL_MASK;
  const memoryEnd = (<usize>memory.size()) << 16;
  if (root + ROOT_SIZE > memoryEnd) return 0;
  const tail = load<usize>(root + HL_END);
  if (tail === 0) return 0;
  let block = ((root + ROOT_SIZE + BLOCK_OVERHEAD + AL_MASK) & ~AL_MASK) - BLOCK_OVERHEAD;
  let inUse: usize = 0;
  while (block < memoryEnd) {
    const info = load<usize>(block);
    const size = info & ~TAGS_MASK;
    if (size === 0) break;
    if ((info & FREE) === 0) inUse += BLOCK_OVERHEAD + size;
    block += BLOCK_OVERHEAD + size;
  }
  return block === tail ? inUse : memoryEnd - __heap_base;
}
