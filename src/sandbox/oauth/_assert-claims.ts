import type { KoaContextWithOIDC, errors as OidcErrors, ProviderClient } from 'oidc-provider';
import { MAX_ASSERTION_LIFETIME_SECONDS } from '../../oauth/create-client-assertion.ts';
import { SANDBOX_ON_REQUEST_SCOPES } from './constants.ts';

const ON_REQUEST: ReadonlySet<string> = new Set(SANDBOX_ON_REQUEST_SCOPES);

/**
 * Checks oidc-provider leaves to the deployment, applied to every private_key_jwt assertion:
 * `sub` equals the client id, `aud` names one of `audiences(route)` (oidc-provider alone also
 * takes the issuer), `iat` is present and not in the future, and the assertion lives at most
 * 5 minutes (PROTOCOLS.md §6). On the token endpoint it also applies the platform's
 * scope rules: no scope → the client's scopes but those given on request only; a scope outside the client's → invalid_scope.
 */
export function _assertClaims(
  errors: typeof OidcErrors,
  clockToleranceSeconds: number,
  audiences: (route: string) => readonly string[],
  onRequest: ReadonlySet<string> = ON_REQUEST,
) {
  return async (
    ctx: KoaContextWithOIDC,
    claims: Record<string, unknown>,
    _header: Record<string, unknown>,
    client: ProviderClient,
  ): Promise<void> => {
    const now = Math.floor(Date.now() / 1000);
    if (claims['sub'] !== client.clientId)
      throw new errors.InvalidClientAuth('sub (JWT subject) must be the client_id');
    const accepted = audiences(ctx.oidc.route);
    const aud = Array.isArray(claims['aud']) ? (claims['aud'] as unknown[]) : [claims['aud']];
    if (!aud.some((a) => typeof a === 'string' && accepted.includes(a)))
      throw new errors.InvalidClientAuth(`audience (aud) must be ${accepted.join(' or ')}`);
    const { iat, exp } = claims;
    if (typeof iat !== 'number' || !Number.isFinite(iat)) {
      throw new errors.InvalidClientAuth('iat must be provided in the client_assertion JWT');
    }
    if (iat > now + clockToleranceSeconds)
      throw new errors.InvalidClientAuth('iat (issued at) is in the future');
    if (typeof exp !== 'number' || exp - iat > MAX_ASSERTION_LIFETIME_SECONDS) {
      throw new errors.InvalidClientAuth(
        `the client_assertion must expire at most ${MAX_ASSERTION_LIFETIME_SECONDS} s after iat`,
      );
    }
    const { params, route } = ctx.oidc;
    if (route !== 'token' || params['grant_type'] !== 'client_credentials') return;
    const allowed = new Set((client.scope ?? '').split(' ').filter(Boolean));
    const requested = (params['scope'] ?? '').split(' ').filter(Boolean);
    if (requested.length === 0) {
      params['scope'] = [...allowed].filter((scope) => !onRequest.has(scope)).join(' ');
      return;
    }
    const refused = requested.find((s) => !allowed.has(s));
    if (refused !== undefined)
      throw new errors.InvalidScope('requested scope is not allowed for this client', refused);
  };
}
