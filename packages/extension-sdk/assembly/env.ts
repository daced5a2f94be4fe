// The host functions of Voedger's WASM extension ABI. AssemblyScript imports a function declared
// in a file from the module named after that file, so this file being `env.ts` makes every
// declaration below an import from the host module `env`. Handles are opaque i64; strings and bytes
// go to the host as (pointer, length) pairs of UTF-8 bytes in guest memory and come back as an i64
// `(pointer << 32) | length` into a buffer the host obtained from the guest's `malloc`, valid only
// during the current call. SDK-internal: extensions use the typed API of `index.ts`.

export declare function hostGetKey(
  storagePtr: usize,
  storageLen: usize,
  entityPtr: usize,
  entityLen: usize,
): i64;
export declare function hostGetValue(keyBuilder: i64): i64;
export declare function hostQueryValue(keyBuilder: i64): i64;
export declare function hostReadValues(keyBuilder: i64): void;
export declare function hostNewValue(keyBuilder: i64): i64;
export declare function hostUpdateValue(keyBuilder: i64, existingValue: i64): i64;

export declare function hostRowWriterPutString(
  id: i64,
  kind: i32,
  namePtr: usize,
  nameLen: usize,
  valuePtr: usize,
  valueLen: usize,
): void;
export declare function hostRowWriterPutBytes(
  id: i64,
  kind: i32,
  namePtr: usize,
  nameLen: usize,
  valuePtr: usize,
  valueLen: usize,
): void;
export declare function hostRowWriterPutInt32(
  id: i64,
  kind: i32,
  namePtr: usize,
  nameLen: usize,
  value: i32,
): void;
export declare function hostRowWriterPutInt64(
  id: i64,
  kind: i32,
  namePtr: usize,
  nameLen: usize,
  value: i64,
): void;
export declare function hostRowWriterPutFloat32(
  id: i64,
  kind: i32,
  namePtr: usize,
  nameLen: usize,
  value: f32,
): void;
export declare function hostRowWriterPutFloat64(
  id: i64,
  kind: i32,
  namePtr: usize,
  nameLen: usize,
  value: f64,
): void;
export declare function hostRowWriterPutBool(
  id: i64,
  kind: i32,
  namePtr: usize,
  nameLen: usize,
  value: i32,
): void;
export declare function hostRowWriterPutQName(
  id: i64,
  kind: i32,
  namePtr: usize,
  nameLen: usize,
  pkgPtr: usize,
  pkgLen: usize,
  entityPtr: usize,
  entityLen: usize,
): void;

export declare function hostKeyAsString(key: i64, namePtr: usize, nameLen: usize): i64;
export declare function hostKeyAsBytes(key: i64, namePtr: usize, nameLen: usize): i64;
export declare function hostKeyAsQNamePkg(key: i64, namePtr: usize, nameLen: usize): i64;
export declare function hostKeyAsQNameEntity(key: i64, namePtr: usize, nameLen: usize): i64;
export declare function hostKeyAsInt32(key: i64, namePtr: usize, nameLen: usize): i32;
export declare function hostKeyAsInt64(key: i64, namePtr: usize, nameLen: usize): i64;
export declare function hostKeyAsFloat32(key: i64, namePtr: usize, nameLen: usize): f32;
export declare function hostKeyAsFloat64(key: i64, namePtr: usize, nameLen: usize): f64;
export declare function hostKeyAsBool(key: i64, namePtr: usize, nameLen: usize): i64;

export declare function hostValueAsString(value: i64, namePtr: usize, nameLen: usize): i64;
export declare function hostValueAsBytes(value: i64, namePtr: usize, nameLen: usize): i64;
export declare function hostValueAsQNamePkg(value: i64, namePtr: usize, nameLen: usize): i64;
export declare function hostValueAsQNameEntity(value: i64, namePtr: usize, nameLen: usize): i64;
export declare function hostValueAsInt32(value: i64, namePtr: usize, nameLen: usize): i32;
export declare function hostValueAsInt64(value: i64, namePtr: usize, nameLen: usize): i64;
export declare function hostValueAsFloat32(value: i64, namePtr: usize, nameLen: usize): f32;
export declare function hostValueAsFloat64(value: i64, namePtr: usize, nameLen: usize): f64;
export declare function hostValueAsBool(value: i64, namePtr: usize, nameLen: usize): i64;
export declare function hostValueAsValue(value: i64, namePtr: usize, nameLen: usize): i64;

export declare function hostValueLength(value: i64): i32;
export declare function hostValueGetAsString(value: i64, index: i32): i64;
export declare function hostValueGetAsBytes(value: i64, index: i32): i64;
export declare function hostValueGetAsQNamePkg(value: i64, index: i32): i64;
export declare function hostValueGetAsQNameEntity(value: i64, index: i32): i64;
export declare function hostValueGetAsInt32(value: i64, index: i32): i32;
export declare function hostValueGetAsInt64(value: i64, index: i32): i64;
export declare function hostValueGetAsFloat32(value: i64, index: i32): f32;
export declare function hostValueGetAsFloat64(value: i64, index: i32): f64;
export declare function hostValueGetAsBool(value: i64, index: i32): i64;
export declare function hostValueGetAsValue(value: i64, index: i32): i64;
