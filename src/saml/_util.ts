import { PasserelleError } from '../errors.ts';
import { attributeValue, textOnly } from '../xml/dom.ts';
import type { Element } from '../xml/node.ts';

/** ERR_SAML_INVALID with a message built from names only (never assertion content). */
export function samlInvalid(message: string): never {
  throw new PasserelleError('ERR_SAML_INVALID', message, {
    hint: 'The SAML assertion does not have the SAML 1.1 shape the eHealth STS issues.',
  });
}

const UTC_DATETIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?Z$/;

/** An xsd:dateTime in UTC with a literal Z (SAML 1.1 §1.3.3), as ms since the epoch. */
export function samlInstant(value: string | undefined, what: string): number {
  const m = value === undefined ? null : UTC_DATETIME.exec(value);
  const ms = m ? Date.parse(`${m[1]}${(m[2] ?? '.000').padEnd(4, '0').slice(0, 4)}Z`) : Number.NaN;
  if (!Number.isFinite(ms)) samlInvalid(`${what} is not a UTC date-time`);
  return ms;
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
