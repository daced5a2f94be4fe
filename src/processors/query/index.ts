// The query processor's rows machinery: v1 body parameters and rows pipeline, v2 read parameters, read
// operators and view key building.

export { checkWorkspace, executeQuery, type QueryRequest } from './query-processor.js';
export { queryV1, queryV2, readCDocs, readDoc, readView, recordJson } from './reads.js';
export {
  parseV1QueryParams,
  type V1Element,
  type V1Filter,
  type V1FilterValue,
  type V1OrderBy,
  type V1QueryParams,
  type V1RefField,
} from './v1-params.js';
export { type EnrichRecord, type ResultObject, v1Rows } from './v1-rows.js';
export {
  type FieldPath,
  parseV2ReadParams,
  type V2OrderKey,
  type V2ParseOptions,
  type V2ReadParams,
  type WhereClause,
  type WhereValue,
} from './v2-params.js';
export {
  type IncludeRecord,
  type V2RowsOptions,
  type ViewKeyFilter,
  type ViewReadKeys,
  v2Rows,
  viewReadKeys,
} from './v2-rows.js';
