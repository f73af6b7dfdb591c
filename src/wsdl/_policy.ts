import { attributeList, childElements, isElement } from '../xml/dom.ts';
import type { Element } from '../xml/node.ts';
import { _attr, _NS } from './_qname.ts';
import type { WsdlPolicy, WsdlSecurity } from './types.ts';

const POLICY_NS = new Set<string>([_NS.wsp, _NS.wsp15]);
const SP_NS = new Set<string>([
  'http://docs.oasis-open.org/ws-sx/ws-securitypolicy/200702',
  'http://docs.oasis-open.org/ws-sx/ws-securitypolicy/200512',
  'http://schemas.xmlsoap.org/ws/2005/07/securitypolicy',
]);
/** Message-level tokens Passerelle does not speak: a policy asking for one is `unknown`. */
const OTHER_TOKENS = new Set([
  'UsernameToken',
  'KerberosToken',
  'SpnegoContextToken',
  'SecureConversationToken',
  'SecurityContextToken',
  'RelToken',
  'KeyValueToken',
]);

const isPolicy = (el: Element, local: string): boolean =>
  el.localName === local && POLICY_NS.has(el.namespaceURI ?? '');

/** The policies of the files read, by `#wsu:Id` (or `#xml:id`) and by `Name`. */
export function _policyIndex(roots: readonly Element[]): Map<string, Element> {
  const index = new Map<string, Element>();
  const visit = (el: Element): void => {
    if (isPolicy(el, 'Policy')) {
      const id = _wsuId(el);
      if (id !== undefined && !index.has(`#${id}`)) index.set(`#${id}`, el);
      const name = _attr(el, 'Name');
      if (name !== undefined && !index.has(name)) index.set(name, el);
    }
    for (const child of childElements(el)) visit(child);
  };
  for (const root of roots) visit(root);
  return index;
}

function _wsuId(el: Element): string | undefined {
  for (const a of attributeList(el)) {
    if (a.localName === 'Id' && a.namespaceURI === _NS.wsu) return a.value;
    if (a.localName === 'id' && a.namespaceURI === _NS.xml) return a.value;
  }
  return undefined;
}

interface Scan {
  saml: boolean;
  x509: boolean;
  other: boolean;
  unresolved: boolean;
  conflict: boolean;
  suite: string | undefined;
}

const empty = (): Scan => ({
  saml: false,
  x509: false,
  other: false,
  unresolved: false,
  conflict: false,
  suite: undefined,
});

function _classify(s: Scan): WsdlSecurity {
  if (s.unresolved || s.conflict) return 'unknown';
  if (s.saml) return 'saml';
  if (s.x509) return 'x509';
  return s.other ? 'unknown' : 'none';
}

function _merge(into: Scan, from: Scan): void {
  into.saml ||= from.saml;
  into.x509 ||= from.x509;
  into.other ||= from.other;
  into.unresolved ||= from.unresolved;
  into.conflict ||= from.conflict;
  into.suite ??= from.suite;
}

/** Walks a policy (expression or assertion) and notes the tokens and algorithm suite it names. */
function _scan(el: Element, index: Map<string, Element>, seen: Set<Element>, out: Scan): void {
  if (isPolicy(el, 'PolicyReference')) {
    const target = index.get(_attr(el, 'URI') ?? '');
    if (target === undefined) out.unresolved = true;
    else if (!seen.has(target)) {
      seen.add(target);
      _scan(target, index, seen, out);
    }
    return;
  }
  if (isPolicy(el, 'ExactlyOne')) {
    const alternatives = childElements(el).map((alt) => {
      const s = empty();
      _scan(alt, index, new Set(seen), s);
      return s;
    });
    if (new Set(alternatives.map(_classify)).size > 1) out.conflict = true;
    for (const s of alternatives) _merge(out, s);
    return;
  }
  if (SP_NS.has(el.namespaceURI ?? '')) {
    const local = el.localName ?? '';
    if (local === 'X509Token') out.x509 = true;
    else if (local === 'SamlToken') out.saml = true;
    else if (local === 'IssuedToken') {
      if (_mentionsSaml(el)) out.saml = true;
      else out.other = true;
    } else if (OTHER_TOKENS.has(local)) out.other = true;
    else if (local === 'AlgorithmSuite') {
      const suite = childElements(el).find((c) => isPolicy(c, 'Policy'));
      const [name] = suite === undefined ? [] : childElements(suite);
      out.suite ??= name?.localName ?? undefined;
    }
  }
  for (const child of childElements(el)) _scan(child, index, seen, out);
}

/** An IssuedToken whose requested token type (or any text in it) names SAML. */
function _mentionsSaml(el: Element): boolean {
  for (let c = el.firstChild; c; c = c.nextSibling) {
    if (isElement(c)) {
      if (_mentionsSaml(c)) return true;
    } else if (/saml/i.test(c.nodeValue ?? '')) return true;
  }
  return false;
}

/**
 * The effective policy of the given WSDL elements taken together (a binding, its operation and
 * the operation's input): the `wsp:Policy` and `wsp:PolicyReference` children of each, and the
 * `wsp:PolicyURIs` attribute. Policies attached at several levels all apply.
 */
export function _policyOf(subjects: readonly Element[], index: Map<string, Element>): WsdlPolicy {
  const scan = empty();
  const references: string[] = [];
  const seen = new Set<Element>();
  const follow = (uri: string): void => {
    references.push(uri);
    const target = index.get(uri);
    if (target === undefined) scan.unresolved = true;
    else if (!seen.has(target)) {
      seen.add(target);
      _scan(target, index, seen, scan);
    }
  };
  for (const subject of subjects) {
    for (const a of attributeList(subject)) {
      if (a.localName === 'PolicyURIs' && POLICY_NS.has(a.namespaceURI ?? ''))
        for (const uri of a.value.split(/\s+/).filter(Boolean)) follow(uri);
    }
    for (const child of childElements(subject)) {
      if (isPolicy(child, 'PolicyReference')) follow(_attr(child, 'URI') ?? '');
      else if (isPolicy(child, 'Policy')) {
        references.push(_wsuId(child) === undefined ? 'inline' : `#${_wsuId(child)}`);
        _scan(child, index, seen, scan);
      }
    }
  }
  return { security: _classify(scan), algorithmSuite: scan.suite, references };
}
