import { createHash, randomUUID } from 'node:crypto';

/**
 * The Idempotency-Key of a REST publication: the caller's, else — when a ticket is given — one
 * derived from (sender application, ticket, sequence), so that a retried batch item sends the
 * same key and the platform answers 409 instead of publishing twice; else a random UUID.
 * A derived key has the form of a UUID (RFC 9562 version 8, from SHA-256).
 */
export function _idempotencyKey(
  given: string | undefined,
  application: string,
  ticket: string | undefined,
  sequence: number | undefined,
): string {
  if (given !== undefined) return given;
  if (ticket === undefined) return randomUUID();
  const hash = createHash('sha256')
    .update(JSON.stringify(['passerelle/ebox/idempotency/v1', application, ticket, sequence ?? null]))
    .digest();
  hash[6] = (hash[6]! & 0x0f) | 0x80; // version 8
  hash[8] = (hash[8]! & 0x3f) | 0x80; // variant 10
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * A structured-field string (RFC 8941 §3.3.3, serialised per §4.1.6): in double quotes, with
 * `"` and `\` escaped. Anything outside printable ASCII is wrong use (validatePublication
 * refuses such keys first).
 */
export function _sfString(value: string): string {
  if (!/^[\x20-\x7e]*$/.test(value)) throw new TypeError('sf-string: printable ASCII only');
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
