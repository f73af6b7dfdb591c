import { PasserelleError } from '../errors.ts';
import { _selectRow } from './_select.ts';
import { _Template } from './_template.ts';
import type { OperationSelector, WsdlModel } from './types.ts';

/**
 * A skeleton of the SOAP Body content of `operation`'s request, generated from the contract's
 * schemas (document/literal: the input part's element; RPC/literal: the operation wrapper with
 * one accessor per part). Readable XML, indented, one `xmlns:` declaration per namespace on the
 * root (prefixes as the contract's documents write them, else `ns1`, `ns2`, ...); locally
 * declared elements of an `elementFormDefault="unqualified"` schema carry no prefix.
 *
 * Conventions: every element is written in sequence order, optional ones too; a comment before
 * an element says what the placeholder does not show: `optional`, `repeatable (up to 5)`, the
 * values of an enumeration (the first is the placeholder), patterns, lengths and ranges, optional
 * attributes. A choice is a comment `choice of one: A | (B, C?) | D` followed by its first
 * alternative. Placeholders: `?` for text, 0 for numbers (or the lower bound), `false`,
 * `2025-01-31T12:00:00Z` for dateTime (`2025-01-31` for date, ...), nothing for base64Binary;
 * a fixed or default value when the schema gives one. Required attributes are written with a
 * placeholder. A type met again inside itself is not expanded a second time (a comment says
 * so), and nesting and size are bounded.
 *
 * Throws the errors of `resolveOperation`, ERR_WSDL_INVALID (an element or type no schema
 * declares), ERR_WSDL_UNSUPPORTED (SOAP encoding, no single input element).
 */
export function requestTemplate(
  model: WsdlModel,
  operation: string,
  selector: OperationSelector = {},
): string {
  const { op } = _selectRow(model, operation, selector);
  const input = op.input;
  if (input !== undefined && input.use === 'encoded') {
    throw new PasserelleError('ERR_WSDL_UNSUPPORTED', `${operation} uses SOAP encoding (use="encoded")`, {
      hint: 'Passerelle writes literal XML only; SOAP encoding is outside the WS-I Basic Profile.',
      details: { operation },
    });
  }
  const template = new _Template(model.schemas);
  if (op.style === 'rpc' && input !== undefined)
    return template.rpc({ ns: input.namespace ?? '', name: op.name }, input.bodyParts);
  const parts = input?.bodyParts ?? [];
  const [part] = parts;
  if (parts.length !== 1 || part?.element === undefined) {
    throw new PasserelleError(
      'ERR_WSDL_UNSUPPORTED',
      `${operation}: the request Body is ${parts.length === 1 ? 'a part typed, not an element' : `${parts.length} parts`}, not one element`,
      {
        hint: 'Passerelle writes document/literal requests whose input is one element part (WS-I Basic Profile).',
        details: { operation, parts: parts.length },
      },
    );
  }
  return template.element(part.element);
}
