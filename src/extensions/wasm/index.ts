// WASM extensions: a host for the reference's ABI (core.md §6), so that Voedger's TinyGo modules
// and modules built with our AssemblyScript SDK run as commands, queries, projectors and jobs.
export { HostAbi } from './host-abi.js';
export {
  FieldRow,
  type HostScalar,
  type HostState,
  type HostValue,
  type KeyBuilder,
  PlainValue,
  ReadMiss,
  type RowWriter,
} from './host-state.js';
export { PackageNames, SYS_PACKAGE_PATH } from './package-names.js';
export {
  ContextState,
  type GuestContext,
  ReadCache,
  runGuest,
  wasmExtensions,
} from './state/index.js';
export {
  MAX_RUNS,
  WASM_PAGE,
  WasmCallError,
  WasmModule,
  type WasmModuleOptions,
  type WasmStats,
} from './wasm-module.js';
