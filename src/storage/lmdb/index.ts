export { type LmdbStorageOptions, LmdbStorageProvider } from './lmdb-storage.js';
