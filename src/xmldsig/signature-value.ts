import { type KeyObject, sign, verify } from 'node:crypto';
import { PasserelleError } from '../errors.ts';
import { signatureSchemeOf } from './algorithms.ts';

function scheme(algorithm: string, key: KeyObject) {
  const s = signatureSchemeOf(algorithm);
  if (s === undefined) throw new TypeError(`Unsupported signature algorithm ${algorithm}`);
  return s.key === key.asymmetricKeyType ? s : undefined;
}

/** A scratch buffer for the UTF-8 of canonical SignedInfo (used synchronously, never retained). */
let scratch = Buffer.allocUnsafe(8192);

/** The UTF-8 bytes of `data`, in the scratch buffer when it fits (a view valid until the next call). */
function utf8(data: string): Buffer {
  const room = data.length * 3;
  if (room > 65536) return Buffer.from(data, 'utf8');
  if (room > scratch.length) scratch = Buffer.allocUnsafe(Math.max(room, scratch.length * 2));
  return scratch.subarray(0, scratch.write(data, 'utf8'));
}

/** Signs canonical SignedInfo bytes: RSA PKCS#1 v1.5, or ECDSA with the raw r‖s value (IEEE P1363) XMLDSig requires. */
export function computeSignatureValue(algorithm: string, privateKey: KeyObject, data: string): Buffer {
  const s = scheme(algorithm, privateKey);
  if (!s)
    throw new TypeError(
      `Signature algorithm ${algorithm} does not fit a ${String(privateKey.asymmetricKeyType)} key`,
    );
  return sign(
    s.hash,
    utf8(data),
    s.key === 'ec' ? { key: privateKey, dsaEncoding: 'ieee-p1363' } : privateKey,
  );
}

/**
 * Checks a SignatureValue over canonical SignedInfo with the signer's public key. A key of
 * the wrong type for the algorithm is ERR_WSS_ALG_NOT_ALLOWED; a wrong value, ERR_WSS_SIGNATURE_INVALID.
 */
export function checkSignatureValue(
  algorithm: string,
  publicKey: KeyObject,
  data: string,
  value: Buffer,
): void {
  const s = scheme(algorithm, publicKey);
  if (!s) {
    throw new PasserelleError(
      'ERR_WSS_ALG_NOT_ALLOWED',
      `The signature algorithm does not fit the signer's ${String(publicKey.asymmetricKeyType)} key`,
      {
        details: { algorithm, keyType: String(publicKey.asymmetricKeyType) },
      },
    );
  }
  let ok = false;
  try {
    ok = verify(
      s.hash,
      utf8(data),
      s.key === 'ec' ? { key: publicKey, dsaEncoding: 'ieee-p1363' } : publicKey,
      value,
    );
  } catch {
    ok = false;
  }
  if (!ok)
    throw new PasserelleError(
      'ERR_WSS_SIGNATURE_INVALID',
      'The signature value does not verify with the signer certificate',
    );
}
