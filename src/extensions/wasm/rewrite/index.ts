// The rewrite of guest WebAssembly modules that the WASM extension host runs before compiling
// them: a memory cap, loop metering (so a guest can be stopped from the host's thread) and the
// shadow-stack pointer's export.
export { METER } from './metering.js';
export { WasmRewriteError } from './rewrite-error.js';
export { type RewriteOptions, type RewrittenModule, rewriteModule } from './rewrite-module.js';
