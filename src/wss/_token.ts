import type { X509Certificate } from 'node:crypto';
import { PasserelleError } from '../errors.ts';
import { attributeValue, childElements, isNamed, textOnly } from '../xml/dom.ts';
import { NS } from '../xml/namespaces.ts';
import type { Element } from '../xml/node.ts';
import { base64Content } from '../xmldsig/base64.ts';
import type { IdLookup } from '../xmldsig/ids.ts';
import { cachedCertificate, cachedCertificateOfText } from '../xmldsig/trust-cache.ts';
import { WSS_TOKEN } from './algorithms.ts';

export interface ResolvedToken {
  readonly bst: Element;
  readonly certificate: X509Certificate;
}

const invalid = (message: string): never => {
  throw new PasserelleError('ERR_WSS_TOKEN_INVALID', message);
};

/**
 * Resolves the X.509 token profile KeyInfo: exactly one wsse:SecurityTokenReference holding
 * exactly one wsse:Reference URI="#id" (ValueType X509v3 when present), which must name a
 * wsse:BinarySecurityToken that is a child of THE Security header (elsewhere: ERR_WSS_WRAPPING),
 * of ValueType X509v3 and Base64Binary encoding, holding one DER certificate.
 */
export function resolveX509Token(
  keyInfo: Element | undefined,
  security: Element,
  ids: IdLookup,
): ResolvedToken {
  if (!keyInfo) return invalid('The signature has no KeyInfo');
  const strs = childElements(keyInfo);
  const [str] = strs;
  if (strs.length !== 1 || !isNamed(str, NS.wsse, 'SecurityTokenReference')) {
    return invalid('KeyInfo must hold exactly one wsse:SecurityTokenReference');
  }
  const refs = childElements(str);
  const [ref] = refs;
  if (refs.length !== 1 || !isNamed(ref, NS.wsse, 'Reference')) {
    return invalid(
      'The SecurityTokenReference must hold exactly one wsse:Reference to a BinarySecurityToken',
    );
  }
  const valueType = attributeValue(ref, null, 'ValueType');
  if (valueType !== undefined && valueType !== WSS_TOKEN.x509v3)
    invalid('The token reference is not of ValueType X509v3');
  const uri = attributeValue(ref, null, 'URI') ?? '';
  const bst = uri.startsWith('#') ? ids.get(uri.slice(1)) : undefined;
  if (!uri.startsWith('#')) {
    throw new PasserelleError(
      'ERR_WSS_REFERENCE_INVALID',
      'The token reference must be a same-document "#id" reference',
      {
        details: { uri: uri.slice(0, 120) },
      },
    );
  }
  if (!bst) return invalid(`The referenced token "${uri.slice(1, 80)}" does not exist`);
  if (!isNamed(bst, NS.wsse, 'BinarySecurityToken'))
    return invalid('The token reference does not name a wsse:BinarySecurityToken');
  if (bst.parentNode !== security) {
    throw new PasserelleError(
      'ERR_WSS_WRAPPING',
      'The referenced BinarySecurityToken is not in the Security header',
      {
        details: { id: uri.slice(1, 80) },
      },
    );
  }
  if (attributeValue(bst, null, 'ValueType') !== WSS_TOKEN.x509v3)
    invalid('The BinarySecurityToken is not of ValueType X509v3');
  const encoding = attributeValue(bst, null, 'EncodingType');
  if (encoding !== undefined && encoding !== WSS_TOKEN.base64Binary)
    invalid('The BinarySecurityToken is not Base64Binary');
  const certificate = cachedCertificateOfText(textOnly(bst), () => {
    const der = base64Content(bst, 'BinarySecurityToken');
    try {
      return cachedCertificate(der);
    } catch (cause) {
      throw new PasserelleError(
        'ERR_WSS_TOKEN_INVALID',
        'The BinarySecurityToken does not hold an X.509 certificate',
        { cause },
      );
    }
  });
  return { bst, certificate };
}
