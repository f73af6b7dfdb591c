import type { X509Certificate } from 'node:crypto';
import { systemClock } from '../clock.ts';
import { PasserelleError } from '../errors.ts';
import type { Credential } from '../pki/credential.ts';
import { checkCredentialValidity } from '../pki/credential-validity.ts';
import { attributeValue, childElements } from '../xml/dom.ts';
import { NS } from '../xml/namespaces.ts';
import type { Document, Element } from '../xml/node.ts';
import { parseXml } from '../xml/parse.ts';
import { serializeXml } from '../xml/serialize.ts';
import { bindPrefix, declare, element } from '../xmldsig/dom-build.ts';
import { collectIds, type IdIndex } from '../xmldsig/ids.ts';
import { canonicalDigest } from '../xmldsig/references.ts';
import { fillSignature } from '../xmldsig/sign-core.ts';
import { _ensureHeader, type EnvelopeParts, locateEnvelope, securityHeadersFor } from './_envelope.ts';
import { _idAllocator, type WssIdKind } from './_ids.ts';
import { inclusivePrefixesFor } from './_inclusive-prefixes.ts';
import { _checkSigningOptions, type MessageSigningOptions } from './_options.ts';
import { securityHeaderText, textContext } from './_sign-text.ts';
import { signatureSkeleton } from './_signature-skeleton.ts';
import { ALG, WSS_TOKEN } from './algorithms.ts';

export type { WssIdKind } from './_ids.ts';

export type WssSignatureAlgorithm = 'rsa-sha256' | 'ecdsa-sha256';

type NewId = (kind: WssIdKind, owner: Element) => string;

export interface SignEnvelopeOptions extends MessageSigningOptions {
  readonly credential: Credential;
  /** Must match the key; by default derived from it (RSA → rsa-sha256, EC → ecdsa-sha256). */
  readonly signatureAlgorithm?: WssSignatureAlgorithm;
}

const ALGORITHM_URI: Readonly<Record<WssSignatureAlgorithm, string>> = {
  'rsa-sha256': ALG.rsaSha256,
  'ecdsa-sha256': ALG.ecdsaSha256,
};

function checkOptions(o: SignEnvelopeOptions): WssSignatureAlgorithm {
  _checkSigningOptions(o, 'signEnvelope');
  const derived: WssSignatureAlgorithm = o.credential.keyKind === 'ec' ? 'ecdsa-sha256' : 'rsa-sha256';
  if (o.signatureAlgorithm !== undefined && o.signatureAlgorithm !== derived) {
    throw new TypeError(
      `signEnvelope: ${o.signatureAlgorithm} does not fit the ${o.credential.keyKind.toUpperCase()} key (use ${derived})`,
    );
  }
  return derived;
}

/** The base64 of a signing certificate, encoded once per certificate object (its bytes never change). */
const BASE64 = new WeakMap<X509Certificate, string>();
function certificateBase64(certificate: X509Certificate): string {
  let text = BASE64.get(certificate);
  if (text === undefined) {
    text = certificate.raw.toString('base64');
    BASE64.set(certificate, text);
  }
  return text;
}

/**
 * Signs a SOAP 1.1 envelope with the WS-Security X.509 token profile of PROTOCOLS.md §3 and
 * returns the signed envelope. Adds (creating soapenv:Header and wsse:Security
 * mustUnderstand="1" when missing): a BinarySecurityToken with the certificate, a Timestamp
 * (Created now, Expires now + ttl, millisecond precision, Z), and a ds:Signature over Timestamp,
 * Body and BST by wsu:Id with exclusive c14n (+ InclusiveNamespaces PrefixList), SHA-256 digests,
 * RSA-SHA256 or ECDSA-SHA256 (raw r‖s), KeyInfo referencing the BST. Any envelope prefix: where
 * the namespace context is plain the new header is written as text (src/wss/_sign-text.ts), else
 * built on the DOM; both give the same bytes. Throws ERR_PKI_CREDENTIAL_EXPIRED / _NOT_YET_VALID when the certificate is
 * outside its validity period at `clock`, ERR_XML_* / ERR_WSS_MALFORMED for input it cannot sign
 * (not an envelope, already signed), ERR_WSS_DUPLICATE_ID when a wsu:Id repeats or an id it signs
 * by is carried by several elements (a payload's own repeated ID attributes are fine; generated ids
 * avoid every value present), TypeError for bad options.
 */
export function signEnvelope(xml: string, options: SignEnvelopeOptions): string {
  return _signEnvelope(xml, options, true);
}

