import { PasserelleError } from '../errors.ts';

/**
 * SASL XOAUTH2 as MSSanté's API LPS uses it (PROTOCOLS.md §9): the initial response
 * `user=<mailbox>\x01auth=Bearer <token>\x01\x01`, base64, and the RFC 7628 error JSON the
 * server sends as a challenge when it refuses the token.
 */

// RFC 7628 allows VCHAR, SP, HTAB, CR and LF in values; no control character has a place in a
// mailbox or a bearer token, and \x01 would end the field early (a second `auth=` smuggled in).
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
const CONTROL = /[\x00-\x1f\x7f]/;
const BEARER = /^[A-Za-z0-9\-._~+/]+=*$/;

/** The base64 initial response of XOAUTH2; throws ERR_MSS_TOKEN_REJECTED for an unframeable value (never echoing it). */
export function xoauth2InitialResponse(mailbox: string, accessToken: string): string {
  if (mailbox.length === 0 || CONTROL.test(mailbox))
    throw new PasserelleError('ERR_MSS_ADDRESS_INVALID', 'The mailbox address holds control characters');
  if (!BEARER.test(accessToken))
    throw new PasserelleError(
      'ERR_MSS_TOKEN_REJECTED',
      'The access token is not a bearer token (RFC 6750 b64token); it was not sent',
      { details: { protocol: 'local' } },
    );
  return Buffer.from(`user=${mailbox}\x01auth=Bearer ${accessToken}\x01\x01`, 'utf8').toString('base64');
}

/** The RFC 7628 §3.2.2 error a server sends in its challenge. */
export interface Xoauth2Error {
  /** HTTP-like status (`400`, `401`, `403`), as a string. */
  readonly status?: string;
  readonly schemes?: string;
  readonly scope?: string;
  readonly openidConfiguration?: string;
}

/**
 * Decodes the challenge of a failed XOAUTH2 exchange (base64 JSON). Returns undefined when it is
 * not one (an empty challenge, not base64, not a JSON object); unknown members are dropped and
 * every kept value is a short printable string.
 */
export function parseXoauth2Error(challenge: string | undefined): Xoauth2Error | undefined {
  if (!challenge) return undefined;
  const text = challenge.trim();
  if (text.length === 0 || text.length > 4096 || !/^[A-Za-z0-9+/]+=*$/.test(text)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const o = value as Record<string, unknown>;
  const pick = (v: unknown) =>
    (typeof v === 'string' || typeof v === 'number') && /^[\x20-\x7e]{1,512}$/.test(String(v))
      ? String(v)
      : undefined;
  const out: { -readonly [K in keyof Xoauth2Error]: Xoauth2Error[K] } = {};
  const status = pick(o['status']);
  if (status !== undefined) out.status = status;
  const schemes = pick(o['schemes']);
  if (schemes !== undefined) out.schemes = schemes;
  const scope = pick(o['scope']);
  if (scope !== undefined) out.scope = scope;
  const oidc = pick(o['openid-configuration']);
  if (oidc !== undefined) out.openidConfiguration = oidc;
  return out;
}
