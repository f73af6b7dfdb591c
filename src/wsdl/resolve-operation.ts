import { PasserelleError } from '../errors.ts';
import { _selectRow } from './_select.ts';
import type { OperationSelector, ResolvedOperation, WsdlModel } from './types.ts';

/**
 * What a SOAP client needs to call `operation` (e.g. `soap call --wsdl FILE --operation OP`):
 * the port's address (undefined when the contract states none; an environment's endpoint
 * overrides it anyway), the SOAPAction, the SOAP version, the message security its policy asks
 * for and the Body's element.
 *
 * Throws ERR_WSDL_OPERATION_NOT_FOUND (the hint lists the operations), ERR_WSDL_PORT_NOT_FOUND,
 * ERR_WSDL_OPERATION_AMBIGUOUS (ports that differ, and no `port`), ERR_WSDL_UNSUPPORTED (no
 * single Body element: several body parts, or none).
 */
export function resolveOperation(
  model: WsdlModel,
  operation: string,
  selector: OperationSelector = {},
): ResolvedOperation {
  const { row } = _selectRow(model, operation, selector);
  if (row.inputElement === undefined) {
    throw new PasserelleError(
      'ERR_WSDL_UNSUPPORTED',
      `${operation} has no single request element in its Body`,
      {
        hint: 'Passerelle calls document/literal operations whose input is one element part (WS-I Basic Profile), and RPC/literal ones.',
        details: { operation },
      },
    );
  }
  return {
    operation: row.operation,
    service: row.service,
    port: row.port,
    address: row.address,
    soapAction: row.soapAction,
    soapVersion: row.soapVersion,
    security: row.policy.security,
    algorithmSuite: row.policy.algorithmSuite,
    inputElement: row.inputElement,
  };
}
