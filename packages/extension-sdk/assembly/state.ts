// The state API: key builders, values, keys, intents, and the calls that read and write storages.
// Handles are opaque i64 numbers the host gives out for one call: keep none across calls.

import {
  hostGetKey,
  hostGetValue,
  hostKeyAsBool,
  hostKeyAsBytes,
  hostKeyAsFloat32,
  hostKeyAsFloat64,
  hostKeyAsInt32,
  hostKeyAsInt64,
  hostKeyAsQNameEntity,
  hostKeyAsQNamePkg,
  hostKeyAsString,
  hostNewValue,
  hostQueryValue,
  hostReadValues,
  hostRowWriterPutBool,
  hostRowWriterPutBytes,
  hostRowWriterPutFloat32,
  hostRowWriterPutFloat64,
  hostRowWriterPutInt32,
  hostRowWriterPutInt64,
  hostRowWriterPutQName,
  hostRowWriterPutString,
  hostUpdateValue,
  hostValueAsBool,
  hostValueAsBytes,
  hostValueAsFloat32,
  hostValueAsFloat64,
  hostValueAsInt32,
  hostValueAsInt64,
  hostValueAsQNameEntity,
  hostValueAsQNamePkg,
  hostValueAsString,
  hostValueAsValue,
  hostValueGetAsBool,
  hostValueGetAsBytes,
  hostValueGetAsFloat32,
  hostValueGetAsFloat64,
  hostValueGetAsInt32,
  hostValueGetAsInt64,
  hostValueGetAsQNameEntity,
  hostValueGetAsQNamePkg,
  hostValueGetAsString,
  hostValueGetAsValue,
  hostValueLength,
} from './env';
import { panic } from './panic';
import { begin, end, hostBytes, hostString, len, name, ptr, put } from './text';

/** What the row writer functions are told the handle is. */
const KIND_KEY_BUILDER: i32 = 0;
const KIND_INTENT: i32 = 1;

/** hostQueryValue's answer when there is no value. */
const NO_VALUE: i64 = -1;

/** A qualified name: the full package path (`github.com/me/app`) and the entity (`Order`). */
export class QName {
  pkg: string;
  entity: string;

  constructor(pkg: string, entity: string) {
    this.pkg = pkg;
    this.entity = entity;
  }

  /** Splits `pkg.Entity` (a full package path or a local package name) at its last '.'. */
  static parse(qname: string): QName {
    const dot = qname.lastIndexOf('.');
    if (dot < 0) return new QName('', qname);
    return new QName(qname.substring(0, dot), qname.substring(dot + 1));
  }

  /** `pkg.Entity`. */
  toString(): string {
    return this.pkg.length === 0 ? this.entity : `${this.pkg}.${this.entity}`;
  }
}

// ---- row writers: key builders and intents share the host functions, told apart by `kind` ----

function putString(id: i64, kind: i32, field: string, value: string): void {
  begin(field.length + value.length);
  const n = put(field);
  const v = put(value);
  hostRowWriterPutString(id, kind, ptr(n), len(n), ptr(v), len(v));
  end();
}

function putBytes(id: i64, kind: i32, field: string, value: Uint8Array): void {
  const n = name(field);
  hostRowWriterPutBytes(id, kind, ptr(n), len(n), value.dataStart, <usize>value.length);
}

function putInt32(id: i64, kind: i32, field: string, value: i32): void {
  const n = name(field);
  hostRowWriterPutInt32(id, kind, ptr(n), len(n), value);
}

function putInt64(id: i64, kind: i32, field: string, value: i64): void {
  const n = name(field);
  hostRowWriterPutInt64(id, kind, ptr(n), len(n), value);
}

function putFloat32(id: i64, kind: i32, field: string, value: f32): void {
  const n = name(field);
  hostRowWriterPutFloat32(id, kind, ptr(n), len(n), value);
}

function putFloat64(id: i64, kind: i32, field: string, value: f64): void {
  const n = name(field);
  hostRowWriterPutFloat64(id, kind, ptr(n), len(n), value);
}

