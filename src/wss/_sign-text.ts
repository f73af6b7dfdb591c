import type { KeyObject } from 'node:crypto';
import { hash as oneShotHash } from 'node:crypto';
import { inScopeNamespaces } from '../xml/dom.ts';
import { NS } from '../xml/namespaces.ts';
import type { Element } from '../xml/node.ts';
import { NCNAME } from '../xmldsig/ids.ts';
import { computeSignatureValue } from '../xmldsig/signature-value.ts';
import { ALG, WSS_TOKEN } from './algorithms.ts';

// The X.509 token profile's Security header written as text, with the canonical forms of its
// Timestamp, BinarySecurityToken and SignedInfo written as text too: no DOM built, canonicalised
// and serialised for them. The text is exactly what the DOM path of signEnvelope serialises (same
// attribute order, `/>` for empty elements) and its canonical forms exactly what excC14n gives in
// place; test/wss/sign-text.test.ts compares both paths byte for byte. It applies only where the
// namespace context is plain (see textContext); elsewhere the DOM path signs.

/** Prefixes the header declares itself: an outer binding of one of them takes the DOM path. */
const OWN = new Set(['wsse', 'wsu', 'ds', 'ec', 'xml']);
/** An RFC 3986 scheme then ":": an absolute namespace name (excC14n refuses relative ones). */
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;
/** Characters either writer would escape in an attribute value. */
const SPECIAL = /[&<>"\t\n\r]/;

/** The namespaces in scope at the new Security header, as pairs, innermost first. */
export type TextContext = readonly (readonly [prefix: string, uri: string])[];

/**
 * The namespaces in scope at `header` when the text path can sign there: the envelope's prefix
 * (`soapPrefix`) bound to SOAP 1.1, no default namespace, every prefix an ASCII NCName other than
 * those the header declares, every URI absolute with nothing to escape. Else undefined.
 */
export function textContext(header: Element, soapPrefix: string | null): TextContext | undefined {
  if (soapPrefix === null || OWN.has(soapPrefix)) return undefined;
  const pairs: [string, string][] = [];
  for (const [prefix, uri] of inScopeNamespaces(header)) {
    if (prefix === '' || OWN.has(prefix) || !NCNAME.test(prefix)) return undefined;
    if (!SCHEME.test(uri) || SPECIAL.test(uri)) return undefined;
    pairs.push([prefix, uri]);
  }
  if (!pairs.some(([p, u]) => p === soapPrefix && u === NS.soapenv)) return undefined;
  return pairs;
}

export interface TextReference {
  readonly id: string;
  /** PrefixList of its exc-c14n transform; undefined writes no InclusiveNamespaces. */
  readonly prefixes: readonly string[] | undefined;
  /** Base64 DigestValue. */
  readonly digest: string;
}

export interface TextHeaderSpec {
  readonly context: TextContext;
  readonly soapPrefix: string;
  readonly inclusive: boolean;
  readonly signatureAlgorithm: string;
  readonly privateKey: KeyObject;
  readonly certificateBase64: string;
  readonly bstId: string;
  readonly timestampId: string;
  readonly created: string;
  readonly expires: string;
  /** The Body's reference, digested by the caller (its canonical form needs the DOM). */
  readonly body: TextReference;
  readonly signatureId: string;
  readonly keyInfoId: string;
  readonly strId: string;
}

/** Namespace declarations as exc-c14n writes them: sorted by prefix (ASCII: code-unit order is code-point order). */
function declarations(pairs: [string, string][]): string {
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let out = '';
  for (const [p, uri] of pairs) out += ` xmlns:${p}="${uri}"`;
  return out;
}

/** The URI of `prefix` in the pairs (the context plus the header's own). */
function uriOf(own: readonly [string, string][], context: TextContext, prefix: string): string {
  for (const [p, u] of own) if (p === prefix) return u;
  for (const [p, u] of context) if (p === prefix) return u;
  throw new TypeError(`signEnvelope: the prefix ${prefix} is not in scope`);
}

/** An exc-c14n method element: `serialised` as the DOM path writes it, `canonical` as excC14n does. */
function method(
  name: string,
  prefixes: readonly string[] | undefined,
): [serialised: string, canonical: string] {
  if (prefixes === undefined)
    return [`<${name} Algorithm="${ALG.excC14n}"/>`, `<${name} Algorithm="${ALG.excC14n}"></${name}>`];
  const list = prefixes.join(' ');
  return [
    `<${name} Algorithm="${ALG.excC14n}"><ec:InclusiveNamespaces PrefixList="${list}" xmlns:ec="${NS.ec}"/></${name}>`,
    `<${name} Algorithm="${ALG.excC14n}"><ec:InclusiveNamespaces xmlns:ec="${NS.ec}" PrefixList="${list}"></ec:InclusiveNamespaces></${name}>`,
  ];
}

function reference(r: TextReference): [serialised: string, canonical: string] {
  const [ts, tc] = method('ds:Transform', r.prefixes);
  const head = `<ds:Reference URI="#${r.id}"><ds:Transforms>`;
  const tail = `</ds:Transforms><ds:DigestMethod Algorithm="${ALG.sha256}"`;
  const value = `<ds:DigestValue>${r.digest}</ds:DigestValue></ds:Reference>`;
  return [`${head}${ts}${tail}/>${value}`, `${head}${tc}${tail}></ds:DigestMethod>${value}`];
}

const sha256 = (text: string): string => oneShotHash('sha256', text, 'base64');

/**
 * The signed wsse:Security header (BinarySecurityToken, Signature, Timestamp, in that order) as
 * the DOM path serialises it, for a header whose namespace context passed textContext.
 */
export function securityHeaderText(s: TextHeaderSpec): string {
  const { context, inclusive } = s;
  const scopePrefixes = context.map(([p]) => p);
  const own: [string, string][] = [
    ['wsse', NS.wsse],
    ['wsu', NS.wsu],
  ];

  const bstOpen = `<wsse:BinarySecurityToken EncodingType="${WSS_TOKEN.base64Binary}" ValueType="${WSS_TOKEN.x509v3}"`;
  const bstCanonical = `<wsse:BinarySecurityToken xmlns:wsse="${NS.wsse}" xmlns:wsu="${NS.wsu}" EncodingType="${WSS_TOKEN.base64Binary}" ValueType="${WSS_TOKEN.x509v3}" wsu:Id="${s.bstId}">${s.certificateBase64}</wsse:BinarySecurityToken>`;
  const bst = `${bstOpen} wsu:Id="${s.bstId}">${s.certificateBase64}</wsse:BinarySecurityToken>`;

  const times = `<wsu:Created>${s.created}</wsu:Created><wsu:Expires>${s.expires}</wsu:Expires></wsu:Timestamp>`;
  const timestamp = `<wsu:Timestamp wsu:Id="${s.timestampId}">${times}`;
  const tsPrefixes = inclusive ? ['wsse', ...scopePrefixes] : undefined;
  const tsDeclared: [string, string][] = [['wsu', NS.wsu]];
  for (const p of tsPrefixes ?? []) tsDeclared.push([p, uriOf(own, context, p)]);
  const tsCanonical = `<wsu:Timestamp${declarations(tsDeclared)} wsu:Id="${s.timestampId}">${times}`;

  const references = [
    reference({ id: s.timestampId, prefixes: tsPrefixes, digest: sha256(tsCanonical) }),
    reference(s.body),
    reference({ id: s.bstId, prefixes: inclusive ? [] : undefined, digest: sha256(bstCanonical) }),
  ];
  const c14nPrefixes = inclusive ? scopePrefixes : undefined;
  const [cs, cc] = method('ds:CanonicalizationMethod', c14nPrefixes);
  const sigMethod = `<ds:SignatureMethod Algorithm="${s.signatureAlgorithm}"`;
  const siDeclared: [string, string][] = [['ds', NS.ds]];
  for (const p of c14nPrefixes ?? []) siDeclared.push([p, uriOf(own, context, p)]);
  let canonical = `<ds:SignedInfo${declarations(siDeclared)}>${cc}${sigMethod}></ds:SignatureMethod>`;
  let signedInfo = `<ds:SignedInfo>${cs}${sigMethod}/>`;
  for (const [serialised, c] of references) {
    signedInfo += serialised;
    canonical += c;
  }
  signedInfo += '</ds:SignedInfo>';
  canonical += '</ds:SignedInfo>';
  const value = computeSignatureValue(s.signatureAlgorithm, s.privateKey, canonical).toString('base64');

  const keyInfo = `<ds:KeyInfo Id="${s.keyInfoId}"><wsse:SecurityTokenReference wsu:Id="${s.strId}"><wsse:Reference URI="#${s.bstId}" ValueType="${WSS_TOKEN.x509v3}"/></wsse:SecurityTokenReference></ds:KeyInfo>`;
  const signature = `<ds:Signature Id="${s.signatureId}" xmlns:ds="${NS.ds}">${signedInfo}<ds:SignatureValue>${value}</ds:SignatureValue>${keyInfo}</ds:Signature>`;
  return `<wsse:Security xmlns:wsse="${NS.wsse}" xmlns:wsu="${NS.wsu}" ${s.soapPrefix}:mustUnderstand="1">${bst}${signature}${timestamp}</wsse:Security>`;
}