/** signEnvelope; with `asText` false, always on the DOM (the reference the text path is tested against). */
export function _signEnvelope(xml: string, options: SignEnvelopeOptions, asText: boolean): string {
  const algorithm = checkOptions(options);
  const {
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
  const newId = _idAllocator(ids, options, 'signEnvelope');
  const header = _ensureHeader(doc, located);
  const existing = securityHeadersFor(header);
  if (existing.length > 1)
    throw new PasserelleError(
      'ERR_WSS_MULTIPLE_SECURITY',
      'The envelope already has several Security headers',
    );
  if (asText && existing.length === 0) {
    const context = textContext(header, envelope.prefix);
    if (context !== undefined) {
      const placeholder = doc.createElementNS(NS.wsse, 'wsse:Security');
      header.appendChild(placeholder);
      const bstId = newId('bst', placeholder);
      const created = clock.now();
      const timestampId = newId('timestamp', placeholder);
      const bodyId = ensureBodyId(body, newId);
      // As fillSignature resolves each reference: an id several elements carry is refused.
      if (ids.get(bodyId) !== body) throw new TypeError('signEnvelope: the Body id names another element');
      const bodyPrefixes = inclusiveNamespaces ? inclusivePrefixesFor(body, true) : undefined;
      const text = securityHeaderText({
        context,
        soapPrefix: envelope.prefix!,
        inclusive: inclusiveNamespaces,
        signatureAlgorithm: ALGORITHM_URI[algorithm],
        privateKey: credential.privateKey,
        certificateBase64: certificateBase64(credential.certificate),
        bstId,
        timestampId,
        created: new Date(created).toISOString(),
        expires: new Date(created + Math.round(ttlSeconds * 1000)).toISOString(),
        body: {
          id: bodyId,
          prefixes: bodyPrefixes,
          digest: canonicalDigest(body, ALG.sha256, bodyPrefixes ?? [], undefined, 'base64'),
        },
        signatureId: newId('signature', placeholder),
        keyInfoId: newId('keyinfo', placeholder),
        strId: newId('str', placeholder),
      });
      return serializeXml(doc, { replace: new Map([[placeholder, text]]) });
    }
  }
  return signOnDom(doc, located, header, existing[0], ids, newId, options, algorithm);
}

/** The Body's id (wsu:Id, else Id), a fresh wsu:Id added when it has none. */
function ensureBodyId(body: Element, newId: NewId): string {
  let bodyId = attributeValue(body, NS.wsu, 'Id') ?? attributeValue(body, null, 'Id');
  if (bodyId === undefined) {
    const bodyWsu = bindPrefix(body, 'wsu', NS.wsu);
    bodyId = newId('body', body);
    body.setAttributeNS(NS.wsu, `${bodyWsu}:Id`, bodyId);
  }
  return bodyId;
}

/**
 * signEnvelope on the DOM: the Security header built as elements, canonicalised and signed in
 * place, then serialised. Any namespace context; the path of an existing Security header.
 */
function signOnDom(
  doc: Document,
  { envelope, body }: EnvelopeParts,
  header: Element,
  existingSecurity: Element | undefined,
  ids: IdIndex,
  newId: NewId,
  options: SignEnvelopeOptions,
  algorithm: WssSignatureAlgorithm,
): string {
  const { credential, clock = systemClock, ttlSeconds = 300, inclusiveNamespaces = true } = options;
  let security = existingSecurity;
  if (
    security &&
    (childElements(security, NS.ds, 'Signature').length > 0 ||
      childElements(security, NS.wsu, 'Timestamp').length > 0)
  ) {
    throw new PasserelleError('ERR_WSS_MALFORMED', 'The envelope is already signed or timestamped');
  }
  if (!security) {
    security = element(doc, NS.wsse, 'wsse:Security');
    declare(security, 'wsse', NS.wsse);
    declare(security, 'wsu', NS.wsu);
    header.appendChild(security);
    const soap = bindPrefix(security, envelope.prefix ?? 'soapenv', NS.soapenv);
    security.setAttributeNS(NS.soapenv, `${soap}:mustUnderstand`, '1');
  }
  const wsse = bindPrefix(security, 'wsse', NS.wsse);
  const wsu = bindPrefix(security, 'wsu', NS.wsu);

  const bst = element(doc, NS.wsse, `${wsse}:BinarySecurityToken`, [
    [null, 'EncodingType', WSS_TOKEN.base64Binary],
    [null, 'ValueType', WSS_TOKEN.x509v3],
  ]);
  bst.setAttributeNS(NS.wsu, `${wsu}:Id`, newId('bst', bst));
  bst.appendChild(doc.createTextNode(certificateBase64(credential.certificate)));

  const created = clock.now();
  const timestamp = element(
    doc,
    NS.wsu,
    `${wsu}:Timestamp`,
    [],
    [
      element(doc, NS.wsu, `${wsu}:Created`, [], [new Date(created).toISOString()]),
      element(
        doc,
        NS.wsu,
        `${wsu}:Expires`,
        [],
        [new Date(created + Math.round(ttlSeconds * 1000)).toISOString()],
      ),
    ],
  );
  timestamp.setAttributeNS(NS.wsu, `${wsu}:Id`, newId('timestamp', timestamp));

  const bodyId = ensureBodyId(body, newId);

  security.appendChild(bst);
  const placeholder = element(doc, NS.ds, 'ds:Signature');
  security.appendChild(placeholder);
  security.appendChild(timestamp);

  const list = (el: Element): string[] | undefined =>
    inclusiveNamespaces ? inclusivePrefixesFor(el, true) : undefined;
  const signature = signatureSkeleton({
    doc,
    wsse,
    wsu,
    signatureAlgorithm: ALGORITHM_URI[algorithm],
    digestAlgorithm: ALG.sha256,
    c14nPrefixes: inclusiveNamespaces ? inclusivePrefixesFor(security, false) : undefined,
    references: [
      { id: attributeValue(timestamp, NS.wsu, 'Id')!, prefixes: list(timestamp) },
      { id: bodyId, prefixes: list(body) },
      { id: attributeValue(bst, NS.wsu, 'Id')!, prefixes: inclusiveNamespaces ? [] : undefined },
    ],
    bstId: attributeValue(bst, NS.wsu, 'Id')!,
    signatureId: newId('signature', placeholder),
    keyInfoId: newId('keyinfo', placeholder),
    strId: newId('str', placeholder),
  });
  security.replaceChild(signature, placeholder);
  fillSignature(signature, ids, credential.privateKey);
  return serializeXml(doc);
}
