import { createHash } from 'node:crypto';
import { bmpBytes } from './_asn1.ts';

export type Pkcs12Hash = 'sha1' | 'sha256' | 'sha384' | 'sha512';

const SIZES: Record<Pkcs12Hash, { u: number; v: number }> = {
  sha1: { u: 20, v: 64 },
  sha256: { u: 32, v: 64 },
  sha384: { u: 48, v: 128 },
  sha512: { u: 64, v: 128 },
};

/** ID byte of RFC 7292 B.3: 1 = key, 2 = IV, 3 = MAC key. */
export type Pkcs12KdfPurpose = 1 | 2 | 3;

/**
 * The PKCS#12 key derivation function (RFC 7292 appendix B.2), used for the MAC and for the
 * legacy pbeWithSHAAnd... ciphers. The password is the BMPString with its two-byte terminator,
 * as OpenSSL encodes it.
 */
export function pkcs12Kdf(
  password: string,
  salt: Buffer,
  id: Pkcs12KdfPurpose,
  iterations: number,
  length: number,
  hash: Pkcs12Hash,
): Buffer {
  const { u, v } = SIZES[hash];
  const pass = Buffer.concat([bmpBytes(password), Buffer.alloc(2)]);
  const fill = (src: Buffer): Buffer => {
    if (src.length === 0) return Buffer.alloc(0);
    const out = Buffer.alloc(v * Math.ceil(src.length / v));
    for (let i = 0; i < out.length; i++) out[i] = src[i % src.length]!;
    return out;
  };
  const D = Buffer.alloc(v, id);
  const I = Buffer.concat([fill(salt), fill(pass)]);
  const blocks = Math.ceil(length / u);
  const out: Buffer[] = [];
  for (let i = 0; i < blocks; i++) {
    let A = createHash(hash).update(D).update(I).digest();
    for (let r = 1; r < iterations; r++) A = createHash(hash).update(A).digest();
    out.push(A);
    if (i === blocks - 1) break;
    const B = Buffer.alloc(v);
    for (let k = 0; k < v; k++) B[k] = A[k % u]!;
    for (let j = 0; j < I.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = I[j + k]! + B[k]! + carry;
        I[j + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return Buffer.concat(out).subarray(0, length);
}

/** Hash name for a MAC digest OID, or undefined when unsupported. */
export function hashForOid(oid: string): Pkcs12Hash | undefined {
  return (
    {
      '1.3.14.3.2.26': 'sha1',
      '2.16.840.1.101.3.4.2.1': 'sha256',
      '2.16.840.1.101.3.4.2.2': 'sha384',
      '2.16.840.1.101.3.4.2.3': 'sha512',
    } as Record<string, Pkcs12Hash>
  )[oid];
}
