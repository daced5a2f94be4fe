/** Unsigned lexicographic comparison: the order of clustering bytes in every backend. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(a, b);
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

/**
 * A copy that owns its memory, so that neither side can change the other's bytes. (The typed
 * array constructor copies; `slice` on a Buffer takes a slow path.)
 */
export function copyBytes(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}