function putBool(id: i64, kind: i32, field: string, value: bool): void {
  const n = name(field);
  hostRowWriterPutBool(id, kind, ptr(n), len(n), value ? 1 : 0);
}

function putQName(id: i64, kind: i32, field: string, value: QName): void {
  begin(field.length + value.pkg.length + value.entity.length);
  const n = put(field);
  const p = put(value.pkg);
  const e = put(value.entity);
  hostRowWriterPutQName(id, kind, ptr(n), len(n), ptr(p), len(p), ptr(e), len(e));
}

/**
 * The key of a storage row being built: which record, view row, secret, … to read or write.
 * Every put returns the builder, so puts chain.
 */
export class KeyBuilder {
  readonly handle: i64;

  constructor(handle: i64) {
    this.handle = handle;
  }

  putString(field: string, value: string): KeyBuilder {
    putString(this.handle, KIND_KEY_BUILDER, field, value);
    return this;
  }

  putBytes(field: string, value: Uint8Array): KeyBuilder {
    putBytes(this.handle, KIND_KEY_BUILDER, field, value);
    return this;
  }

  putInt32(field: string, value: i32): KeyBuilder {
    putInt32(this.handle, KIND_KEY_BUILDER, field, value);
    return this;
  }

  /** Also for record IDs. */
  putInt64(field: string, value: i64): KeyBuilder {
    putInt64(this.handle, KIND_KEY_BUILDER, field, value);
    return this;
  }

  putFloat32(field: string, value: f32): KeyBuilder {
    putFloat32(this.handle, KIND_KEY_BUILDER, field, value);
    return this;
  }

  putFloat64(field: string, value: f64): KeyBuilder {
    putFloat64(this.handle, KIND_KEY_BUILDER, field, value);
    return this;
  }

  putBool(field: string, value: bool): KeyBuilder {
    putBool(this.handle, KIND_KEY_BUILDER, field, value);
    return this;
  }

  putQName(field: string, value: QName): KeyBuilder {
    putQName(this.handle, KIND_KEY_BUILDER, field, value);
    return this;
  }
}

/** A value to be written (a new or changed record, view row, result, log line, mail…). */
export class Intent {
  readonly handle: i64;

  constructor(handle: i64) {
    this.handle = handle;
  }

  putString(field: string, value: string): Intent {
    putString(this.handle, KIND_INTENT, field, value);
    return this;
  }

  putBytes(field: string, value: Uint8Array): Intent {
    putBytes(this.handle, KIND_INTENT, field, value);
    return this;
  }

  putInt32(field: string, value: i32): Intent {
    putInt32(this.handle, KIND_INTENT, field, value);
    return this;
  }

  /** Also for record IDs. */
  putInt64(field: string, value: i64): Intent {
    putInt64(this.handle, KIND_INTENT, field, value);
    return this;
  }

  putFloat32(field: string, value: f32): Intent {
    putFloat32(this.handle, KIND_INTENT, field, value);
    return this;
  }

  putFloat64(field: string, value: f64): Intent {
    putFloat64(this.handle, KIND_INTENT, field, value);
    return this;
  }

  putBool(field: string, value: bool): Intent {
    putBool(this.handle, KIND_INTENT, field, value);
    return this;
  }

  putQName(field: string, value: QName): Intent {
    putQName(this.handle, KIND_INTENT, field, value);
    return this;
  }
}

/** The key of a row that `readValues` found. Valid only inside the callback. */
export class Key {
  readonly handle: i64;

  constructor(handle: i64) {
    this.handle = handle;
  }

  asString(field: string): string {
    const n = name(field);
    return hostString(hostKeyAsString(this.handle, ptr(n), len(n)));
  }

  asBytes(field: string): Uint8Array {
    const n = name(field);
    return hostBytes(hostKeyAsBytes(this.handle, ptr(n), len(n)));
  }

  asInt32(field: string): i32 {
    const n = name(field);
    return hostKeyAsInt32(this.handle, ptr(n), len(n));
  }

  asInt64(field: string): i64 {
    const n = name(field);
    return hostKeyAsInt64(this.handle, ptr(n), len(n));
  }

  asFloat32(field: string): f32 {
    const n = name(field);
    return hostKeyAsFloat32(this.handle, ptr(n), len(n));
  }

