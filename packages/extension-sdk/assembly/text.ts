// Strings across the ABI. SDK-internal.
//
// Guest -> host: names (fields, storages, entities) and string values are UTF-8 encoded into ONE
// scratch buffer that every call reuses, so sending a name allocates nothing once the buffer is
// large enough: `begin` reserves room for the strings of one host call (at most 3 UTF-8 bytes per
// UTF-16 unit), `put` encodes the next string after the previous one and returns it packed as
// `(pointer << 32) | length`. The buffer comes from `heap.alloc`, outside the garbage collector; it
// grows to the largest set of arguments seen and is given back by `end` when a call needed more
// than KEEP bytes (a large string value), so one big value does not pin its size for good.
// The host reads the bytes before it returns and never calls back into the guest while it reads
// them (only `malloc`, which does not touch the scratch buffer), so reuse is safe.
//
// Host -> guest: strings and bytes arrive packed the same way, pointing into a buffer that is
// valid only during the current call; they are copied at once into an AssemblyScript string or a
// Uint8Array.

const KEEP: usize = 64 * 1024;
const MIN_CAPACITY: usize = 256;

let scratch: usize = 0;
let capacity: usize = 0;
let used: usize = 0;

/** Makes room for the strings of one host call, `units` UTF-16 code units in all. */
export function begin(units: i32): void {
  const need = <usize>units * 3;
  if (need > capacity) {
    if (scratch !== 0) heap.free(scratch);
    let size = capacity > MIN_CAPACITY ? capacity : MIN_CAPACITY;
    while (size < need) size <<= 1;
    scratch = heap.alloc(size);
    capacity = size;
  }
  used = 0;
}

/** Encodes `s` after the strings already put since `begin`; returns it packed. */
export function put(s: string): u64 {
  const at = scratch + used;
  const n = String.UTF8.encodeUnsafe(changetype<usize>(s), s.length, at);
  used += n;
  return ((<u64>at) << 32) | <u64>n;
}

/** Gives back a scratch buffer grown beyond KEEP bytes. */
export function end(): void {
  if (capacity > KEEP) {
    heap.free(scratch);
    scratch = 0;
    capacity = 0;
  }
}

/** The pointer of a packed string. */
export function ptr(packed: u64): usize {
  return <usize>(packed >>> 32);
}

/** The length of a packed string. */
export function len(packed: u64): usize {
  return <usize>(packed & 0xffffffff);
}

/** Encodes one name: the common case of getters. */
export function name(s: string): u64 {
  begin(s.length);
  return put(s);
}

/** Copies a string the host returned into an AssemblyScript string. */
export function hostString(packed: i64): string {
  const n = len(<u64>packed);
  if (n === 0) return '';
  return String.UTF8.decodeUnsafe(ptr(<u64>packed), n);
}

/** Copies bytes the host returned into a new Uint8Array. */
export function hostBytes(packed: i64): Uint8Array {
  const n = len(<u64>packed);
  const out = new Uint8Array(<i32>n);
  if (n !== 0) memory.copy(out.dataStart, ptr(<u64>packed), n);
  return out;
}
