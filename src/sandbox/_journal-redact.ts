import { tokenFingerprint } from '../oauth/token-fingerprint.ts';

const MAX_HEADER_VALUE = 512;

/** Form and query parameters whose values are secrets (OAuth client assertions, tokens). */
const SECRET_PARAM =
  /(^|[?&])(client_assertion|client_secret|assertion|token|access_token|refresh_token|id_token|code|code_verifier|password)=([^&#\s]*)/gi;
/** JSON members whose values are secrets; a value cut by truncation is redacted too. */
const SECRET_MEMBER =
  /"(access_token|refresh_token|id_token|client_assertion|client_secret|assertion|token)"(\s*:\s*)"(?:[^"\\]|\\.)*(?:"|$)/g;
/** JWTs and PEM private keys wherever they appear. */
const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g;
/** Headers whose values are secrets. */
const SECRET_HEADER = /^(authorization|proxy-authorization|cookie|set-cookie|dpop)$/i;

/** `text` with every secret replaced by a `[REDACTED:what]` mark. */
export function _redact(text: string): string {
  return text
    .replace(PRIVATE_KEY, '[REDACTED:private key]')
    .replace(SECRET_MEMBER, (_m, name: string, colon: string) => `"${name}"${colon}"[REDACTED:${name}]"`)
    .replace(SECRET_PARAM, (_m, lead: string, name: string) => `${lead}${name}=[REDACTED:${name}]`)
    .replace(JWT, '[REDACTED:jwt]');
}

/** A header value as kept: credentials replaced by their scheme and a token fingerprint. */
export function _headerValue(name: string, value: string): string {
  if (SECRET_HEADER.test(name)) {
    const [, scheme, credentials] = /^(\S+)\s+(\S.*)$/.exec(value) ?? [];
    if (name.toLowerCase().endsWith('authorization') && scheme !== undefined && credentials !== undefined)
      return `${scheme.slice(0, 20)} [REDACTED:${scheme.toLowerCase() === 'bearer' ? 'access token' : 'credentials'} ${tokenFingerprint(credentials)}]`;
    return `[REDACTED:${name.toLowerCase()}]`;
  }
  const kept = _redact(value);
  return kept.length > MAX_HEADER_VALUE ? `${kept.slice(0, MAX_HEADER_VALUE)}…` : kept;
}
