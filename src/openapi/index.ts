export type * from './types.ts';
export { type LoadOpenApiOptions, loadOpenApi } from './load-open-api.ts';
export { findOperation } from './find-operation.ts';
export { type OperationMatch, matchOperation } from './match-operation.ts';
