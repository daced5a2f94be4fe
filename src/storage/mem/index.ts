export { type MemStorageOptions, MemStorageProvider } from './mem-storage.js';
