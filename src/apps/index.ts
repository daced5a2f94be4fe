// Applications: the built-in sys behaviour joined with an application's own extensions, run on
// the engine.
import { type BuiltinExtensions, mergeExtensions } from '../extensions/index.js';
import { Engine, type EngineOptions } from '../processors/index.js';
import { sysExtensions } from './sys/index.js';

export {
  authorizeBlobDownload,
  type BlobOwnerField,
  type BlobUpload,
  blobIdOfOwner,
  blobStoreOf,
  checkBlobOwnerField,
  isTempBlobTtl,
  openPersistentBlob,
  openTemporaryBlob,
  type TempBlobTtl,
  uploadPersistentBlob,
  uploadTemporaryBlob,
} from './sys/blob-transfer.js';
export { sysExtensions } from './sys/index.js';

export interface DeployOptions extends Omit<EngineOptions, 'extensions'> {
  /** The application's own built-in extensions. */
  readonly extensions?: BuiltinExtensions;
}

/** Starts an application with the sys package's behaviour and its own extensions. */
export async function deployApp(options: DeployOptions): Promise<Engine> {
  let engine: Engine | undefined;
  const sys = sysExtensions(options.app, {
    clock: options.clock ?? Date.now,
    runtime: () => {
      if (engine === undefined) throw new Error('the application is still starting');
      return {
        structs: engine.structs,
        partitions: engine.partitions.length,
        appQName: engine.appQName,
      };
    },
  });
  engine = await Engine.start({
    ...options,
    extensions: mergeExtensions(sys, options.extensions ?? {}),
  });
  return engine;
}
export { type AppPackage, AppPackageError, loadAppPackage } from './app-package.js';
