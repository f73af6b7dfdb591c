/** Algorithm URIs of XML Signature and exclusive canonicalisation. */
export const ALG = Object.freeze({
  excC14n: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  envelopedSignature: 'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
  sha384: 'http://www.w3.org/2001/04/xmldsig-more#sha384',
  sha512: 'http://www.w3.org/2001/04/xmlenc#sha512',
  rsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  rsaSha384: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384',
  rsaSha512: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
  ecdsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256',
  ecdsaSha384: 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384',
  ecdsaSha512: 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512',
} as const);

/** Digest algorithms accepted by default: SHA-256, SHA-384, SHA-512 (no SHA-1, no MD5). */
export const DEFAULT_DIGEST_ALGORITHMS: readonly string[] = Object.freeze([
  ALG.sha256,
  ALG.sha384,
  ALG.sha512,
]);

/** Signature algorithms accepted by default: RSA PKCS#1 v1.5 and ECDSA with SHA-256+ (no SHA-1, DSA, HMAC). */
export const DEFAULT_SIGNATURE_ALGORITHMS: readonly string[] = Object.freeze([
  ALG.rsaSha256,
  ALG.rsaSha384,
  ALG.rsaSha512,
  ALG.ecdsaSha256,
  ALG.ecdsaSha384,
  ALG.ecdsaSha512,
]);

/** Node hash names, for the algorithms this module can compute at all. */
export const DIGEST_HASH: Readonly<Record<string, string>> = Object.freeze({
  [ALG.sha256]: 'sha256',
  [ALG.sha384]: 'sha384',
  [ALG.sha512]: 'sha512',
});

export const SIGNATURE_SCHEME: Readonly<
  Record<string, { readonly key: 'rsa' | 'ec'; readonly hash: string }>
> = Object.freeze({
  [ALG.rsaSha256]: { key: 'rsa', hash: 'sha256' },
  [ALG.rsaSha384]: { key: 'rsa', hash: 'sha384' },
  [ALG.rsaSha512]: { key: 'rsa', hash: 'sha512' },
  [ALG.ecdsaSha256]: { key: 'ec', hash: 'sha256' },
  [ALG.ecdsaSha384]: { key: 'ec', hash: 'sha384' },
  [ALG.ecdsaSha512]: { key: 'ec', hash: 'sha512' },
});

const DIGEST_ENTRIES = Object.entries(DIGEST_HASH);
const SCHEME_ENTRIES = Object.entries(SIGNATURE_SCHEME);

/**
 * DIGEST_HASH[uri] for an own entry, found by comparing strings: a URI read from a message is a
 * fresh string, and a property lookup by it costs a string-table probe (about ten times more).
 */
export function digestHashOf(uri: string): string | undefined {
  for (let i = 0; i < DIGEST_ENTRIES.length; i++)
    if (DIGEST_ENTRIES[i]![0] === uri) return DIGEST_ENTRIES[i]![1];
  return undefined;
}

/** SIGNATURE_SCHEME[uri] for an own entry, found as digestHashOf does. */
export function signatureSchemeOf(uri: string): (typeof SIGNATURE_SCHEME)[string] | undefined {
  for (let i = 0; i < SCHEME_ENTRIES.length; i++)
    if (SCHEME_ENTRIES[i]![0] === uri) return SCHEME_ENTRIES[i]![1];
  return undefined;
}
