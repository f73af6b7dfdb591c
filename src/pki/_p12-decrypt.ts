import { createDecipheriv, pbkdf2Sync } from 'node:crypto';
import { type Asn1, Asn1Error, bytesOf, childAt, childrenOf, intOf, OID, oidOf } from './_asn1.ts';
import { forge } from './_forge.ts';
import { pkcs12Kdf } from './_pkcs12-kdf.ts';

/** Decryption failed: with a MAC-less keystore this is how a wrong password shows. */
export class DecryptError extends Error {
  override readonly name = 'DecryptError';
}

/** A cipher this reader does not implement. */
export class UnsupportedAlgorithmError extends Error {
  override readonly name = 'UnsupportedAlgorithmError';
}

const PRF: Record<string, string> = {
  [OID.hmacWithSHA1]: 'sha1',
  [OID.hmacWithSHA256]: 'sha256',
  '1.2.840.113549.2.10': 'sha384',
  '1.2.840.113549.2.11': 'sha512',
};

const AES: Record<string, { name: string; keyLength: number }> = {
  '2.16.840.1.101.3.4.1.2': { name: 'aes-128-cbc', keyLength: 16 },
  '2.16.840.1.101.3.4.1.22': { name: 'aes-192-cbc', keyLength: 24 },
  [OID.aes256Cbc]: { name: 'aes-256-cbc', keyLength: 32 },
  '1.2.840.113549.3.7': { name: 'des-ede3-cbc', keyLength: 24 },
};

/** A human name for an encryption AlgorithmIdentifier, for `cert inspect`. */
export function describeAlgorithm(alg: Asn1): string {
  const id = oidOf(childAt(alg, 0, 'AlgorithmIdentifier'), 'algorithm');
  if (id === OID.pbeSha1Des3) return 'pbeWithSHA1And3-KeyTripleDES-CBC (legacy)';
  if (id === OID.pbeSha1Rc2_40) return 'pbeWithSHA1And40BitRC2-CBC (legacy)';
  if (id === OID.pbeSha1Rc2_128) return 'pbeWithSHA1And128BitRC2-CBC (legacy)';
  if (id !== OID.pbes2) return id;
  const params = childAt(alg, 1, 'PBES2-params');
  const kdf = childAt(childAt(params, 0, 'keyDerivationFunc'), 1, 'PBKDF2-params');
  const prfAlg = childrenOf(kdf, 'PBKDF2-params').find((c) => Array.isArray(c.value));
  const prf = prfAlg ? (PRF[oidOf(childAt(prfAlg, 0, 'prf'), 'prf')] ?? 'unknown') : 'sha1';
  const enc = oidOf(childAt(childAt(params, 1, 'encryptionScheme'), 0, 'cipher'), 'cipher');
  return `PBES2 (PBKDF2-HMAC-${prf.toUpperCase()}, ${AES[enc]?.name.toUpperCase() ?? enc})`;
}

/**
 * Decrypts PKCS#12 content encrypted under a password: PBES2 (PBKDF2 + AES/3DES-CBC, the OpenSSL 3
 * default) with node:crypto, and the legacy PKCS#12 PBE ciphers (SHA-1 + 3DES with node:crypto,
 * SHA-1 + RC2, which OpenSSL 3 keeps in its legacy provider, with node-forge's RC2).
 */
export function decryptContent(alg: Asn1, ciphertext: Buffer, password: string): Buffer {
  const id = oidOf(childAt(alg, 0, 'AlgorithmIdentifier'), 'encryption algorithm');
  if (id === OID.pbes2) return decryptPbes2(childAt(alg, 1, 'PBES2-params'), ciphertext, password);
  if (id === OID.pbeSha1Des3 || id === OID.pbeSha1Rc2_40 || id === OID.pbeSha1Rc2_128) {
    const params = childAt(alg, 1, 'PBE parameters');
    const salt = bytesOf(childAt(params, 0, 'salt'), 'salt');
    const iterations = intOf(childAt(params, 1, 'iterations'), 'iterations');
    const keyLength = id === OID.pbeSha1Des3 ? 24 : id === OID.pbeSha1Rc2_40 ? 5 : 16;
    const key = pkcs12Kdf(password, salt, 1, iterations, keyLength, 'sha1');
    const iv = pkcs12Kdf(password, salt, 2, iterations, 8, 'sha1');
    if (id === OID.pbeSha1Des3) return nodeDecrypt('des-ede3-cbc', key, iv, ciphertext);
    // RC2's effective key length equals the key length here (40 or 128 bits).
    const cipher = forge.rc2.createDecryptionCipher(
      forge.util.createBuffer(key.toString('binary')),
      keyLength * 8,
    );
    cipher.start(iv.toString('binary'));
    cipher.update(forge.util.createBuffer(ciphertext.toString('binary')));
    if (!cipher.finish()) throw new DecryptError('RC2 decryption failed (bad padding)');
    return Buffer.from(cipher.output.getBytes(), 'binary');
  }
  throw new UnsupportedAlgorithmError(`unsupported PKCS#12 encryption algorithm ${id}`);
}

function decryptPbes2(params: Asn1, ciphertext: Buffer, password: string): Buffer {
  const kdfAlg = childAt(params, 0, 'keyDerivationFunc');
  if (oidOf(childAt(kdfAlg, 0, 'kdf'), 'kdf') !== OID.pbkdf2)
    throw new UnsupportedAlgorithmError('PBES2 with a KDF other than PBKDF2');
  const kdf = childAt(kdfAlg, 1, 'PBKDF2-params');
  const salt = bytesOf(childAt(kdf, 0, 'salt'), 'salt');
  const iterations = intOf(childAt(kdf, 1, 'iterations'), 'iterations');
  const rest = childrenOf(kdf, 'PBKDF2-params').slice(2);
  const prfAlg = rest.find((c) => Array.isArray(c.value));
  const prfOid = prfAlg ? oidOf(childAt(prfAlg, 0, 'prf'), 'prf') : OID.hmacWithSHA1;
  const prf = PRF[prfOid];
  if (!prf) throw new UnsupportedAlgorithmError(`PBKDF2 PRF ${prfOid}`);
  const encAlg = childAt(params, 1, 'encryptionScheme');
  const encOid = oidOf(childAt(encAlg, 0, 'cipher'), 'cipher');
  const cipher = AES[encOid];
  if (!cipher) throw new UnsupportedAlgorithmError(`PBES2 cipher ${encOid}`);
  const iv = bytesOf(childAt(encAlg, 1, 'iv'), 'iv');
  if (iterations < 1 || iterations > 10_000_000) throw new Asn1Error('PBKDF2 iteration count out of range');
  const key = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, cipher.keyLength, prf);
  return nodeDecrypt(cipher.name, key, iv, ciphertext);
}

function nodeDecrypt(name: string, key: Buffer, iv: Buffer, ciphertext: Buffer): Buffer {
  try {
    const d = createDecipheriv(name, key, iv);
    return Buffer.concat([d.update(ciphertext), d.final()]);
  } catch (cause) {
    throw new DecryptError(`decryption failed (${cause instanceof Error ? cause.message : String(cause)})`);
  }
}
