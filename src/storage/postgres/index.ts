export { type PostgresStorageOptions, PostgresStorageProvider } from './postgres-storage.js';
