import { _bodyTemplate } from './_body-template.ts';
import type { OperationSelector, WsdlModel } from './types.ts';

/**
 * A skeleton of the SOAP Body content of `operation`'s request, generated from the contract's
 * schemas (document/literal: the input part's element; RPC/literal: the operation wrapper with
 * one accessor per part). Readable XML, indented, one `xmlns:` declaration per namespace on the
 * root (prefixes as the contract's documents write them, else `ns1`, `ns2`, ...); locally
 * declared elements of an `elementFormDefault="unqualified"` schema carry no prefix.
 *
 * Conventions: every element is written in sequence order, optional ones too; a comment before
 * an element says what its value does not show: `optional`, `repeatable (up to 5)`, the values
 * of an enumeration, patterns, lengths and ranges, optional attributes. A choice is a comment
 * `choice of one: A | (B, C?) | D` followed by its first alternative.
 *
 * The template is valid against the schemas as generated: every value satisfies its type's facets
 * (see the list below), required attributes carry such a value, an element or group whose
 * minOccurs is above 1 is written that many times (bounded), an abstract element is replaced by
 * the first member of its substitution group, an element of an abstract complex type names the
 * first concrete derived type with `xsi:type`, a required wildcard gets an element (for a strict
 * one, a global element of an allowed namespace; otherwise an empty `any` element), and a
 * nillable element of a type met again inside itself is `xsi:nil="true"`. Values: a fixed or
 * default value when the schema gives one; else the first enumeration value; numbers 0 (1, -1 for
 * positive and negative integers) moved into the range facets; `false`; `2025-01-31T12:00:00Z`
 * for dateTime (`2025-01-31` for date, ...); `AAAA` for base64Binary and `00` for hexBinary (sized
 * to the length facets); `id1`, `id2`, ... for IDs; `https://example.test/` for anyURI; a string
 * generated from the `pattern` facet when there is one (first alternatives, fewest repetitions,
 * stretched to the length facets); and `?` for unconstrained text (xs:string, token, ...:
 * visibly a placeholder, and valid), repeated to the minimum length.
 *
 * Not valid as generated (a comment says why): a required element of a type met again inside
 * itself that is not nillable, an abstract element or type with no concrete substitute, an
 * identity constraint (xs:unique, xs:key) broken by repeated copies, a block escape other than
 * the Latin, Greek and Cyrillic ones in a pattern, and nesting or size beyond the bounds.
 *
 * Throws the errors of `resolveOperation`, ERR_WSDL_INVALID (an element or type no schema
 * declares), ERR_WSDL_UNSUPPORTED (SOAP encoding, no single input element).
 */
export function requestTemplate(
  model: WsdlModel,
  operation: string,
  selector: OperationSelector = {},
): string {
  return _bodyTemplate(model, operation, selector, 'input');
}
