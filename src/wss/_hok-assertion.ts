import { PasserelleError } from '../errors.ts';
import { SAML1 } from '../saml/constants.ts';
import { childElements, isNamed } from '../xml/dom.ts';
import type { Element } from '../xml/node.ts';

/**
 * THE assertion of a holder-of-key message: the document must contain exactly one SAML 1.1
 * Assertion element anywhere (a second one, wherever hidden — in a ds:Object, an extension
 * element, inside another assertion — is how signature-wrapping attacks smuggle the signed
 * original: ERR_WSS_WRAPPING), and it must be a direct child of THE Security header.
 */
export function locateHokAssertion(security: Element): Element {
  const doc = security.ownerDocument!;
  const all = doc.getElementsByTagNameNS(SAML1.ns, 'Assertion');
  const direct = childElements(security).filter((c) => isNamed(c, SAML1.ns, 'Assertion'));
  if (all.length === 0) {
    throw new PasserelleError('ERR_SAML_INVALID', 'The Security header holds no SAML 1.1 assertion', {
      hint: 'Embed the assertion from the STS in wsse:Security.',
    });
  }
  if (all.length > 1) {
    throw new PasserelleError(
      'ERR_WSS_WRAPPING',
      `The message holds ${all.length} SAML assertions; exactly one is accepted (signature wrapping)`,
      {
        details: { assertions: all.length },
      },
    );
  }
  if (direct.length !== 1) {
    throw new PasserelleError(
      'ERR_WSS_WRAPPING',
      'The SAML assertion is not a child of the Security header (signature wrapping)',
    );
  }
  return direct[0]!;
}
