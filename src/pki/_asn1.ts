import type forgeNamespace from 'node-forge';
import { forge } from './_forge.ts';

/**
 * Minimal DER reading and writing on top of node-forge's ASN.1 module (forge is used only for
 * PKCS#12; everything cryptographic goes through node:crypto). Structural problems throw
 * Asn1Error, which callers turn into ERR_PKI_KEYSTORE_CORRUPT with the file name.
 */
export type Asn1 = forgeNamespace.asn1.Asn1;

export class Asn1Error extends Error {
  override readonly name = 'Asn1Error';
}

const { Class, Type } = forge.asn1;

export const OID = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  hmacWithSHA1: '1.2.840.113549.2.7',
  hmacWithSHA256: '1.2.840.113549.2.9',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  pbeSha1Des3: '1.2.840.113549.1.12.1.3',
  pbeSha1Rc2_128: '1.2.840.113549.1.12.1.5',
  pbeSha1Rc2_40: '1.2.840.113549.1.12.1.6',
} as const;

export function parseDer(bytes: Buffer, what: string): Asn1 {
  try {
    return forge.asn1.fromDer(forge.util.createBuffer(bytes.toString('binary')), {
      strict: true,
      parseAllBytes: true,
      decodeBitStrings: false,
    } as unknown as boolean);
  } catch (cause) {
    throw new Asn1Error(`${what}: not valid DER (${cause instanceof Error ? cause.message : String(cause)})`);
  }
}

export function toDer(node: Asn1): Buffer {
  return Buffer.from(forge.asn1.toDer(node).getBytes(), 'binary');
}

export function childrenOf(node: Asn1 | undefined, what: string): Asn1[] {
  if (!node || !Array.isArray(node.value)) throw new Asn1Error(`${what}: expected a constructed value`);
  return node.value;
}

export function childAt(node: Asn1 | undefined, index: number, what: string): Asn1 {
  const c = childrenOf(node, what)[index];
  if (!c) throw new Asn1Error(`${what}: element ${index} is missing`);
  return c;
}

/** The inner value of an explicit [0] tag. */
export function explicit0(node: Asn1 | undefined, what: string): Asn1 {
  if (!node || node.tagClass !== Class.CONTEXT_SPECIFIC || node.type !== 0)
    throw new Asn1Error(`${what}: expected [0]`);
  return childAt(node, 0, what);
}

export function oidOf(node: Asn1 | undefined, what: string): string {
  if (
    !node ||
    node.tagClass !== Class.UNIVERSAL ||
    node.type !== Type.OID ||
    typeof node.value !== 'string'
  ) {
    throw new Asn1Error(`${what}: expected an OBJECT IDENTIFIER`);
  }
  return forge.asn1.derToOid(node.value);
}

/** The bytes of a primitive value; a constructed (BER, chunked) OCTET STRING is joined. */
export function bytesOf(node: Asn1 | undefined, what: string): Buffer {
  if (!node) throw new Asn1Error(`${what}: missing`);
  if (typeof node.value === 'string') return Buffer.from(node.value, 'binary');
  return Buffer.concat(node.value.map((c) => bytesOf(c, what)));
}

export function intOf(node: Asn1 | undefined, what: string): number {
  if (!node || node.type !== Type.INTEGER || typeof node.value !== 'string')
    throw new Asn1Error(`${what}: expected an INTEGER`);
  const n = Number.parseInt(forge.util.bytesToHex(node.value) || '0', 16);
  if (!Number.isSafeInteger(n)) throw new Asn1Error(`${what}: integer out of range`);
  return n;
}

// ---- building ----

export const seq = (items: Asn1[]): Asn1 => forge.asn1.create(Class.UNIVERSAL, Type.SEQUENCE, true, items);
export const set = (items: Asn1[]): Asn1 => forge.asn1.create(Class.UNIVERSAL, Type.SET, true, items);
export const oid = (value: string): Asn1 =>
  forge.asn1.create(Class.UNIVERSAL, Type.OID, false, forge.asn1.oidToDer(value).getBytes());
export const octets = (value: Buffer): Asn1 =>
  forge.asn1.create(Class.UNIVERSAL, Type.OCTETSTRING, false, value.toString('binary'));
export const int = (value: number): Asn1 =>
  forge.asn1.create(Class.UNIVERSAL, Type.INTEGER, false, forge.asn1.integerToDer(value).getBytes());
/** forge encodes a BMPSTRING value (a JS string) as UTF-16BE itself, and decodes it back to a JS string. */
export const bmp = (value: string): Asn1 => forge.asn1.create(Class.UNIVERSAL, Type.BMPSTRING, false, value);

/** The text of a BMPString (or any string type) as forge decoded it. */
export function textOf(node: Asn1 | undefined, what: string): string {
  if (!node || typeof node.value !== 'string') throw new Asn1Error(`${what}: expected a string`);
  return node.type === Type.UTF8 ? forge.util.decodeUtf8(node.value) : node.value;
}
export const ctx0 = (inner: Asn1): Asn1 => forge.asn1.create(Class.CONTEXT_SPECIFIC, 0, true, [inner]);
/** [0] IMPLICIT OCTET STRING, as in EncryptedContentInfo.encryptedContent. */
export const implicit0Octets = (value: Buffer): Asn1 =>
  forge.asn1.create(Class.CONTEXT_SPECIFIC, 0, false, value.toString('binary'));
/** An already-encoded DER value embedded as is. */
export const raw = (der: Buffer): Asn1 => parseDer(der, 'embedded value');

/** UTF-16BE without terminator (BMPString contents). */
export function bmpBytes(value: string): Buffer {
  const out = Buffer.alloc(value.length * 2);
  for (let i = 0; i < value.length; i++) out.writeUInt16BE(value.charCodeAt(i), i * 2);
  return out;
}
export const nul = (): Asn1 => forge.asn1.create(Class.UNIVERSAL, Type.NULL, false, '');
