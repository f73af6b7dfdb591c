import { _rows } from './_rows.ts';
import type { WsdlModel, WsdlOperationRow } from './types.ts';

/**
 * The SOAP operations of a contract, one row per port that offers each (service, port, address,
 * binding, operation, SOAPAction, SOAP version, the request's Body element and the security its
 * policy asks for); a binding no port uses gives rows without port and address.
 */
export function listOperations(model: WsdlModel): WsdlOperationRow[] {
  return _rows(model).map((r) => r.row);
}
