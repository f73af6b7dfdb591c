import { inspect } from 'node:util';
import { tokenFingerprint } from './token-fingerprint.ts';
import type { AccessToken } from './types.ts';

/** Builds an AccessToken whose value never shows in JSON, inspection or enumeration. */
export function _accessToken(
  value: string,
  expiresIn: number,
  scope: string | undefined,
  now: number,
): AccessToken {
  const visible = {
    tokenType: 'Bearer' as const,
    expiresAt: now + expiresIn * 1000,
    expiresIn,
    scope,
    fingerprint: tokenFingerprint(value),
  };
  const token = { ...visible };
  Object.defineProperty(token, 'value', { value, enumerable: false });
  Object.defineProperty(token, 'toJSON', {
    value: () => ({ ...visible, expiresAt: new Date(visible.expiresAt).toISOString() }),
    enumerable: false,
  });
  Object.defineProperty(token, inspect.custom, {
    value: () => `AccessToken ${inspect(visible)}`,
    enumerable: false,
  });
  return Object.freeze(token) as AccessToken;
}
