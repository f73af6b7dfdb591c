export {
  type CallAttachment,
  type CallSecurity,
  type CallSoapInput,
  type CallSoapReplyAttachment,
  type CallSoapResult,
  callSoap,
  standaloneXml,
} from './call-soap.ts';
export * as cbss from './cbss/index.ts';
export { createServiceClients, type ServiceClients } from './create-service-clients.ts';
export * as ebox from './ebox/index.ts';
export * as ehealth from './ehealth/index.ts';
export * as mtom from './mtom/index.ts';
export { SERVICE_ELEMENTS, SERVICE_NS, SERVICE_PATHS, SOAP_ACTIONS } from './namespaces.ts';
export * as rest from './rest/index.ts';
export {
  type CreateServiceContextOptions,
  createServiceContext,
  type ReplySignaturePolicy,
  type ServiceContext,
} from './service-context.ts';
