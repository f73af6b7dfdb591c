/**
 * The PSC stub with an independent relying party, openid-client 6: discovery at PSC's wallet
 * path, authorization code + PKCE + acr_values=eidas1 completed by driveSandboxLogin, the code
 * exchanged, the token introspected, userinfo, refresh.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createLocalJWKSet, decodeJwt, type JWK, jwtVerify } from 'jose';
import * as client from 'openid-client';
import { driveSandboxLogin } from '../../../src/sandbox/psc/drive-login.ts';
import { DEFAULT_PSC_PROFESSIONALS } from '../../../src/sandbox/psc/professionals.ts';
import { authorizationRequest, introspect, rp, startStub } from './_stub.ts';

const s = await startStub({ after }, { accessTokenSeconds: 120, refreshTokenSeconds: 900 });
const camille = DEFAULT_PSC_PROFESSIONALS[0]!;
const louis = DEFAULT_PSC_PROFESSIONALS[1]!;

test('discovery: the same document at the usual and at the wallet path, absolute Keycloak endpoints', async () => {
  const [usual, wallet] = await Promise.all(
    [s.stub.endpoints.discovery, s.stub.endpoints.walletDiscovery].map(async (u) =>
      (await s.fetch(u)).json(),
    ),
  );
  assert.deepEqual(usual, wallet);
  const doc = wallet as Record<string, unknown>;
  assert.equal(doc['issuer'], s.stub.issuer);
  assert.match(s.stub.issuer, /^https:\/\/127\.0\.0\.1:\d+\/auth\/realms\/esante-wallet$/);
  assert.equal(doc['token_endpoint'], `${s.stub.issuer}/protocol/openid-connect/token`);
  assert.equal(doc['introspection_endpoint'], `${s.stub.issuer}/protocol/openid-connect/token/introspect`);
  assert.equal(doc['jwks_uri'], `${s.stub.issuer}/protocol/openid-connect/certs`);
  assert.deepEqual(doc['acr_values_supported'], ['eidas1']);
  assert.deepEqual(doc['code_challenge_methods_supported'], ['S256']);
});

test('openid-client: code flow with PKCE and eidas1, introspection, userinfo, refresh', async () => {
  const config = await rp(s);
  const redirectUri = 'http://127.0.0.1:53123/callback';
  const { url, verifier, state } = await authorizationRequest(config, redirectUri);
  const back = await driveSandboxLogin(url.href, louis.rpps, { ca: s.ca });
  assert.ok(back.startsWith(`${redirectUri}?`), back);
  const tokens = await client.authorizationCodeGrant(config, new URL(back), {
    pkceCodeVerifier: verifier,
    expectedState: state,
  });
  const idClaims = tokens.claims();
  assert.equal(idClaims?.sub, louis.rpps);
  assert.equal(idClaims?.['acr'], 'eidas1');
  assert.equal(tokens.expires_in, 120);
  assert.ok(tokens.refresh_token);

  const at = decodeJwt(tokens.access_token);
  assert.deepEqual(
    [at.iss, at.sub, at['preferred_username'], at['acr'], at['azp'], at['typ'], at['scope']],
    [s.stub.issuer, louis.rpps, louis.rpps, 'eidas1', 'passerelle-lps', 'Bearer', 'openid scope_all'],
  );
  assert.equal((at.exp ?? 0) - (at.iat ?? 0), 120);
  assert.equal(typeof at.jti, 'string');
  assert.equal(typeof at['auth_time'], 'number');

  const intro = await introspect(s, tokens.access_token);
  assert.equal(intro.status, 200);
  assert.equal(intro.body['active'], true);
  assert.equal(intro.body['preferred_username'], louis.rpps);
  assert.equal(intro.body['acr'], 'eidas1');
  assert.equal(intro.body['email'], louis.mailboxes[0]);
  assert.equal(intro.body['client_id'], 'passerelle-lps');
  for (const claim of ['exp', 'iat', 'auth_time', 'jti', 'iss', 'sub', 'typ', 'azp'])
    assert.ok(claim in intro.body, claim);

  const info = await client.fetchUserInfo(config, tokens.access_token, louis.rpps);
  assert.equal(info['preferred_username'], louis.rpps);
  assert.equal(info.name, louis.name);
  assert.equal(info['SubjectNameID'], louis.rpps);

  const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
  assert.notEqual(refreshed.access_token, tokens.access_token);
  const again = await introspect(s, refreshed.access_token);
  assert.deepEqual(
    [again.body['active'], again.body['sub'], again.body['acr']],
    [true, louis.rpps, 'eidas1'],
  );
  assert.equal(s.stub.stats()['tokensIssued'], 2);
});

test('a revoked token introspects inactive; the mint helper signs tokens the stub accepts', async () => {
  const token = await s.stub.mintAccessToken({ rpps: camille.rpps });
  const intro = await introspect(s, token);
  assert.deepEqual([intro.body['active'], intro.body['email']], [true, camille.mailboxes[0]]);
  assert.equal(await s.stub.revoke(token), true);
  assert.deepEqual((await introspect(s, token)).body, { active: false });
  assert.equal(await s.stub.revoke(token), false);
});

test('unknown paths answer 404', async () => {
  for (const path of [
    '/',
    '/auth/realms/esante-wallet/protocol/openid-connect/logout',
    '/auth/realms/other/.well-known/openid-configuration',
  ]) {
    const res = await s.fetch(new URL(path, s.stub.issuer));
    assert.equal(res.status, 404, path);
    await res.body?.cancel();
  }
});

test('JWKS: the public key only, the one that verifies the access tokens', async () => {
  const jwks = (await (await s.fetch(s.stub.endpoints.jwks)).json()) as { keys: JWK[] };
  assert.equal(jwks.keys.length, 1);
  const [key] = jwks.keys;
  assert.deepEqual([key?.kty, key?.d, key?.p], ['RSA', undefined, undefined]);
  const token = await s.stub.mintAccessToken({ rpps: camille.rpps });
  const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(jwks), {
    issuer: s.stub.issuer,
  });
  assert.deepEqual([protectedHeader.alg, protectedHeader.typ, payload.sub], ['RS256', 'JWT', camille.rpps]);
});

test('the token endpoint refuses an oversized body with 413', async () => {
  const res = await s.fetch(s.stub.endpoints.token, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `grant_type=authorization_code&code=${'x'.repeat(40 * 1024)}`,
  });
  assert.deepEqual([res.status, ((await res.json()) as { error: string }).error], [413, 'invalid_request']);
});

test('stats count logins, tokens and introspections', () => {
  const stats = s.stub.stats();
  assert.ok((stats['logins'] ?? 0) >= 1);
  assert.ok((stats['introspectionsActive'] ?? 0) >= 2);
  assert.ok((stats['notFound'] ?? 0) >= 3);
  assert.equal(stats['introspectionsUnauthorized'], 0);
});
