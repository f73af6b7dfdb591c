import { PasserelleError } from '../errors.ts';
import { attributeValue, textOnly } from '../xml/dom.ts';
import type { Element } from '../xml/node.ts';

/** ERR_SAML_INVALID with a message built from names only (never assertion content). */
export function samlInvalid(message: string): never {
  throw new PasserelleError('ERR_SAML_INVALID', message, {
    hint: 'The SAML assertion does not have the SAML 1.1 shape the eHealth STS issues.',
  });
}

/** A required unqualified attribute. */
export function requiredAttribute(el: Element, name: string): string {
  const v = attributeValue(el, null, name);
  if (v === undefined || v === '') samlInvalid(`${el.localName} has no ${name}`);
  return v;
}

/** The text of an element that must hold text only (no comment, no element), trimmed. */
export function textOf(el: Element): string {
  const t = textOnly(el);
  if (t === undefined) samlInvalid(`${el.localName} must contain text only`);
  return t.trim();
}
