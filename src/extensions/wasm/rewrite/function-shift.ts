// The meter's tick import is appended to the imported functions, so every function the module
// defines moves up one index; this is the one rule applied wherever a function index appears.
import { walkExpression } from './instructions.js';
import type { WasmReader } from './wasm-reader.js';
import { encodeU32, type Patch } from './wasm-writer.js';

export class FunctionShift {
  /** `from` is the number of functions the module imports: its first own function. */
  constructor(readonly from: number) {}

  /** The index after the shift. */
  map(index: number): number {
    return index >= this.from ? index + 1 : index;
  }

  /** Reads a function index and adds a patch to `patches` when the index moves. */
  readIndex(reader: WasmReader, patches: Patch[]): number {
    const start = reader.pos;
    const index = reader.u32();
    this.patchIndex(index, start, reader.pos, patches);
    return index;
  }

  /** Adds a patch for the index encoded at `[start, end)` when it moves. */
  patchIndex(index: number, start: number, end: number, patches: Patch[]): void {
    if (index >= this.from) patches.push({ start, end, bytes: encodeU32(index + 1) });
  }

  /**
   * Walks a constant expression (an initializer, an offset, an element) and adds patches for its
   * `ref.func` indexes.
   */
  shiftExpression(reader: WasmReader, patches: Patch[], where: string): void {
    walkExpression(
      reader,
      {
        functionIndex: (index, start, end) => this.patchIndex(index, start, end, patches),
        loopBody: () => {
          throw reader.malformed(`${where} is a constant expression with a loop`);
        },
      },
      where,
    );
  }
}