  asFloat64(field: string): f64 {
    const n = name(field);
    return hostKeyAsFloat64(this.handle, ptr(n), len(n));
  }

  asBool(field: string): bool {
    const n = name(field);
    return hostKeyAsBool(this.handle, ptr(n), len(n)) !== 0;
  }

  asQName(field: string): QName {
    const n = name(field);
    const pkg = hostString(hostKeyAsQNamePkg(this.handle, ptr(n), len(n)));
    const m = name(field);
    return new QName(pkg, hostString(hostKeyAsQNameEntity(this.handle, ptr(m), len(m))));
  }
}

/**
 * A value read from a storage: a record, a view row, a context, an event, … Fields by name; a
 * value that is an array (a nested table, the CUDs of an event) by index with `length()` and the
 * `getAs…` methods. Valid during the current call (inside `readValues`, during the callback).
 */
export class Value {
  readonly handle: i64;

  constructor(handle: i64) {
    this.handle = handle;
  }

  asString(field: string): string {
    const n = name(field);
    return hostString(hostValueAsString(this.handle, ptr(n), len(n)));
  }

  asBytes(field: string): Uint8Array {
    const n = name(field);
    return hostBytes(hostValueAsBytes(this.handle, ptr(n), len(n)));
  }

  asInt32(field: string): i32 {
    const n = name(field);
    return hostValueAsInt32(this.handle, ptr(n), len(n));
  }

  asInt64(field: string): i64 {
    const n = name(field);
    return hostValueAsInt64(this.handle, ptr(n), len(n));
  }

  asFloat32(field: string): f32 {
    const n = name(field);
    return hostValueAsFloat32(this.handle, ptr(n), len(n));
  }

  asFloat64(field: string): f64 {
    const n = name(field);
    return hostValueAsFloat64(this.handle, ptr(n), len(n));
  }

  asBool(field: string): bool {
    const n = name(field);
    return hostValueAsBool(this.handle, ptr(n), len(n)) !== 0;
  }

  asQName(field: string): QName {
    const n = name(field);
    const pkg = hostString(hostValueAsQNamePkg(this.handle, ptr(n), len(n)));
    const m = name(field);
    return new QName(pkg, hostString(hostValueAsQNameEntity(this.handle, ptr(m), len(m))));
  }

  /** A nested object, or the array value of a nested table (container) or list field. */
  asValue(field: string): Value {
    const n = name(field);
    return new Value(hostValueAsValue(this.handle, ptr(n), len(n)));
  }

  /** The number of elements of an array value. */
  length(): i32 {
    return hostValueLength(this.handle);
  }

  getAsString(index: i32): string {
    return hostString(hostValueGetAsString(this.handle, index));
  }

  getAsBytes(index: i32): Uint8Array {
    return hostBytes(hostValueGetAsBytes(this.handle, index));
  }

  getAsInt32(index: i32): i32 {
    return hostValueGetAsInt32(this.handle, index);
  }

  getAsInt64(index: i32): i64 {
    return hostValueGetAsInt64(this.handle, index);
  }

  getAsFloat32(index: i32): f32 {
    return hostValueGetAsFloat32(this.handle, index);
  }

  getAsFloat64(index: i32): f64 {
    return hostValueGetAsFloat64(this.handle, index);
  }

  getAsBool(index: i32): bool {
    return hostValueGetAsBool(this.handle, index) !== 0;
  }

  getAsQName(index: i32): QName {
    const pkg = hostString(hostValueGetAsQNamePkg(this.handle, index));
    return new QName(pkg, hostString(hostValueGetAsQNameEntity(this.handle, index)));
  }

  /** An element that is an object (a row of a nested table, a CUD of an event). */
  getAsValue(index: i32): Value {
    return new Value(hostValueGetAsValue(this.handle, index));
  }
}

// ---- reading and writing ----

/**
 * A key builder for `storage` (a `Storage` constant such as `Storage.View`) and, where the storage
 * needs one, `entity`: the view, table or singleton as `pkg.Entity`, with the package's full path
 * (`github.com/me/app.DailySales`) or its local name (`orders.DailySales`). Put the key's fields
 * on it, then read with `mustGetValue`/`queryValue`/`readValues` or write with `newValue`/`updateValue`.
 */
