import { PasserelleError } from '../errors.ts';
import { _selectRow } from './_select.ts';
import { _Template } from './_template.ts';
import type { OperationSelector, WsdlModel } from './types.ts';

/**
 * The template of the Body content of one direction of `operation`: the part's element
 * (document/literal), or the RPC wrapper (the operation's name, `Response` appended for the
 * output) with one accessor per part.
 */
export function _bodyTemplate(
  model: WsdlModel,
  operation: string,
  selector: OperationSelector,
  direction: 'input' | 'output',
): string {
  const { op } = _selectRow(model, operation, selector);
  const message = op[direction];
  const what = direction === 'input' ? 'request' : 'response';
  if (message !== undefined && message.use === 'encoded') {
    throw new PasserelleError('ERR_WSDL_UNSUPPORTED', `${operation} uses SOAP encoding (use="encoded")`, {
      hint: 'Passerelle writes literal XML only; SOAP encoding is outside the WS-I Basic Profile.',
      details: { operation },
    });
  }
  if (message === undefined && direction === 'output') {
    throw new PasserelleError(
      'ERR_WSDL_UNSUPPORTED',
      `${operation} is a one-way operation: it has no response`,
      {
        hint: 'The contract declares no wsdl:output for this operation; the service answers with an empty HTTP 202.',
        details: { operation },
      },
    );
  }
  const template = new _Template(model.schemas);
  if (op.style === 'rpc' && message !== undefined) {
    const name = direction === 'input' ? op.name : `${op.name}Response`;
    return template.rpc({ ns: message.namespace ?? '', name }, message.bodyParts);
  }
  const parts = message?.bodyParts ?? [];
  const [part] = parts;
  if (parts.length !== 1 || part?.element === undefined) {
    throw new PasserelleError(
      'ERR_WSDL_UNSUPPORTED',
      `${operation}: the ${what} Body is ${parts.length === 1 ? 'a part typed, not an element' : `${parts.length} parts`}, not one element`,
      {
        hint: `Passerelle writes document/literal ${what}s whose ${direction} is one element part (WS-I Basic Profile).`,
        details: { operation, parts: parts.length },
      },
    );
  }
  return template.element(part.element);
}
