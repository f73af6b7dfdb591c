import { describeKey } from './_cert-info.ts';
import { parsePkcs12 } from './_p12-parse.ts';
import { issuerDn, subjectDn } from './dn.ts';
import { readCredentialFile } from './read-credential-file.ts';

/** One entry of a keystore, without secrets. */
export interface P12Entry {
  readonly kind: 'key' | 'cert' | 'other';
  readonly friendlyName: string | null;
  /** Hex; pairs a key with its certificate. */
  readonly localKeyId: string | null;
  /** How the entry is encrypted in the file ('none' when in clear). */
  readonly encryption: string;
  /** Keys: "RSA 2048", "EC P-256". Certificates: the key type of their public key. */
  readonly keyType?: string;
  readonly subject?: string;
  readonly issuer?: string;
  readonly serialNumber?: string;
  readonly notBefore?: string;
  readonly notAfter?: string;
  readonly fingerprint256?: string;
  /** Certificates: whether a private key of the keystore matches it. */
  readonly hasPrivateKey?: boolean;
  /** 'other' entries: the bag type OID. */
  readonly bagType?: string;
}

export interface P12Inspection {
  readonly file: string;
  readonly mac: { readonly algorithm: string; readonly iterations: number } | null;
  readonly entries: readonly P12Entry[];
}

/**
 * Lists the entries of a PKCS#12 keystore (friendly names, localKeyId, subjects, issuers, key
 * types, validity) without any secret. Throws the loadCredential errors for unreadable,
 * corrupt or wrong-password keystores. `setting` names where the file came from (a flag or a
 * configuration key) in the hint of a file error.
 */
export async function inspectP12(
  file: string,
  password: string,
  options: { readonly setting?: string } = {},
): Promise<P12Inspection> {
  const parsed = parsePkcs12(
    await readCredentialFile(file, 'PKCS#12 keystore', options.setting),
    password,
    file,
  );
  const keys = parsed.bags.flatMap((b) => (b.key ? [b.key] : []));
  const entries = parsed.bags.map((b): P12Entry => {
    const common = {
      kind: b.kind,
      friendlyName: b.friendlyName ?? null,
      localKeyId: b.localKeyId ?? null,
      encryption: b.encryption,
    };
    if (b.key) return { ...common, keyType: describeKey(b.key).label };
    const c = b.certificate;
    if (!c) return { ...common, bagType: b.bagType };
    return {
      ...common,
      keyType: describeKey(c.publicKey).label,
      subject: subjectDn(c),
      issuer: issuerDn(c),
      serialNumber: c.serialNumber,
      notBefore: new Date(c.validFrom).toISOString(),
      notAfter: new Date(c.validTo).toISOString(),
      fingerprint256: c.fingerprint256,
      hasPrivateKey: keys.some((k) => {
        try {
          return c.checkPrivateKey(k);
        } catch {
          return false;
        }
      }),
    };
  });
  return { file, mac: parsed.mac, entries };
}
