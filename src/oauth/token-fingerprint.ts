import { createHash } from 'node:crypto';

/** A safe, stable label of a token: `sha256:` + the first 16 hex digits of its SHA-256. */
export function tokenFingerprint(token: string): string {
  return `sha256:${createHash('sha256').update(token, 'utf8').digest('hex').slice(0, 16)}`;
}
