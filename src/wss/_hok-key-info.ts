import { PasserelleError } from '../errors.ts';
import { SAML_TOKEN } from '../saml/constants.ts';
import { attributeValue, childElements, isNamed, textOnly } from '../xml/dom.ts';
import { NS } from '../xml/namespaces.ts';
import type { Document, Element } from '../xml/node.ts';
import { declare, element } from '../xmldsig/dom-build.ts';

/**
 * The KeyInfo content of a holder-of-key signature (SAML token profile 1.1, PROTOCOLS.md §4):
 * wsse:SecurityTokenReference wsse11:TokenType="...#SAMLV1.1" wsu:Id, holding
 * wsse:KeyIdentifier ValueType="...#SAMLAssertionID" = the AssertionID.
 */
export function hokTokenReference(
  doc: Document,
  wsse: string,
  wsu: string,
  strId: string,
  assertionId: string,
): Element {
  const str = element(
    doc,
    NS.wsse,
    `${wsse}:SecurityTokenReference`,
    [
      [NS.wsse11, 'wsse11:TokenType', SAML_TOKEN.tokenTypeV11],
      [NS.wsu, `${wsu}:Id`, strId],
    ],
    [
      element(
        doc,
        NS.wsse,
        `${wsse}:KeyIdentifier`,
        [[null, 'ValueType', SAML_TOKEN.assertionIdValueType]],
        [assertionId],
      ),
    ],
  );
  declare(str, 'wsse11', NS.wsse11);
  return str;
}

const invalid = (message: string): never => {
  throw new PasserelleError('ERR_WSS_TOKEN_INVALID', message);
};

/**
 * The AssertionID a holder-of-key KeyInfo names: exactly one SecurityTokenReference (TokenType
 * SAMLV1.1 when given) holding exactly one KeyIdentifier of ValueType SAMLAssertionID (no
 * EncodingType other than none), text only. A direct wsse:Reference is refused (SAML 1.1 is
 * referenced by KeyIdentifier in this profile).
 */
export function readHokKeyIdentifier(keyInfo: Element | undefined): string {
  if (!keyInfo) return invalid('The signature has no KeyInfo');
  const strs = childElements(keyInfo);
  const [str] = strs;
  if (strs.length !== 1 || !isNamed(str, NS.wsse, 'SecurityTokenReference')) {
    return invalid('KeyInfo must hold exactly one wsse:SecurityTokenReference');
  }
  const tokenType = attributeValue(str, NS.wsse11, 'TokenType');
  if (tokenType !== undefined && tokenType !== SAML_TOKEN.tokenTypeV11)
    invalid('The token reference is not of TokenType SAMLV1.1');
  const ids = childElements(str);
  const [ki] = ids;
  if (ids.length !== 1 || !isNamed(ki, NS.wsse, 'KeyIdentifier')) {
    return invalid(
      'The SecurityTokenReference must hold exactly one wsse:KeyIdentifier naming the assertion',
    );
  }
  if (attributeValue(ki, null, 'ValueType') !== SAML_TOKEN.assertionIdValueType)
    invalid('The KeyIdentifier is not of ValueType SAMLAssertionID');
  if (attributeValue(ki, null, 'EncodingType') !== undefined)
    invalid('A SAMLAssertionID KeyIdentifier takes no EncodingType');
  const text = textOnly(ki)?.trim();
  if (!text) return invalid('The KeyIdentifier is empty or not text only');
  return text;
}
