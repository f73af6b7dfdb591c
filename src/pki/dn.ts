import type { X509Certificate } from 'node:crypto';
import { type Asn1, Asn1Error, childAt, childrenOf, oidOf, parseDer, toDer } from './_asn1.ts';
import { forge } from './_forge.ts';

/**
 * Distinguished names, printed one way everywhere (output, errors, sandbox): RFC 4514 — the most
 * specific RDN first (`CN=app,OU=unit,O=org,C=BE`), `,` between RDNs, `+` inside a multi-valued
 * one, values escaped as §2.4 says. Non-ASCII characters stay as they are (UTF-8 output);
 * control characters are escaped as hex pairs, so a DN never moves the cursor of a terminal.
 */

/** One attribute of an RDN: its type (a short name such as `CN`, or a dotted OID) and its value. */
export interface DnAttribute {
  readonly type: string;
  readonly value: string;
}

/** Short names of the usual attribute types (RFC 4514 §3 and the ones certificates of the platforms use). */
const NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.42': 'GN',
  '2.5.4.43': 'initials',
  '2.5.4.97': 'organizationIdentifier',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
  '1.2.840.113549.1.9.1': 'emailAddress',
};

const SPECIAL = new Set(['"', '+', ',', ';', '<', '>', '\\']);

const hexPairs = (c: string) =>
  [...Buffer.from(c, 'utf8')].map((b) => `\\${b.toString(16).padStart(2, '0')}`).join('');

/**
 * Escapes an attribute value as RFC 4514 §2.4 says: `"`, `+`, `,`, `;`, `<`, `>` and `\` get a
 * backslash, so do a leading space or `#` and a trailing space; NUL and the other control
 * characters (C0, DEL, C1) become hex pairs. Everything else, non-ASCII included, is kept.
 */
export function escapeDnValue(value: string): string {
  const chars = [...value];
  return chars
    .map((c, i) => {
      const code = c.codePointAt(0)!;
      if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return hexPairs(c);
      if (SPECIAL.has(c)) return `\\${c}`;
      if (i === 0 && (c === ' ' || c === '#')) return `\\${c}`;
      if (i === chars.length - 1 && c === ' ') return '\\ ';
      return c;
    })
    .join('');
}

/**
 * Formats a name given as its RDNs in DER order (the most general first, as in a certificate):
 * RFC 4514, the most specific first. A type given as a dotted OID keeps its value as given
 * (already `#`-hex when it comes from subjectDn).
 */
export function formatDn(rdns: readonly (readonly DnAttribute[])[]): string {
  return [...rdns]
    .reverse()
    .map((rdn) =>
      rdn
        .map(({ type, value }) =>
          /^\d+(?:\.\d+)+$/.test(type) && value.startsWith('#')
            ? `${type}=${value}`
            : `${type}=${escapeDnValue(value)}`,
        )
        .join('+'),
    )
    .join(',');
}

/** The subject of a certificate, RFC 4514 (`CN=...,O=...,C=BE`). */
export function subjectDn(cert: X509Certificate): string {
  return formatDn(_nameOf(cert, 'subject'));
}

/** The issuer of a certificate, RFC 4514. */
export function issuerDn(cert: X509Certificate): string {
  return formatDn(_nameOf(cert, 'issuer'));
}

/** The RDNs of a certificate's subject or issuer, in DER order; a malformed name falls back to Node's text. */
function _nameOf(cert: X509Certificate, which: 'subject' | 'issuer'): DnAttribute[][] {
  try {
    const tbs = childAt(parseDer(cert.raw, 'certificate'), 0, 'tbsCertificate');
    const fields = childrenOf(tbs, 'tbsCertificate');
    // version [0] is optional: issuer follows serialNumber and signature, subject follows validity.
    const first = fields[0]?.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
    const name = childAt(tbs, first + (which === 'issuer' ? 2 : 4), which);
    return childrenOf(name, which).map((rdn) => childrenOf(rdn, 'RDN').map((atv) => _attribute(atv)));
  } catch (error) {
    if (!(error instanceof Asn1Error)) throw error;
    // Node parsed the certificate, so this does not happen; keep the printable fallback anyway.
    return cert[which]
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => {
        const at = line.indexOf('=');
        return [{ type: line.slice(0, at), value: line.slice(at + 1) }];
      });
  }
}

function _attribute(atv: Asn1): DnAttribute {
  const oid = oidOf(childAt(atv, 0, 'AttributeTypeAndValue'), 'attribute type');
  const value = childAt(atv, 1, 'AttributeTypeAndValue');
  const name = NAMES[oid];
  const text = name === undefined ? undefined : _text(value);
  // RFC 4514 §2.4: a type in dotted form, or a value that is not a string, is written as #hex of its DER.
  return text === undefined
    ? { type: name ?? oid, value: `#${toDer(value).toString('hex')}` }
    : { type: name!, value: text };
}

/** Universal tags of the string types (forge's Type names only some of them). */
const T = {
  UTF8: 12,
  NUMERIC: 18,
  PRINTABLE: 19,
  TELETEX: 20,
  IA5: 22,
  VISIBLE: 26,
  UNIVERSAL: 28,
  BMP: 30,
} as const;

/** The text of a string value (UTF8, Printable, IA5, Numeric, Visible, Teletex, BMP, Universal). */
function _text(node: Asn1): string | undefined {
  if (node.tagClass !== forge.asn1.Class.UNIVERSAL || typeof node.value !== 'string') return undefined;
  const bytes = () => Buffer.from(node.value as string, 'binary');
  switch (node.type as number) {
    case T.UTF8:
      return bytes().toString('utf8');
    case T.PRINTABLE:
    case T.IA5:
    case T.NUMERIC:
    case T.VISIBLE:
    case T.TELETEX: // in practice Latin-1
      return bytes().toString('latin1');
    case T.BMP:
      // forge decodes a BMPString to a JS string itself
      return node.value;
    case T.UNIVERSAL: {
      // UTF-32BE; a value that is not is written as #hex
      const b = bytes();
      if (b.length % 4 !== 0) return undefined;
      let out = '';
      for (let i = 0; i < b.length; i += 4) {
        const cp = b.readUInt32BE(i);
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
        out += String.fromCodePoint(cp);
      }
      return out;
    }
    default:
      return undefined;
  }
}
