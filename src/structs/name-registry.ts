import type { KvBatchItem, KvStorage } from '../storage/index.js';
import {
  FIRST_SINGLETON_ID,
  FIRST_USER_CONTAINER_ID,
  FIRST_USER_QNAME_ID,
  MAX_SINGLETON_ID,
  QNAME_CORRUPTED,
  QNAME_CUD,
  QNAME_ERROR,
  QNAME_ID_CORRUPTED,
  QNAME_ID_CUD,
  QNAME_ID_ERROR,
} from './consts.js';
import { readU16, readU64 } from './key-writer.js';
import { registryPk, SysPrefix } from './keys.js';

const utf8 = new TextDecoder();
const encodeUtf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/**
 * Numbers for names, persisted per application: QNames and container names get small IDs that keys
 * and encoded rows carry instead of text, and each singleton QName gets its fixed record ID. A
 * number once given is never reused, so stored data stays readable when names are added.
 */
export class NameRegistry {
  private readonly qnameIds = new Map<string, number>();
  private readonly qnames: string[] = [];
  private readonly containerIds = new Map<string, number>([['', 0]]);
  private readonly containers: string[] = [''];
  private readonly singletonIds = new Map<string, number>();

  private constructor() {
    for (const [name, id] of [
      [QNAME_ERROR, QNAME_ID_ERROR],
      [QNAME_CUD, QNAME_ID_CUD],
      [QNAME_CORRUPTED, QNAME_ID_CORRUPTED],
    ] as const) {
      this.setQName(name, id);
    }
  }

  /**
   * Loads the registry and numbers the names it does not have yet, in one batch. Names are
   * numbered in sorted order so that two fresh stores of the same application agree.
   */
  static async open(
    storage: KvStorage,
    names: { qnames: Iterable<string>; containers: Iterable<string>; singletons: Iterable<string> },
  ): Promise<NameRegistry> {
    const reg = new NameRegistry();
    const added: KvBatchItem[] = [];
    const qpk = registryPk(SysPrefix.QNames);
    for await (const { cc, value } of storage.read(qpk))
      reg.setQName(utf8.decode(cc), readU16(value, 0));
    // The hard-coded IDs are all below the first user ID, so the next free one is above both.
    let next = Math.max(FIRST_USER_QNAME_ID - 1, ...reg.qnameIds.values()) + 1;
    for (const name of [...new Set(names.qnames)].sort()) {
      if (reg.qnameIds.has(name)) continue;
      if (next > 0xffff) throw new Error('too many QNames: the registry holds at most 65535');
      reg.setQName(name, next);
      added.push({ pk: qpk, cc: encodeUtf8(name), value: u16(next) });
      next++;
    }

    const cpk = registryPk(SysPrefix.Containers);
    for await (const { cc, value } of storage.read(cpk))
      reg.setContainer(utf8.decode(cc), readU16(value, 0));
    let nextC = Math.max(FIRST_USER_CONTAINER_ID - 1, ...reg.containerIds.values()) + 1;
    for (const name of [...new Set(names.containers)].sort()) {
      if (reg.containerIds.has(name)) continue;
      reg.setContainer(name, nextC);
      added.push({ pk: cpk, cc: encodeUtf8(name), value: u16(nextC) });
      nextC++;
    }

    const spk = registryPk(SysPrefix.Singletons);
    for await (const { cc, value } of storage.read(spk))
      reg.singletonIds.set(utf8.decode(cc), readU64(value, 0));
    let nextS = Math.max(FIRST_SINGLETON_ID - 1, ...reg.singletonIds.values()) + 1;
    for (const name of [...new Set(names.singletons)].sort()) {
      if (reg.singletonIds.has(name)) continue;
      if (nextS > MAX_SINGLETON_ID)
        throw new Error('too many singletons: at most 512 per application');
      reg.singletonIds.set(name, nextS);
      const value = new Uint8Array(8);
      new DataView(value.buffer).setBigUint64(0, BigInt(nextS));
      added.push({ pk: spk, cc: encodeUtf8(name), value });
      nextS++;
    }
    if (added.length > 0) await storage.putBatch(added);
    return reg;
  }

  private setQName(name: string, id: number): void {
    this.qnameIds.set(name, id);
    this.qnames[id] = name;
  }

  private setContainer(name: string, id: number): void {
    this.containerIds.set(name, id);
    this.containers[id] = name;
  }

  qnameId(name: string): number {
    const id = this.qnameIds.get(name);
    if (id === undefined) throw new Error(`QName ${name} is not registered`);
    return id;
  }

  qname(id: number): string {
    const name = this.qnames[id];
    if (name === undefined) throw new Error(`QName ID ${id} is not registered`);
    return name;
  }

  containerId(name: string): number {
    const id = this.containerIds.get(name);
    if (id === undefined) throw new Error(`container ${name} is not registered`);
    return id;
  }

  container(id: number): string {
    const name = this.containers[id];
    if (name === undefined) throw new Error(`container ID ${id} is not registered`);
    return name;
  }

  /** The fixed record ID of a singleton QName, or undefined when the QName is not a singleton. */
  singletonId(qname: string): number | undefined {
    return this.singletonIds.get(qname);
  }
}

function u16(n: number): Uint8Array {
  return new Uint8Array([n >> 8, n & 0xff]);
}
