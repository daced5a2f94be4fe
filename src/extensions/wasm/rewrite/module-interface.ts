// The type and import sections: where the tick import's type comes from, how many functions and
// globals the module imports (the index spaces the rewrite extends), and the imports the host
// refuses (an imported memory, anything from the host's own `__vts` module).
import { type GlobalType, readGlobalType, skipLimits } from './declarations.js';
import { readReferenceType, readValueType } from './instructions.js';
import { WasmRewriteError } from './rewrite-error.js';
import type { Section } from './sections.js';
import { WasmReader } from './wasm-reader.js';

export interface TypeSection {
  readonly count: number;
  /** The index of a `() -> ()` type, if the module has one. */
  readonly emptyFunctionType: number | undefined;
}

export function readTypes(bytes: Uint8Array, section: Section): TypeSection {
  const reader = new WasmReader(bytes, section.contentStart, section.end);
  const count = reader.u32();
  let emptyFunctionType: number | undefined;
  for (let i = 0; i < count; i++) {
    const where = `type ${i}`;
    const form = reader.u8();
    if (form !== 0x60) {
      throw new WasmRewriteError(
        `${where} has the form 0x${form.toString(16)} (garbage collection), which the host does not support`,
      );
    }
    const params = reader.u32();
    for (let j = 0; j < params; j++) readValueType(reader, where);
    const results = reader.u32();
    for (let j = 0; j < results; j++) readValueType(reader, where);
    if (params === 0 && results === 0) emptyFunctionType ??= i;
  }
  if (!reader.atEnd) throw reader.malformed('trailing bytes in the type section');
  return { count, emptyFunctionType };
}

export interface ImportSection {
  readonly functions: number;
  readonly globals: readonly GlobalType[];
}

export const NO_IMPORTS: ImportSection = { functions: 0, globals: [] };

export function readImports(
  bytes: Uint8Array,
  section: Section,
  reservedModule: string,
): ImportSection {
  const reader = new WasmReader(bytes, section.contentStart, section.end);
  const count = reader.u32();
  let functions = 0;
  const globals: GlobalType[] = [];
  for (let i = 0; i < count; i++) {
    const module = reader.name();
    const field = reader.name();
    const where = `the import "${module}"."${field}"`;
    if (module === reservedModule) {
      throw new WasmRewriteError(
        `the module imports "${module}"."${field}", but the import module "${reservedModule}" is reserved for the host`,
      );
    }
    const kind = reader.u8();
    switch (kind) {
      case 0x00:
        reader.u32();
        functions++;
        break;
      case 0x01:
        readReferenceType(reader, where);
        skipLimits(reader);
        break;
      case 0x02:
        throw new WasmRewriteError(
          `the module imports its memory ("${module}"."${field}"); the host can cap only a memory the module defines`,
        );
      case 0x03:
        globals.push(readGlobalType(reader, where));
        break;
      case 0x04:
        throw new WasmRewriteError(
          `the module imports the tag "${module}"."${field}" (exception handling), which the host does not support`,
        );
      default:
        throw reader.malformed(`an import of unknown kind ${kind}`);
    }
  }
  if (!reader.atEnd) throw reader.malformed('trailing bytes in the import section');
  return { functions, globals };
}
