import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../log.ts';
import { _basicCredentials, _bearer, _formOrRefuse, _json, _oauthError, _sameSecret } from './_http.ts';
import type { _OidcProvider } from './_oidc.ts';
import { _renderErrorPage, _renderLoginPage } from './_pages.ts';
import { _PSC_ROUTES, _professionalClaims } from './_provider.ts';
import { _PSC_ACR, _PSC_SCOPE, type _TokenService } from './_tokens.ts';
import type { PscProfessional } from './professionals.ts';

export interface _EndpointContext {
  readonly issuer: string;
  readonly realmPath: string;
  readonly provider: _OidcProvider;
  readonly tokens: _TokenService;
  readonly professionals: ReadonlyMap<string, PscProfessional>;
  readonly introspectionClient: { readonly clientId: string; readonly clientSecret: string };
  readonly stats: Record<string, number>;
  /** Active introspections per token `jti` (bounded: cleared past 10,000 tokens). */
  readonly introspected: Map<string, number>;
  readonly log: Logger;
}

/** The discovery document (served at both the usual and PSC's wallet path). */
export function _discovery(issuer: string): Record<string, unknown> {
  const at = (path: string) => `${issuer}${path}`;
  return {
    issuer,
    authorization_endpoint: at(_PSC_ROUTES.authorization),
    token_endpoint: at(_PSC_ROUTES.token),
    introspection_endpoint: at(_PSC_ROUTES.introspection),
    userinfo_endpoint: at(_PSC_ROUTES.userinfo),
    jwks_uri: at(_PSC_ROUTES.jwks),
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    userinfo_signing_alg_values_supported: ['none'],
    scopes_supported: ['openid', 'scope_all', 'offline_access'],
    acr_values_supported: [_PSC_ACR],
    claims_supported: [
      'sub',
      'iss',
      'acr',
      'auth_time',
      'preferred_username',
      'name',
      'email',
      'SubjectNameID',
    ],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['none', 'client_secret_basic', 'client_secret_post'],
    introspection_endpoint_auth_methods_supported: ['client_secret_basic'],
    authorization_response_iss_parameter_supported: true,
  };
}

/**
 * RFC 7662 introspection as PSC answers it: HTTP Basic with the introspection client (else 401
 * invalid_client), form `token=`; an active token gives its claims plus `client_id` and `email`,
 * the professional's first mailbox (a sandbox convenience: an operator's server, e.g. Dovecot's
 * `username_attribute`, can match it with the XOAUTH2 `user=`); anything else `{active:false}`.
 */
export async function _introspect(c: _EndpointContext, req: IncomingMessage, res: ServerResponse) {
  c.stats['introspections'] = (c.stats['introspections'] ?? 0) + 1;
  const basic = _basicCredentials(req);
  if (
    basic === undefined ||
    basic.id !== c.introspectionClient.clientId ||
    !_sameSecret(basic.secret, c.introspectionClient.clientSecret)
  ) {
    c.stats['introspectionsUnauthorized'] = (c.stats['introspectionsUnauthorized'] ?? 0) + 1;
    c.log.info(
      { client: basic?.id?.slice(0, 100), reason: 'client authentication failed' },
      'psc introspection refused',
    );
    req.resume();
    _oauthError(res, 401, 'invalid_client', 'client authentication failed', {
      'www-authenticate': 'Basic realm="esante-wallet"',
    });
    return;
  }
  const form = await _formOrRefuse(req, res);
  if (form === undefined) return;
  const token = form.get('token');
  if (token === null) return _oauthError(res, 400, 'invalid_request', 'missing token parameter');
  const checked = await c.tokens.check(token);
  const claims = 'claims' in checked ? checked.claims : undefined;
  const p = claims === undefined ? undefined : c.professionals.get(claims.preferred_username);
  if (claims === undefined || p === undefined) {
    c.stats['introspectionsInactive'] = (c.stats['introspectionsInactive'] ?? 0) + 1;
    c.log.info(
      { reason: 'reason' in checked ? checked.reason : 'unknown professional' },
      'psc introspection: inactive token',
    );
    return _json(res, 200, { active: false });
  }
  c.stats['introspectionsActive'] = (c.stats['introspectionsActive'] ?? 0) + 1;
  if (c.introspected.size >= 10_000 && !c.introspected.has(claims.jti)) c.introspected.clear();
  c.introspected.set(claims.jti, (c.introspected.get(claims.jti) ?? 0) + 1);
  _json(res, 200, {
    active: true,
    ...claims,
    client_id: claims['azp'],
    ...(p.mailboxes[0] === undefined ? {} : { email: p.mailboxes[0] }),
  });
}

