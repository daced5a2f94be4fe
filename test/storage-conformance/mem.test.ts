import { MemStorageProvider } from '../../src/storage/index.js';
import { describeStorageConformance } from './conformance.js';

describeStorageConformance('mem', {
  open: async (clock) => new MemStorageProvider({ clock }),
});
