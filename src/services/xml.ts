import { PasserelleError } from '../errors.ts';
import { childElements, textOnly } from '../xml/dom.ts';
import { NS } from '../xml/namespaces.ts';
import type { Document, Element } from '../xml/node.ts';

/** An element with text content, built on the DOM (never spliced as a string). */
export function _textElement(doc: Document, ns: string | null, qname: string, text: string): Element {
  const el = doc.createElementNS(ns, qname);
  el.appendChild(doc.createTextNode(text));
  return el;
}

/** Declares `prefix` → `uri` on `el` so that every serialiser writes the declaration. */
export function _declare(el: Element, prefix: string, uri: string): Element {
  el.setAttributeNS(NS.xmlns, `xmlns:${prefix}`, uri);
  return el;
}

function _unexpected(what: string): PasserelleError {
  return new PasserelleError(
    'ERR_SOAP_UNEXPECTED_RESPONSE',
    `The reply does not have the expected shape: ${what}`,
    {
      hint: 'The endpoint may serve another service or version; check the endpoint URL.',
    },
  );
}

/** The single element child of the Body, which must be `{ns}local`. */
export function _payload(body: Element, ns: string, local: string): Element {
  const children = childElements(body);
  const [first] = children;
  if (
    children.length !== 1 ||
    first === undefined ||
    first.namespaceURI !== ns ||
    first.localName !== local
  ) {
    throw _unexpected(`expected one {${ns}}${local} in the Body`);
  }
  return first;
}

/** The text of the one child `{ns}local` (ns null: unqualified); undefined when absent. */
export function _optionalText(parent: Element, ns: string | null, local: string): string | undefined {
  const found = childElements(parent, ns ?? undefined, local);
  if (found.length === 0) return undefined;
  const [el] = found;
  const text = found.length === 1 && el !== undefined ? textOnly(el) : undefined;
  if (text === undefined) throw _unexpected(`${local} must occur once and hold text only`);
  return text;
}

/** Like `_optionalText`, but the child is required. */
export function _requiredText(parent: Element, ns: string | null, local: string): string {
  const text = _optionalText(parent, ns, local);
  if (text === undefined) throw _unexpected(`${local} is missing`);
  return text;
}
