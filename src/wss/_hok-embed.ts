import { randomBytes } from 'node:crypto';
import { PasserelleError } from '../errors.ts';
import type { Credential } from '../pki/credential.ts';
import { SAML1 } from '../saml/constants.ts';
import { readAssertion } from '../saml/read-assertion.ts';
import { childElements, isNamed } from '../xml/dom.ts';
import { NS } from '../xml/namespaces.ts';
import type { Document, Element } from '../xml/node.ts';
import { parseXml } from '../xml/parse.ts';
import { locateEnvelope, securityHeadersFor } from './_envelope.ts';
import type { HokToken } from './hok-token.ts';

const PLACEHOLDER = 'passerelle-hok-assertion';

/** A unique, empty, namespace-less element that stands where the assertion will go. */
export function assertionPlaceholder(doc: Document): { element: Element; text: string } {
  const nonce = randomBytes(16).toString('hex');
  const element = doc.createElementNS(null, PLACEHOLDER);
  element.setAttribute('nonce', nonce);
  return { element, text: `<${PLACEHOLDER} nonce="${nonce}"/>` };
}

function embedError(message: string): never {
  throw new PasserelleError('ERR_SAML_INVALID', message, {
    hint: 'Request a new token from the STS (the cached one is unusable).',
  });
}

/**
 * Replaces the serialised placeholder by the assertion text, character for character: the one
 * deliberate string splice of the toolkit (PROTOCOLS.md §4: the assertion travels byte-exact).
 * The placeholder sits outside every signed element, so the signature computed on the DOM is
 * unaffected. The result is then re-parsed and checked: the Security header holds exactly the
 * assertion, the Signature and the Timestamp; the document holds exactly one assertion, with the
 * token's AssertionID, confirming `credential`'s certificate (else ERR_SAML_KEY_MISMATCH).
 */
export function embedAssertion(
  serialized: string,
  placeholder: string,
  token: HokToken,
  credential: Credential,
): string {
  const at = serialized.indexOf(placeholder);
  if (at < 0 || serialized.indexOf(placeholder, at + 1) >= 0)
    throw new TypeError('signHokEnvelope: the placeholder is not unique');
  const out = serialized.slice(0, at) + token.assertionXml + serialized.slice(at + placeholder.length);
  let doc: Document;
  try {
    doc = parseXml(out);
  } catch (cause) {
    return embedError(
      `The assertion text does not embed as one well-formed element (${(cause as { code?: string }).code ?? 'parse error'})`,
    );
  }
  const security = securityHeadersFor(locateEnvelope(doc).header)[0];
  const children = security ? childElements(security) : [];
  const assertions = doc.getElementsByTagNameNS(SAML1.ns, 'Assertion');
  if (assertions.length !== 1 || children.length < 3 || !isNamed(children.at(-3), SAML1.ns, 'Assertion')) {
    embedError('The assertion text is not exactly one SAML 1.1 Assertion element');
  }
  if (!isNamed(children.at(-2), NS.ds, 'Signature') || !isNamed(children.at(-1), NS.wsu, 'Timestamp')) {
    embedError('The assertion text does not embed as one element');
  }
  const info = readAssertion(children.at(-3)!);
  if (info.assertionId !== token.assertionId)
    embedError('The token AssertionID does not match its assertion');
  if (!info.confirmationCertificate.raw.equals(credential.certificate.raw)) {
    throw new PasserelleError(
      'ERR_SAML_KEY_MISMATCH',
      'The signing credential is not the holder-of-key the assertion confirms',
      {
        hint: 'Sign with the credential whose certificate was the UseKey of the token request (credentials.hok).',
      },
    );
  }
  return out;
}
