export { DEFAULT_WSDL_LIMITS, type WsdlReadLimits } from './_loader.ts';
export {
  createXsdValidator,
  type XsdValidationError,
  type XsdValidationResult,
  type XsdValidator,
  type XsdValidatorOptions,
} from './create-xsd-validator.ts';
export { listOperations } from './list-operations.ts';
export { type ReadWsdlOptions, readWsdl } from './read-wsdl.ts';
export { requestTemplate } from './request-template.ts';
export { resolveOperation } from './resolve-operation.ts';
export { responseTemplate } from './response-template.ts';
export type { SchemaComponent, SchemaDocument, SchemaSet } from './schema-set.ts';
export { serializePayload } from './serialize-payload.ts';
export type {
  OperationSelector,
  QName,
  ResolvedOperation,
  SoapVersion,
  WsdlBinding,
  WsdlBindingOperation,
  WsdlBoundMessage,
  WsdlMessage,
  WsdlModel,
  WsdlOperationRow,
  WsdlPart,
  WsdlPolicy,
  WsdlPort,
  WsdlPortType,
  WsdlPortTypeOperation,
  WsdlSecurity,
  WsdlService,
} from './types.ts';
