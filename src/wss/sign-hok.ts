import { systemClock } from '../clock.ts';
import { PasserelleError } from '../errors.ts';
import type { Credential } from '../pki/credential.ts';
import { checkCredentialValidity } from '../pki/credential-validity.ts';
import { attributeValue, childElements } from '../xml/dom.ts';
import { NS } from '../xml/namespaces.ts';
import type { Element } from '../xml/node.ts';
import { parseXml } from '../xml/parse.ts';
import { serializeXml } from '../xml/serialize.ts';
import { bindPrefix, declare, element } from '../xmldsig/dom-build.ts';
import { collectIds, NCNAME } from '../xmldsig/ids.ts';
import { fillSignature } from '../xmldsig/sign-core.ts';
import { _ensureHeader, locateEnvelope, securityHeadersFor } from './_envelope.ts';
import { assertionPlaceholder, embedAssertion } from './_hok-embed.ts';
import { hokTokenReference } from './_hok-key-info.ts';
import { _idAllocator } from './_ids.ts';
import { inclusivePrefixesFor } from './_inclusive-prefixes.ts';
import { _checkSigningOptions, type MessageSigningOptions } from './_options.ts';
import { signatureSkeleton } from './_signature-skeleton.ts';
import { ALG } from './algorithms.ts';
import type { HokToken } from './hok-token.ts';

export type { HokToken } from './hok-token.ts';

export interface SignHokEnvelopeOptions extends MessageSigningOptions {
  /** The token from the STS (requestToken / StsTokenCache). */
  readonly token: HokToken;
  /** The holder-of-key credential: its certificate is the assertion's confirmation certificate. */
  readonly credential: Credential;
}

function checkOptions(o: SignHokEnvelopeOptions): void {
  _checkSigningOptions(o, 'signHokEnvelope');
  const t = o.token;
  if (
    !t ||
    typeof t.assertionXml !== 'string' ||
    typeof t.assertionId !== 'string' ||
    !NCNAME.test(t.assertionId)
  ) {
    throw new TypeError('signHokEnvelope: `token` needs assertionXml and an NCName assertionId');
  }
}

/**
 * Signs a SOAP 1.1 envelope with the SAML 1.1 holder-of-key profile (PROTOCOLS.md §4) and returns
 * it. wsse:Security (mustUnderstand="1") gets, in order: the assertion **byte-exact as received**
 * (attribute order, quotes, whitespace and namespace declarations untouched), a ds:Signature over
 * Body and Timestamp (exclusive c14n + PrefixList, SHA-256, RSA-SHA256 or ECDSA-SHA256) made with
 * the holder-of-key key, KeyInfo = SecurityTokenReference (TokenType SAMLV1.1) / KeyIdentifier
 * (SAMLAssertionID) = AssertionID, then the Timestamp.
 *
 * How the bytes stay exact: the envelope is built and signed on a DOM where a unique empty
 * placeholder element stands for the assertion; after serialisation that placeholder's text is
 * replaced by the assertion text (the assertion is not covered by the message signature, and
 * exclusive c14n of Timestamp and Body does not depend on siblings). The result is re-parsed and
 * checked (see embedAssertion). Throws ERR_PKI_CREDENTIAL_* (the holder-of-key certificate is
 * outside its validity period), ERR_WSS_MALFORMED (not an envelope, already signed),
 * ERR_SAML_INVALID (unusable token), ERR_SAML_KEY_MISMATCH (credential is not the confirmation key).
 */
