import { randomUUID } from 'node:crypto';
import type { Element } from '../xml/node.ts';
import { type IdIndex, NCNAME } from '../xmldsig/ids.ts';

export type WssIdKind = 'bst' | 'timestamp' | 'body' | 'signature' | 'keyinfo' | 'str';

const KIND_PREFIX: Readonly<Record<WssIdKind, string>> = {
  bst: 'X509-',
  timestamp: 'TS-',
  body: 'id-',
  signature: 'SIG-',
  keyinfo: 'KI-',
  str: 'STR-',
};

/**
 * The default id generator, one per signed message: `<prefix><KIND>-<32 hex>` as WSS4J shapes
 * them (X509-, TS-, id-, SIG-, KI-, STR-), random bits drawn once per message (the kind
 * prefix keeps the ids of one message apart; a repeated kind gets a counter). The bits come from
 * randomUUID (122 random bits of a pooled CSPRNG draw: no system call per message).
 */
export function defaultIdGenerator(idPrefix: string): (kind: WssIdKind) => string {
  const base = randomUUID().replace(/-/g, '').toUpperCase();
  const used = new Map<WssIdKind, number>();
  return (kind) => {
    const n = used.get(kind) ?? 0;
    used.set(kind, n + 1);
    return `${idPrefix}${KIND_PREFIX[kind]}${base}${n === 0 ? '' : `-${n}`}`;
  };
}

/**
 * The id source of one message being signed: the caller's generator or the default one; every id
 * must be a fresh NCName, not already in `ids` nor `reserved` (TypeError, named after `name`), and
 * is recorded in `ids` for `owner`.
 */
export function _idAllocator(
  ids: IdIndex,
  options: { readonly idGenerator?: (kind: WssIdKind) => string; readonly idPrefix?: string },
  name: string,
  reserved?: string,
): (kind: WssIdKind, owner: Element) => string {
  const generate = options.idGenerator ?? defaultIdGenerator(options.idPrefix ?? '');
  return (kind, owner) => {
    const id = generate(kind);
    if (typeof id !== 'string' || !NCNAME.test(id) || ids.has(id) || id === reserved)
      throw new TypeError(`${name}: the id generator returned an invalid or used id for ${kind}`);
    ids.add(id, owner);
    return id;
  };
}
