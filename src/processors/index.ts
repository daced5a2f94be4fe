// The processors context: partitions and group commit, command and query processing,
// projectors, jobs and notifications.
export type { CommandRequest, CommandResult } from './command/command-processor.js';
export { jsonValue } from './command/field-values.js';
export { type AppHost, Deployment } from './deployment.js';
export { Engine, type EngineOptions } from './engine.js';
export { NotificationBroker, type ProjectionKey } from './n10n/broker.js';
export { ProcessorError, toProcessorError } from './processor-error.js';
export {
  parseV1QueryParams,
  parseV2ReadParams,
  type QueryRequest,
  type ResultObject,
  type V2ReadParams,
} from './query/index.js';
