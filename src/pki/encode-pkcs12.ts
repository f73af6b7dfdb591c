import { createCipheriv, createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import {
  type Asn1,
  bmp,
  ctx0,
  implicit0Octets,
  int,
  nul,
  OID,
  octets,
  oid,
  parseDer,
  seq,
  set,
  toDer,
} from './_asn1.ts';
import { pkcs12Kdf } from './_pkcs12-kdf.ts';
import type { Credential } from './credential.ts';

export interface EncodePkcs12Options {
  /** Friendly name ("alias") of the key entry; default "passerelle". */
  readonly friendlyName?: string;
  /** PBKDF2 and MAC iteration count; default 2048 as OpenSSL 3. */
  readonly iterations?: number;
}

/**
 * Encodes a credential as a modern PKCS#12 keystore, the same profile as `openssl pkcs12
 * -export` in OpenSSL 3: the key in a PKCS#8 shrouded bag and the certificates in an encrypted
 * SafeContents, both PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC), and an HMAC-SHA256 integrity MAC.
 * Works for RSA and EC keys (node-forge's own writer handles RSA only and MACs with SHA-1).
 * Returns the DER bytes; the caller writes them with restrictive permissions.
 */
export function encodePkcs12(
  credential: Credential,
  password: string,
  options: EncodePkcs12Options = {},
): Buffer {
  const { friendlyName = 'passerelle', iterations = 2048 } = options;
  if (!Number.isInteger(iterations) || iterations < 1)
    throw new TypeError('encodePkcs12: iterations must be a positive integer');
  const localKeyId = createHash('sha1').update(credential.certificate.raw).digest();
  const attrs = set([
    seq([oid(OID.friendlyName), set([bmp(friendlyName)])]),
    seq([oid(OID.localKeyId), set([octets(localKeyId)])]),
  ]);

  const certBags = [credential.certificate, ...credential.chain].map((cert, i) => {
    const bag = seq([oid(OID.x509Certificate), ctx0(octets(cert.raw))]);
    return seq([oid(OID.certBag), ctx0(bag), ...(i === 0 ? [attrs] : [])]);
  });
  const certSafe = toDer(seq(certBags));
  const { algorithm, ciphertext } = pbes2Encrypt(certSafe, password, iterations);
  const encryptedData = seq([int(0), seq([oid(OID.data), algorithm, implicit0Octets(ciphertext)])]);

  const shrouded = credential.privateKey.export({
    type: 'pkcs8',
    format: 'der',
    cipher: 'aes-256-cbc',
    passphrase: password,
  });
  const keySafe = toDer(
    seq([seq([oid(OID.shroudedKeyBag), ctx0(parseDer(shrouded, 'EncryptedPrivateKeyInfo')), attrs])]),
  );

  const authSafe = toDer(
    seq([seq([oid(OID.encryptedData), ctx0(encryptedData)]), seq([oid(OID.data), ctx0(octets(keySafe))])]),
  );
  const macSalt = randomBytes(8);
  const macKey = pkcs12Kdf(password, macSalt, 3, iterations, 32, 'sha256');
  const mac = createHmac('sha256', macKey).update(authSafe).digest();
  const macData = seq([seq([seq([oid(OID.sha256), nul()]), octets(mac)]), octets(macSalt), int(iterations)]);
  return toDer(seq([int(3), seq([oid(OID.data), ctx0(octets(authSafe))]), macData]));
}

function pbes2Encrypt(
  plaintext: Buffer,
  password: string,
  iterations: number,
): { algorithm: Asn1; ciphertext: Buffer } {
  const salt = randomBytes(16);
  const iv = randomBytes(16);
  const key = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, 32, 'sha256');
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const algorithm = seq([
    oid(OID.pbes2),
    seq([
      seq([oid(OID.pbkdf2), seq([octets(salt), int(iterations), seq([oid(OID.hmacWithSHA256), nul()])])]),
      seq([oid(OID.aes256Cbc), octets(iv)]),
    ]),
  ]);
  return { algorithm, ciphertext };
}
