export { type Console, runServer } from './server.js';
export { type ServerOptions, serverOptions, storageConfigOf } from './server-options.js';
