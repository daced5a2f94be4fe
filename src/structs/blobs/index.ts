// BLOBs on the storage contract: keys, the chunked store, and its errors.
export { type BlobKey, isSuuidText, MAX_SUUID_LENGTH, newSuuid } from './blob-keys.js';
export {
  BlobCorruptedError,
  type BlobDescription,
  BlobExistsError,
  type BlobState,
  type BlobStatus,
  BlobStore,
  type BlobStoreOptions,
  BlobTooLargeError,
  type BlobWriteOptions,
  DEFAULT_BLOB_CHUNK_SIZE,
  type StoredBlob,
} from './blob-store.js';
