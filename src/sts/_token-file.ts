import { readFileSync, statSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseXsDateTime } from '../datetime.ts';
import { writeSecretFile } from '../secret-file.ts';
import type { StsToken } from './types.ts';

const NCNAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * Format 2: written only for assertions verified against `trust.sts` (sessions under the
 * `trust.stsUnverified` opt-out persist nothing). Format 1 files, from versions that persisted
 * assertions they had not verified, are ignored: a new token is requested.
 */
const FORMAT = 2;

/** The file of one cache key: `<stateDir>/sts-tokens/<key hash>.json`. */
export function tokenFilePath(stateDir: string, keyHash: string): string {
  return join(stateDir, 'sts-tokens', `${keyHash}.json`);
}

/**
 * Writes a token through `writeSecretFile` (0600 temp file, fsync, atomic rename; no temp file
 * left on failure, ERR_FILE_UNWRITABLE) in a 0700 directory: the assertion is a credential usable
 * by whoever also holds the holder-of-key private key, and it must not be readable by other users.
 */
export async function writeTokenFile(path: string, token: StsToken): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700); // an existing directory too
  const data = {
    version: FORMAT,
    token: {
      ...token,
      notBefore: token.notBefore.toISOString(),
      notOnOrAfter: token.notOnOrAfter.toISOString(),
    },
  };
  await writeSecretFile(path, `${JSON.stringify(data)}\n`);
}

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/**
 * Reads a persisted token, or undefined when the file is absent, readable by group or others
 * (refused: it may have been exposed), or not a well-formed token record.
 */
export function readTokenFile(path: string): StsToken | undefined {
  let text: string;
  try {
    if ((statSync(path).mode & 0o077) !== 0) return undefined;
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const data = JSON.parse(text) as { version?: unknown; token?: Record<string, unknown> };
    const t = data.token;
    if (data.version !== FORMAT || !t) return undefined;
    const { assertionXml, assertionId, issuer, subject, holderFingerprint256, claims, inheritedNamespaces } =
      t;
    const notBefore = parseXsDateTime(String(t['notBefore']), { utc: true });
    const notOnOrAfter = parseXsDateTime(String(t['notOnOrAfter']), { utc: true });
    if (
      typeof assertionXml !== 'string' ||
      !assertionXml.startsWith('<') ||
      typeof assertionId !== 'string' ||
      !NCNAME.test(assertionId) ||
      typeof issuer !== 'string' ||
      typeof subject !== 'string' ||
      typeof holderFingerprint256 !== 'string' ||
      !isStrings(claims) ||
      notBefore === undefined ||
      notOnOrAfter === undefined
    ) {
      return undefined;
    }
    const inherited: Record<string, string> = {};
    if (inheritedNamespaces !== undefined) {
      if (typeof inheritedNamespaces !== 'object' || inheritedNamespaces === null) return undefined;
      for (const [k, v] of Object.entries(inheritedNamespaces)) {
        if (typeof v !== 'string') return undefined;
        inherited[k] = v;
      }
    }
    return {
      assertionXml,
      assertionId,
      issuer,
      subject,
      holderFingerprint256,
      claims,
      inheritedNamespaces: inherited,
      notBefore: new Date(notBefore),
      notOnOrAfter: new Date(notOnOrAfter),
    };
  } catch {
    return undefined;
  }
}
