import { PasserelleError } from '../errors.ts';
import { attributeValue, childElements, isNamed } from '../xml/dom.ts';
import { NS } from '../xml/namespaces.ts';
import type { Element } from '../xml/node.ts';

const PREFIX_TOKEN = /^(#default|[A-Za-z_][A-Za-z0-9_.-]*)$/;

/** PrefixList values already read (a few per peer, repeated in every message), bounded. */
const PARSED = new Map<string, readonly string[]>();

function malformed(message: string): never {
  throw new PasserelleError('ERR_WSS_MALFORMED', message);
}

/**
 * The PrefixList of an exclusive-c14n CanonicalizationMethod or Transform element: its only
 * allowed child is one ec:InclusiveNamespaces (PrefixList of NCNames and "#default").
 */
export function readPrefixList(method: Element): string[] {
  const children = childElements(method);
  if (children.length === 0) return [];
  const [inc] = children;
  if (children.length > 1 || !isNamed(inc, NS.ec, 'InclusiveNamespaces')) {
    malformed('An exclusive canonicalisation may only carry one ec:InclusiveNamespaces element');
  }
  const list = attributeValue(inc, null, 'PrefixList');
  if (list === undefined) malformed('ec:InclusiveNamespaces without PrefixList');
  const known = PARSED.get(list);
  if (known) return known.slice();
  const prefixes = list.split(/[ \t\n]+/).filter((p) => p.length > 0);
  if (!prefixes.every((p) => PREFIX_TOKEN.test(p)))
    malformed('Invalid token in an InclusiveNamespaces PrefixList');
  if (PARSED.size >= 64) PARSED.delete(PARSED.keys().next().value as string);
  PARSED.set(list, prefixes.slice());
  return prefixes;
}
