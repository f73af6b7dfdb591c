export { type BuildRequestInput, buildRequest } from './build-request.ts';
export { type ContractValidator, createContractValidator } from './create-contract-validator.ts';
export { findOperation } from './find-operation.ts';
export { type LoadOpenApiOptions, loadOpenApi } from './load-open-api.ts';
export { matchOperation, type OperationMatch } from './match-operation.ts';
export { type RequestTemplate, requestTemplate } from './request-template.ts';
export { sampleResponse } from './sample-response.ts';
export { sampleValue } from './sample-value.ts';
export type * from './types.ts';
