// What a guest call fetched so far, kept across the runs of one call (see WasmModule.run): a read
// that is not here yet throws a ReadMiss whose load puts it here, and the next run finds it.
import { ReadMiss } from '../host-state.js';

export class ReadCache {
  private readonly entries = new Map<string, unknown>();

  /** The cached answer for `key`, or a ReadMiss that fetches it with `load`. */
  get<T>(key: string, load: () => Promise<T>): T {
    if (this.entries.has(key)) return this.entries.get(key) as T;
    throw new ReadMiss(async () => {
      this.entries.set(key, await load());
    });
  }
}
