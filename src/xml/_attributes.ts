import { Attr } from './_attr.ts';
import type { Document } from './_document.ts';
import { attributeList, type Element } from './_element.ts';
import { fail } from './_lexical.ts';
import { isQName } from './_names.ts';
import { lookup, type Scope } from './_scope.ts';
import { NS } from './namespaces.ts';

/** The attributes of the start tag being parsed, before their prefixes are resolved (reused). */
export class PendingAttributes {
  readonly names: string[] = [];
  readonly values: string[] = [];
  /** Offset of each attribute in the source, for error reports. */
  readonly offsets: number[] = [];
  /** Offset of the first colon in each name (-1: none). */
  readonly colons: number[] = [];
  count = 0;
}

/**
 * Attaches the pending attributes to `el`, resolving their prefixes in `scope` (its own
 * declarations included): an undeclared prefix, a name that is not a QName and two attributes with
 * the same namespace and local name are refused.
 */
export function attachAttributes(
  doc: Document,
  el: Element,
  pending: PendingAttributes,
  scope: Scope | null,
): void {
  const { names, values, offsets, colons } = pending;
  for (let i = 0; i < pending.count; i++) {
    const name = names[i]!;
    const colon = colons[i]!;
    if (colon < 0) {
      el.addAttribute(new Attr(doc, name === 'xmlns' ? NS.xmlns : null, null, name, name, values[i]!));
      continue;
    }
    const at = offsets[i]!;
    if (!isQName(name, colon)) fail('ERR_XML_MALFORMED', `"${name}" is not a qualified name`, at);
    const prefix = name.slice(0, colon);
    const local = name.slice(colon + 1);
    const uri = prefix === 'xmlns' ? NS.xmlns : lookup(scope, prefix);
    if (uri === undefined) fail('ERR_XML_MALFORMED', `the prefix "${prefix}" is not declared`, at);
    for (const other of attributeList(el)) {
      if (other.localName === local && other.namespaceURI === uri)
        fail('ERR_XML_MALFORMED', `attribute {${uri}}${local} is repeated`, at);
    }
    el.addAttribute(new Attr(doc, uri, prefix, local, name, values[i]!));
  }
}