/** OpenID Connect userinfo for the stub's JWT access tokens (Bearer header only). */
export async function _userinfo(c: _EndpointContext, req: IncomingMessage, res: ServerResponse) {
  c.stats['userinfo'] = (c.stats['userinfo'] ?? 0) + 1;
  req.resume();
  const token = _bearer(req);
  const claims = token === undefined ? undefined : await c.tokens.verify(token);
  const p = claims === undefined ? undefined : c.professionals.get(claims.preferred_username);
  if (
    p === undefined ||
    claims === undefined ||
    !String(claims['scope'] ?? '')
      .split(' ')
      .includes('openid')
  ) {
    const error = token === undefined ? 'invalid_request' : 'invalid_token';
    return _oauthError(res, 401, error, 'no active access token', {
      'www-authenticate': `Bearer realm="esante-wallet", error="${error}"`,
    });
  }
  _json(res, 200, _professionalClaims(p));
}

function _html(res: ServerResponse, status: number, html: string, csp: string) {
  res
    .writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': csp,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    })
    .end(html);
}

const ERROR_CSP = "default-src 'none'";

/** The interaction of `uid`, or undefined after answering 400 (no or another interaction cookie). */
async function _interaction(c: _EndpointContext, uid: string, req: IncomingMessage, res: ServerResponse) {
  try {
    const details = await c.provider.interactionDetails(req, res);
    if (details.uid === uid) return details;
  } catch {
    // SessionNotFound: no interaction cookie, or the interaction expired.
  }
  _html(res, 400, _renderErrorPage('invalid_request', 'login session not found or expired'), ERROR_CSP);
  return undefined;
}

/** GET: the login page; POST `rpps=`: log that professional in, consent, back to oidc-provider. */
export async function _login(c: _EndpointContext, uid: string, req: IncomingMessage, res: ServerResponse) {
  if (req.method === 'GET') {
    const details = await _interaction(c, uid, req, res);
    if (details === undefined) return;
    const redirect = URL.parse(String(details.params['redirect_uri'] ?? ''));
    const page = _renderLoginPage({
      action: `${c.realmPath}${_PSC_ROUTES.login}${encodeURIComponent(uid)}`,
      clientId: String(details.params['client_id']),
      professionals: [...c.professionals.values()],
      ...(redirect === null ? {} : { redirectOrigin: redirect.origin }),
    });
    return _html(res, 200, page.html, page.csp);
  }
  const form = await _formOrRefuse(req, res);
  if (form === undefined) return;
  const details = await _interaction(c, uid, req, res);
  if (details === undefined) return;
  const rpps = form.get('rpps') ?? '';
  const p = c.professionals.get(rpps);
  if (p === undefined) {
    return _html(res, 400, _renderErrorPage('invalid_request', 'unknown professional'), ERROR_CSP);
  }
  const clientId = String(details.params['client_id']);
  const grant = new c.provider.Grant({ accountId: p.rpps, clientId });
  const asked = String(details.params['scope'] ?? '').split(' ');
  grant.addOIDCScope(asked.filter((s) => [..._PSC_SCOPE.split(' '), 'offline_access'].includes(s)).join(' '));
  const grantId = await grant.save();
  c.stats['logins'] = (c.stats['logins'] ?? 0) + 1;
  c.log.info({ rpps: p.rpps, client: clientId }, 'psc login');
  await c.provider.interactionFinished(
    req,
    res,
    { login: { accountId: p.rpps, acr: _PSC_ACR, amr: ['sandbox'] }, consent: { grantId } },
    { mergeWithLastSubmission: false },
  );
}