export function keyBuilder(storage: string, entity: string = ''): KeyBuilder {
  begin(storage.length + entity.length);
  const s = put(storage);
  const e = put(entity);
  return new KeyBuilder(hostGetKey(ptr(s), len(s), ptr(e), len(e)));
}

/** The value of a key that must exist (the host fails the call if it does not). */
export function mustGetValue(key: KeyBuilder): Value {
  return new Value(hostGetValue(key.handle));
}

/** The value of a key, or null when there is none. */
export function queryValue(key: KeyBuilder): Value | null {
  const v = hostQueryValue(key.handle);
  return v === NO_VALUE ? null : new Value(v);
}

/** An intent to create the value of `key` (a record, a view row, a result, a log line…). */
export function newValue(key: KeyBuilder): Intent {
  return new Intent(hostNewValue(key.handle));
}

/** An intent to change `existing`, the current value of `key`: put only the fields that change. */
export function updateValue(key: KeyBuilder, existing: Value): Intent {
  return new Intent(hostUpdateValue(key.handle, existing.handle));
}

// readValues: the host calls the guest's `WasmOnReadValue(key, value)` export for each row while
// `hostReadValues` runs. AssemblyScript closures cannot capture local variables, so the user's
// callback is a plain function; a per-call state goes through `readValuesWith`'s context argument.
// The callback (and context) are kept in globals for the duration of the host call, saved and
// restored around it so a callback may itself call readValues.

let onRow: (key: i64, value: i64) => void = rowOutsideRead;
let rowCallback: usize = 0;
let rowContext: usize = 0;

function rowOutsideRead(_key: i64, _value: i64): void {
  panic('WasmOnReadValue called outside readValues');
}

/** Forgets the reads a trapped call left in progress. SDK-internal. */
export function resetReads(): void {
  onRow = rowOutsideRead;
  rowCallback = 0;
  rowContext = 0;
}

/** Called by the `WasmOnReadValue` export. SDK-internal. */
export function dispatchRow(key: i64, value: i64): void {
  onRow(key, value);
}

/**
 * Reads the rows of `key` (for a view: the partition key fields, and optionally leading clustering
 * fields) and calls `callback` for each. The key and value are valid only during the callback. The
 * callback cannot capture local variables (an AssemblyScript limit): use globals, or
 * `readValuesWith` to pass it an object.
 */
export function readValues(key: KeyBuilder, callback: (key: Key, value: Value) => void): void {
  const savedOnRow = onRow;
  const savedCallback = rowCallback;
  rowCallback = changetype<usize>(callback);
  onRow = (k: i64, v: i64): void => {
    changetype<(key: Key, value: Value) => void>(rowCallback)(new Key(k), new Value(v));
  };
  hostReadValues(key.handle);
  onRow = savedOnRow;
  rowCallback = savedCallback;
}

/**
 * `readValues` with a context object handed to every callback, which is how a callback reaches
 * the state of the call that reads (a total to add to, a list to fill):
 *
 *     class Sum { amount: i64 = 0 }
 *     const sum = new Sum();
 *     readValuesWith(kb, sum, (key: Key, value: Value, sum: Sum): void => {
 *       sum.amount += value.asInt64('Amount');
 *     });
 */
export function readValuesWith<T>(
  key: KeyBuilder,
  context: T,
  callback: (key: Key, value: Value, context: T) => void,
): void {
  const savedOnRow = onRow;
  const savedCallback = rowCallback;
  const savedContext = rowContext;
  rowCallback = changetype<usize>(callback);
  rowContext = changetype<usize>(context);
  onRow = (k: i64, v: i64): void => {
    changetype<(key: Key, value: Value, context: T) => void>(rowCallback)(
      new Key(k),
      new Value(v),
      changetype<T>(rowContext),
    );
  };
  hostReadValues(key.handle);
  onRow = savedOnRow;
  rowCallback = savedCallback;
  rowContext = savedContext;
}
