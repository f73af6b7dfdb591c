import { KeyObject, webcrypto } from 'node:crypto';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

export const KEY_TYPES = ['rsa-2048', 'rsa-3072', 'ec-p256'] as const;
export type KeyType = (typeof KEY_TYPES)[number];

/** WebCrypto algorithm parameters for a key type (signatures use SHA-256). */
export function keyAlgorithm(type: KeyType): webcrypto.RsaHashedKeyGenParams | webcrypto.EcKeyGenParams {
  return type === 'ec-p256'
    ? { name: 'ECDSA', namedCurve: 'P-256' }
    : {
        name: 'RSASSA-PKCS1-v1_5',
        modulusLength: type === 'rsa-3072' ? 3072 : 2048,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: 'SHA-256',
      };
}

/** The signing algorithm for certificates and CSRs made with a key of this type. */
export function signingAlgorithm(key: CryptoKey): webcrypto.RsaHashedImportParams | webcrypto.EcdsaParams {
  return key.algorithm.name === 'ECDSA'
    ? { name: 'ECDSA', hash: 'SHA-256' }
    : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
}

export interface GeneratedKeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly crypto: CryptoKeyPair;
}

/** Generates an extractable key pair of the given type. */
export async function generateKeyPair(type: KeyType): Promise<GeneratedKeyPair> {
  const pair = (await webcrypto.subtle.generateKey(keyAlgorithm(type), true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  return {
    privateKey: KeyObject.from(pair.privateKey),
    publicKey: KeyObject.from(pair.publicKey),
    crypto: pair,
  };
}

/** Imports a Node private key into WebCrypto for signing certificates and CSRs. */
export async function toCryptoPrivateKey(key: KeyObject): Promise<CryptoKey> {
  const der = key.export({ type: 'pkcs8', format: 'der' });
  const alg =
    key.asymmetricKeyType === 'ec'
      ? { name: 'ECDSA', namedCurve: curveName(key) }
      : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  return webcrypto.subtle.importKey('pkcs8', der, alg, true, ['sign']);
}

export async function toCryptoPublicKey(key: KeyObject): Promise<CryptoKey> {
  const der = key.export({ type: 'spki', format: 'der' });
  const alg =
    key.asymmetricKeyType === 'ec'
      ? { name: 'ECDSA', namedCurve: curveName(key) }
      : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  return webcrypto.subtle.importKey('spki', der, alg, true, ['verify']);
}

function curveName(key: KeyObject): string {
  const curve = key.asymmetricKeyDetails?.namedCurve;
  switch (curve) {
    case 'prime256v1':
    case 'P-256':
      return 'P-256';
    case 'secp384r1':
    case 'P-384':
      return 'P-384';
    case 'secp521r1':
    case 'P-521':
      return 'P-521';
    default:
      throw new TypeError(`unsupported EC curve ${String(curve)}`);
  }
}
