import { _bodyTemplate } from './_body-template.ts';
import type { OperationSelector, WsdlModel } from './types.ts';

/**
 * A sample of the SOAP Body content of `operation`'s response (what a service, such as the
 * sandbox, answers): the output part's element (document/literal), or the RPC/literal wrapper
 * `<operation>Response` with one accessor per part. Written as `requestTemplate` writes a request,
 * with the same comments and the same schema-valid values.
 *
 * Throws the errors of `resolveOperation`, ERR_WSDL_INVALID (an element or type no schema
 * declares), ERR_WSDL_UNSUPPORTED (SOAP encoding, a one-way operation, no single output element).
 */
export function responseTemplate(
  model: WsdlModel,
  operation: string,
  selector: OperationSelector = {},
): string {
  return _bodyTemplate(model, operation, selector, 'output');
}
