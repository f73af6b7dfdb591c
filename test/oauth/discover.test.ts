import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isPasserelleError } from '../../src/errors.ts';
import { discoverAuthorizationServer } from '../../src/oauth/discover.ts';
import { fakeHttp, jsonResponse } from './_fake-http.ts';

const META = 'https://oauth-v5.int.socialsecurity.be/.well-known/oauth-authorization-server';
const good = {
  issuer: 'https://oauth-v5.int.socialsecurity.be',
  token_endpoint: 'https://services-int.socialsecurity.be/REST/oauth/v5/token',
  token_endpoint_auth_methods_supported: ['private_key_jwt'],
  token_endpoint_auth_signing_alg_values_supported: ['RS256', 'PS256', 'ES256'],
  jwks_uri: 'https://oauth-v5.int.socialsecurity.be/jwks',
};

test('reads RFC 8414 metadata whose issuer matches the URL', async () => {
  const meta = await discoverAuthorizationServer({
    http: fakeHttp(() => jsonResponse(200, good)),
    metadataUrl: META,
  });
  assert.equal(meta.issuer, good.issuer);
  assert.equal(meta.tokenEndpoint, good.token_endpoint);
  assert.deepEqual(meta.tokenEndpointAuthSigningAlgs, ['RS256', 'PS256', 'ES256']);
  assert.equal(meta.introspectionEndpoint, undefined);
  const pathIssuer = { ...good, issuer: 'https://oauth-v5.int.socialsecurity.be/tenant' };
  const withPath = await discoverAuthorizationServer({
    http: fakeHttp(() => jsonResponse(200, pathIssuer)),
    metadataUrl: `${META}/tenant`,
  });
  assert.equal(withPath.issuer, pathIssuer.issuer);
});

test('issuer mismatch, plain-http token endpoint, non-JSON or HTTP errors → ERR_OAUTH_DISCOVERY_FAILED', async () => {
  const bad = [
    jsonResponse(200, { ...good, issuer: 'https://evil.example' }),
    jsonResponse(200, { ...good, issuer: undefined }),
    jsonResponse(200, { ...good, token_endpoint: 'http://services-int.socialsecurity.be/token' }),
    jsonResponse(200, { ...good, token_endpoint: undefined }),
    jsonResponse(200, 'nope'),
    jsonResponse(200, [good]),
    jsonResponse(404, { error: 'not found' }),
  ];
  for (const response of bad) {
    await assert.rejects(
      discoverAuthorizationServer({ http: fakeHttp(() => response), metadataUrl: META }),
      (e) => isPasserelleError(e, 'ERR_OAUTH_DISCOVERY_FAILED'),
    );
  }
  await assert.rejects(
    discoverAuthorizationServer({
      http: fakeHttp(() => jsonResponse(200, good)),
      metadataUrl: META,
      expectedIssuer: 'https://other.example',
    }),
    (e) => isPasserelleError(e, 'ERR_OAUTH_DISCOVERY_FAILED'),
  );
});
