// The exports the host needs besides the extensions. `vpm build` re-exports everything this file
// exports from the module's entry, so extensions need no boilerplate. Everything exported here
// becomes a WebAssembly export: keep helpers out.
//
// Memory: the host allocates its exchange buffers with `malloc`, raw blocks of the TLSF allocator
// (`heap.alloc`), which the garbage collector does not manage: they stay valid until the host
// frees them. Objects the extensions allocate are collected by the `minimal` runtime's collector,
// which runs only when nothing is on the stack: around extension calls (the wrappers `vpm build`
// generates; see runtime.ts) and when the host calls `WasmGC` between calls.

import { heapInUse } from './runtime';
import { dispatchRow } from './state';

let mallocs: i64 = 0;
let frees: i64 = 0;

/** Allocates `size` bytes for the host; the guest never reuses or frees them on its own. */
export function malloc(size: usize): usize {
  mallocs++;
  return heap.alloc(size);
}

/** Frees a block the host got from `malloc`. */
export function free(ptr: usize): void {
  frees++;
  heap.free(ptr);
}

/** The ABI version probe: the host calls it once after instantiation. */
export function WasmAbiVersion_0_0_1(): void {}

/** The host calls it for each row while `readValues` runs. */
export function WasmOnReadValue(key: i64, value: i64): void {
  dispatchRow(key, value);
}

/** Bytes of linear memory in allocated blocks (objects, strings, host buffers) with their headers. */
export function WasmGetHeapInuse(): i64 {
  return <i64>heapInUse();
}

/** Bytes of linear memory. */
export function WasmGetHeapSys(): i64 {
  return (<i64>memory.size()) << 16;
}

/** How many times the host called `malloc` (the SDK's own objects are not counted). */
export function WasmGetMallocs(): i64 {
  return mallocs;
}

/** How many times the host called `free`. */
export function WasmGetFrees(): i64 {
  return frees;
}

/** Collects garbage. Call it only between extension calls, never from inside one. */
export function WasmGC(): void {
  __collect();
}
