import { fail, URI_REFERENCE } from './_lexical.ts';
import { isNcName } from './_names.ts';
import { NS } from './namespaces.ts';

/** The namespace bindings an element declares, chained to its parent's. */
export interface Scope {
  readonly parent: Scope | null;
  readonly prefixes: Map<string, string> | null;
}

/** The URI `prefix` is bound to in `scope` ('' for no default namespace), undefined when unbound. */
export function lookup(scope: Scope | null, prefix: string): string | undefined {
  for (let s = scope; s; s = s.parent) {
    const uri = s.prefixes?.get(prefix);
    if (uri !== undefined) return uri;
  }
  return prefix === 'xml' ? NS.xml : prefix === '' ? '' : undefined;
}

/**
 * One string per namespace name: the NS constants themselves for the known ones, then the first
 * copy seen of others (bounded). Elements and attributes then carry a string that the toolkit's
 * `el.namespaceURI === NS.ds` tests match by identity, not by comparing 40-80 characters.
 */
const URIS = new Map<string, string>(Object.values(NS).map((u) => [u, u]));
/**
 * The first shared names, scanned before the map: comparing a fresh slice with a handful of
 * strings (most differ in length) is cheaper than hashing its 40-90 characters for the lookup.
 */
const FIRST: string[] = Object.values(NS);

/** The shared string equal to `value`, if any. */
function knownUri(value: string): string | undefined {
  for (let i = 0; i < FIRST.length; i++) if (FIRST[i] === value) return FIRST[i];
  return URIS.get(value);
}

function sharedUri(uri: string): string {
  const known = URIS.get(uri);
  if (known !== undefined) return known;
  if (URIS.size < 256) {
    URIS.set(uri, uri);
    if (FIRST.length < 16) FIRST.push(uri);
  }
  return uri;
}

/**
 * The namespace declarations among the first `count` attributes of a start tag, checked against
 * Namespaces in XML 1.0: an NCName prefix, no empty URI for a prefix, the xml and xmlns prefixes
 * and namespaces reserved, and a namespace name made of URI-reference characters. Each declared
 * value in `values` is replaced by its shared string (see sharedUri).
 */
export function readDeclarations(
  names: readonly string[],
  values: string[],
  count: number,
  at: number,
): Map<string, string> {
  const own = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    const name = names[i]!;
    if (name !== 'xmlns' && !name.startsWith('xmlns:')) continue;
    const value = values[i]!;
    const declared = name === 'xmlns' ? '' : name.slice(6);
    if (declared !== '' && !isNcName(declared))
      fail('ERR_XML_MALFORMED', `"${name}" is not a qualified name`, at);
    if (declared !== '' && value === '')
      fail('ERR_XML_MALFORMED', `the prefix "${declared}" is undeclared (allowed in XML 1.1 only)`, at);
    if (declared === 'xmlns' || (declared === 'xml') !== (value === NS.xml) || value === NS.xmlns)
      fail('ERR_XML_MALFORMED', 'the xml/xmlns prefixes and namespaces are reserved', at);
    // A name already shared passed this test (or is one of the NS constants).
    let uri = knownUri(value);
    if (uri === undefined) {
      if (!URI_REFERENCE.test(value))
        fail('ERR_XML_MALFORMED', `the namespace name of ${name} is not a URI reference`, at);
      uri = sharedUri(value);
    }
    // The declaration's attribute carries the shared string too (its hash is kept by the string).
    values[i] = uri;
    own.set(declared, uri);
  }
  return own;
}
