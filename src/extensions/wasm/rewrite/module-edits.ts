// The edits of one rewrite, kept apart from the input until the output is written: patches per
// section, sections dropped, sections created. A section without patches is copied byte for byte.
import { HEADER, type Section, SectionId, sectionOrder } from './sections.js';
import { WasmReader } from './wasm-reader.js';
import { applyPatches, ByteWriter, encodeU32, type Patch } from './wasm-writer.js';

export class ModuleEdits {
  private readonly patchesBySection = new Map<Section, Patch[]>();
  private readonly dropped = new Set<Section>();
  private readonly created: { readonly id: number; readonly content: Uint8Array }[] = [];

  constructor(
    readonly bytes: Uint8Array,
    readonly sections: readonly Section[],
  ) {}

  /** The module's section with this id (not custom). */
  find(id: number): Section | undefined {
    return this.sections.find((section) => section.id === id);
  }

  /** The patches of a section, to add to. */
  patches(section: Section): Patch[] {
    let patches = this.patchesBySection.get(section);
    if (patches === undefined) {
      patches = [];
      this.patchesBySection.set(section, patches);
    }
    return patches;
  }

  drop(section: Section): void {
    this.dropped.add(section);
  }

  /**
   * Adds `count` encoded `entries` to the end of the vector section `id`, creating the section
   * when the module has none.
   */
  append(id: number, entries: Uint8Array, count: number): void {
    const section = this.find(id);
    if (section === undefined) {
      this.created.push({ id, content: new ByteWriter().u32(count).bytes(entries).finish() });
      return;
    }
    const reader = new WasmReader(this.bytes, section.contentStart, section.end);
    const before = reader.u32();
    const patches = this.patches(section);
    patches.push({
      start: section.contentStart,
      end: reader.pos,
      bytes: encodeU32(before + count),
    });
    patches.push({ start: section.end, end: section.end, bytes: entries });
  }

  /** The rewritten module. Created sections go where the binary format's order puts them. */
  write(): Uint8Array {
    const out = new ByteWriter().bytes(HEADER);
    const pending = [...this.created].sort((a, b) => sectionOrder(a.id) - sectionOrder(b.id));
    const writeCreatedBefore = (order: number) => {
      for (let next = pending[0]; next !== undefined && sectionOrder(next.id) < order; ) {
        out.byte(next.id).sized(next.content);
        pending.shift();
        next = pending[0];
      }
    };
    for (const section of this.sections) {
      if (section.id !== SectionId.custom) writeCreatedBefore(sectionOrder(section.id));
      if (this.dropped.has(section)) continue;
      const patches = this.patchesBySection.get(section) ?? [];
      if (patches.length === 0) {
        out.bytes(this.bytes.subarray(section.start, section.end));
      } else {
        patches.sort((a, b) => a.start - b.start);
        const content = applyPatches(this.bytes, section.contentStart, section.end, patches);
        out.byte(section.id).sized(content);
      }
    }
    writeCreatedBefore(Number.POSITIVE_INFINITY);
    return out.finish();
  }
}
