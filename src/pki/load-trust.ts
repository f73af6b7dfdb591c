import type { X509Certificate } from 'node:crypto';
import type { ResolvedEnvironment } from '../config/environment.ts';
import { resolvePath } from '../config/paths.ts';
import type { TrustEntry } from '../config/schema.ts';
import { PasserelleError } from '../errors.ts';
import { readInputFile } from '../input-file.ts';
import { subjectDn } from './dn.ts';
import { parseCertificates } from './pem.ts';
import type { TrustAnchors } from './trust.ts';

export interface LoadTrustOptions {
  /** Relative paths resolve from here. */
  readonly baseDir: string;
  /** The configuration key, for messages (e.g. `environments.acpt.trust.sts`). */
  readonly setting: string;
}

/**
 * The certificates of one trust file named by `setting` (a configuration key or a flag): a
 * missing file is ERR_FILE_NOT_FOUND, an unreadable one ERR_FILE_UNREADABLE (naming the file and
 * the setting), an unparsable one ERR_PKI_*.
 */
export async function readTrustFile(path: string, setting: string): Promise<X509Certificate[]> {
  const bytes = await readInputFile(path, { what: 'trust file', setting });
  return parseCertificates(bytes.toString('utf8'), path);
}

/**
 * Reads the trust entries of one setting into `{ pinned, ca }`:
 * - `{ pin: file }` (or a plain `file`): exactly one certificate, pinned. A file with several
 *   certificates is refused (ERR_CONFIG_TRUST_PIN_MULTIPLE): a leaf saved with its CA must not
 *   quietly turn into trust in everything that CA issued.
 * - `{ ca: file }`: one or more certificates, each a CA (basic constraints cA=true), else
 *   ERR_CONFIG_TRUST_NOT_CA (a leaf is pinned, not an anchor).
 * Missing or unreadable files give ERR_FILE_NOT_FOUND / ERR_FILE_UNREADABLE, unparsable ones ERR_PKI_*.
 */
export async function loadTrust(
  entries: readonly TrustEntry[],
  options: LoadTrustOptions,
): Promise<TrustAnchors> {
  const { baseDir, setting } = options;
  const pinned: X509Certificate[] = [];
  const ca: X509Certificate[] = [];
  for (const entry of entries) {
    const isCa = typeof entry === 'object' && 'ca' in entry;
    const file = typeof entry === 'string' ? entry : 'ca' in entry ? entry.ca : entry.pin;
    const path = resolvePath(baseDir, file);
    const certs = await readTrustFile(path, setting);
    if (!isCa) {
      if (certs.length !== 1) {
        throw new PasserelleError(
          'ERR_CONFIG_TRUST_PIN_MULTIPLE',
          `The pinned trust file ${path} holds ${certs.length} certificates; a pin holds the signer's certificate alone`,
          {
            hint: `In ${setting}, keep only the signer's own certificate in { pin: ${file} }, or declare the issuing CA as { ca: FILE } to trust every certificate it issues.`,
            details: { path, setting, certificates: certs.length },
          },
        );
      }
      pinned.push(certs[0]!);
      continue;
    }
    const leaf = certs.find((c) => !c.ca);
    if (leaf) {
      throw new PasserelleError(
        'ERR_CONFIG_TRUST_NOT_CA',
        `The CA trust file ${path} holds "${subjectDn(leaf)}", which is not a CA certificate`,
        {
          hint: `In ${setting}, list a signer's own certificate as { pin: FILE } and keep only CA certificates in { ca: ${file} }.`,
          details: { path, setting, subject: subjectDn(leaf) },
        },
      );
    }
    ca.push(...certs);
  }
  return { pinned, ca };
}

/** The CA bundle of an environment's TLS servers (`trust.ca`), or undefined when none is set. */
export async function loadServerCa(env: ResolvedEnvironment): Promise<X509Certificate[] | undefined> {
  if (env.trust.ca === undefined) return undefined;
  return readTrustFile(resolvePath(env.baseDir, env.trust.ca), `environments.${env.name}.trust.ca`);
}
