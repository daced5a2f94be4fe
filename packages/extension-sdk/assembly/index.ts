// @voedger-ts/extension-sdk: write voedger-ts extensions (commands, queries, projectors, jobs) in
// AssemblyScript. Each extension is an exported function `Name(): void` named as its VSQL entity;
// `vpm build` compiles the package's `wasm/index.ts` to `extensions.wasm` and adds the exports the
// host needs. See README.md.

export {
  appSecret,
  commandArgs,
  commandContext,
  commandUnloggedArgs,
  event,
  jobContext,
  LogLevel,
  log,
  newRecord,
  queryArgs,
  queryContext,
  queryRecord,
  record,
  result,
  Storage,
  updateRecord,
  viewKey,
} from './context';
export { panic } from './panic';
export {
  Intent,
  Key,
  KeyBuilder,
  keyBuilder,
  mustGetValue,
  newValue,
  QName,
  queryValue,
  readValues,
  readValuesWith,
  updateValue,
  Value,
} from './state';
