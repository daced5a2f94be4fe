// What the host ABI asks of the state behind it (core.md §4.10 seen from the guest): key builders
// for a storage and entity, values read by key, and intents written through value builders. The
// ABI owns the handles and the guest memory; an implementation of HostState owns the meaning.
//
// Everything here is synchronous because a guest call cannot wait: a state that must fetch data
// asynchronously throws {@link ReadMiss} and the caller runs the guest again once it has the data
// (see `state/`).

/** QNames inside the state are local (`pkg.Entity`); the ABI maps them to full package paths. */
export type LocalQName = string;

/** A field value as the state holds it; int64 fields are numbers, QNames local strings. */
export type HostScalar = string | number | bigint | boolean | Uint8Array;

/** Something the guest writes fields into: a key builder (kind 0) or an intent (kind 1). */
export interface RowWriter {
  put(name: string, value: HostScalar): void;
}

export interface KeyBuilder extends RowWriter {
  readonly storage: LocalQName;
  /** The entity (view, table, ...), or '' when the storage takes none. */
  readonly entity: LocalQName;
  readonly fields: Record<string, HostScalar>;
}

/**
 * A value the guest reads: an object with named fields, or an array (a container's records, an
 * event's CUDs) read by index. Getting a field that the value does not have gives undefined; the
 * ABI turns that into the zero value of the type asked for, as the reference's row readers do.
 */
export interface HostValue {
  field(name: string): unknown;
  readonly length: number;
  at(index: number): unknown;
}

/** A key builder (or intent) that keeps the fields put into it; `check` refuses unknown names. */
export class FieldRow implements KeyBuilder {
  readonly fields: Record<string, HostScalar> = {};
  constructor(
    readonly storage: LocalQName,
    readonly entity: LocalQName,
    private readonly check?: (name: string) => void,
  ) {}
  put(name: string, value: HostScalar): void {
    this.check?.(name);
    this.fields[name] = value;
  }
}

export interface HostState {
  /** A key builder; an unknown storage or entity is an error. */
  keyBuilder(storage: LocalQName, entity: LocalQName): KeyBuilder;
  /** The value under a key, or undefined when there is none. */
  get(kb: KeyBuilder): HostValue | undefined;
  /** Calls `each` for every row the key selects, in the storage's order. */
  read(kb: KeyBuilder, each: (key: HostValue, value: HostValue) => void): void;
  newValue(kb: KeyBuilder): RowWriter;
  updateValue(kb: KeyBuilder, existing: HostValue): RowWriter;
}

/**
 * Thrown by a state that needs data it does not hold yet; `load` fetches it. The guest call is
 * abandoned and run again once `load` resolves.
 */
export class ReadMiss {
  constructor(readonly load: () => Promise<void>) {}
}

/** A value over a plain object or array: records, view rows, argument objects, contexts. */
export class PlainValue implements HostValue {
  constructor(private readonly data: Readonly<Record<string, unknown>> | readonly unknown[]) {}

  field(name: string): unknown {
    return Array.isArray(this.data) ? undefined : (this.data as Record<string, unknown>)[name];
  }

  get length(): number {
    return Array.isArray(this.data) ? this.data.length : 0;
  }

  at(index: number): unknown {
    return Array.isArray(this.data) ? this.data[index] : undefined;
  }
}

/** A HostValue for a nested object or array found inside another value, or undefined. */
export function nestedValue(raw: unknown): HostValue | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (raw instanceof PlainValue) return raw;
  if (typeof raw === 'object' && !(raw instanceof Uint8Array))
    return new PlainValue(raw as Record<string, unknown>);
  return undefined;
}
