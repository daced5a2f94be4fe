// Typed persistence on the storage contract: events, records, view rows, name registries, BLOBs.

export { AppStructs, RECORDS_REGISTRY, recordsRegistryKey } from './app-structs.js';
export * from './blobs/index.js';
export * from './consts.js';
export { NameRegistry } from './name-registry.js';
export type {
  DbEvent,
  EventError,
  FieldValues,
  ObjectNode,
  RecordRow,
  RecordUpdate,
  ViewRow,
} from './types.js';
export { ViewKeyError } from './view-keys.js';