export function signHokEnvelope(xml: string, options: SignHokEnvelopeOptions): string {
  checkOptions(options);
  const {
    token,
    credential,
    clock = systemClock,
    ttlSeconds = 300,
    inclusiveNamespaces = true,
    xmlLimits,
  } = options;
  checkCredentialValidity(credential, { clock, role: 'signing' });
  const doc = parseXml(xml, xmlLimits ? { limits: xmlLimits } : {});
  const located = locateEnvelope(doc);
  const { envelope, body } = located;
  const ids = collectIds(doc);
  if (ids.has(token.assertionId))
    throw new PasserelleError('ERR_WSS_DUPLICATE_ID', 'The envelope already uses the AssertionID as an id');
  const newId = _idAllocator(ids, options, 'signHokEnvelope', token.assertionId);
  const header = _ensureHeader(doc, located);
  const existing = securityHeadersFor(header);
  if (existing.length > 0)
    throw new PasserelleError('ERR_WSS_MALFORMED', 'The envelope already has a Security header');
  const security = element(doc, NS.wsse, 'wsse:Security');
  declare(security, 'wsse', NS.wsse);
  declare(security, 'wsu', NS.wsu);
  header.appendChild(security);
  const soap = bindPrefix(security, envelope.prefix ?? 'soapenv', NS.soapenv);
  security.setAttributeNS(NS.soapenv, `${soap}:mustUnderstand`, '1');
  for (const [prefix, uri] of Object.entries(token.inheritedNamespaces ?? {})) {
    if (prefix === 'wsse' || prefix === 'wsu' || prefix === soap) {
      if (uri !== (prefix === 'wsse' ? NS.wsse : prefix === 'wsu' ? NS.wsu : NS.soapenv)) {
        throw new PasserelleError(
          'ERR_SAML_INVALID',
          `The assertion relies on the prefix "${prefix}" bound to another namespace`,
        );
      }
      continue;
    }
    security.setAttributeNS(NS.xmlns, prefix === '' ? 'xmlns' : `xmlns:${prefix}`, uri);
  }

  const created = clock.now();
  const timestamp = element(
    doc,
    NS.wsu,
    'wsu:Timestamp',
    [],
    [
      element(doc, NS.wsu, 'wsu:Created', [], [new Date(created).toISOString()]),
      element(
        doc,
        NS.wsu,
        'wsu:Expires',
        [],
        [new Date(created + Math.round(ttlSeconds * 1000)).toISOString()],
      ),
    ],
  );
  timestamp.setAttributeNS(NS.wsu, 'wsu:Id', newId('timestamp', timestamp));
  let bodyId = attributeValue(body, NS.wsu, 'Id') ?? attributeValue(body, null, 'Id');
  if (bodyId === undefined) {
    const bodyWsu = bindPrefix(body, 'wsu', NS.wsu);
    bodyId = newId('body', body);
    body.setAttributeNS(NS.wsu, `${bodyWsu}:Id`, bodyId);
  }
  const placeholder = assertionPlaceholder(doc);
  security.appendChild(placeholder.element);
  const sigSlot = element(doc, NS.ds, 'ds:Signature');
  security.appendChild(sigSlot);
  security.appendChild(timestamp);

  const list = (el: Element): string[] | undefined =>
    inclusiveNamespaces ? inclusivePrefixesFor(el, true) : undefined;
  const strId = newId('str', sigSlot);
  const signature = signatureSkeleton({
    doc,
    wsse: 'wsse',
    wsu: 'wsu',
    signatureAlgorithm: credential.keyKind === 'ec' ? ALG.ecdsaSha256 : ALG.rsaSha256,
    digestAlgorithm: ALG.sha256,
    c14nPrefixes: inclusiveNamespaces ? inclusivePrefixesFor(security, false) : undefined,
    references: [
      { id: bodyId, prefixes: list(body) },
      { id: attributeValue(timestamp, NS.wsu, 'Id')!, prefixes: list(timestamp) },
    ],
    bstId: token.assertionId,
    signatureId: newId('signature', sigSlot),
    keyInfoId: newId('keyinfo', sigSlot),
    strId,
  });
  const keyInfo = childElements(signature, NS.ds, 'KeyInfo')[0]!;
  while (keyInfo.firstChild) keyInfo.removeChild(keyInfo.firstChild);
  keyInfo.appendChild(hokTokenReference(doc, 'wsse', 'wsu', strId, token.assertionId));
  security.replaceChild(signature, sigSlot);
  fillSignature(signature, ids, credential.privateKey);
  return embedAssertion(serializeXml(doc), placeholder.text, token, credential);
}
