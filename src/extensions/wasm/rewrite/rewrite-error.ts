/**
 * A guest module the host will not run: it is malformed, or it uses something the rewrite cannot
 * handle (an imported memory, an instruction it cannot meter, a reserved name).
 */
export class WasmRewriteError extends Error {
  override readonly name = 'WasmRewriteError';
}
