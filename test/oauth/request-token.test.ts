import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeJwt } from 'jose';
import { FrozenClock } from '../../src/clock.ts';
import { type ErrorCode, isPasserelleError } from '../../src/errors.ts';
import { requestToken } from '../../src/oauth/request-token.ts';
import { TEST_NOW, testPki } from '../_support/credentials.ts';
import { fakeHttp, jsonResponse } from './_fake-http.ts';

const clock = new FrozenClock(TEST_NOW);
const TOKEN_URL = 'https://as.example/REST/oauth/v5/token';
const CLIENT = 'partenaire:federal:service:bus:client:confidential';

async function call(response: ReturnType<typeof jsonResponse>, extra: { scope?: string } = {}) {
  const { rsa } = await testPki();
  const http = fakeHttp(() => response);
  const token = await requestToken({
    http,
    tokenEndpoint: TOKEN_URL,
    clientId: CLIENT,
    credential: rsa,
    clock,
    ...extra,
  });
  return { token, http };
}

test('posts the client_credentials form with a private_key_jwt assertion; scope only when given', async () => {
  const { token, http } = await call(
    jsonResponse(200, { access_token: 'at-1', token_type: 'Bearer', expires_in: 600 }),
  );
  assert.equal(token.value, 'at-1');
  assert.equal(token.expiresAt, TEST_NOW + 600_000);
  assert.equal(token.scope, undefined);
  const form = new URLSearchParams(String(http.calls[0]?.options.body));
  assert.equal(http.calls[0]?.options.method, 'POST');
  assert.equal(http.calls[0]?.options.headers?.['content-type'], 'application/x-www-form-urlencoded');
  assert.equal(form.get('grant_type'), 'client_credentials');
  assert.equal(form.get('client_assertion_type'), 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
  assert.equal(form.has('scope'), false);
  assert.equal(form.has('client_secret'), false);
  const claims = decodeJwt(form.get('client_assertion') ?? '');
  assert.equal(claims.aud, TOKEN_URL);
  assert.equal(claims.iss, CLIENT);
  assert.equal(claims.sub, CLIENT);

  const scoped = await call(
    jsonResponse(200, {
      access_token: 'at-2',
      token_type: 'bearer',
      expires_in: '60',
      scope: 'scope:demo:consult',
    }),
    {
      scope: 'scope:demo:consult',
    },
  );
  assert.equal(
    new URLSearchParams(String(scoped.http.calls[0]?.options.body)).get('scope'),
    'scope:demo:consult',
  );
  assert.equal(scoped.token.scope, 'scope:demo:consult');
  assert.equal(scoped.token.expiresIn, 60);
});

const CASES: [string, number, ErrorCode][] = [
  ['invalid_client', 401, 'ERR_OAUTH_INVALID_CLIENT'],
  ['invalid_scope', 400, 'ERR_OAUTH_INVALID_SCOPE'],
  ['invalid_request', 400, 'ERR_OAUTH_INVALID_REQUEST'],
  ['unauthorized_client', 400, 'ERR_OAUTH_UNAUTHORIZED_CLIENT'],
  ['invalid_grant', 400, 'ERR_OAUTH_INVALID_GRANT'],
  ['unsupported_grant_type', 400, 'ERR_OAUTH_UNSUPPORTED_GRANT_TYPE'],
  ['server_error', 500, 'ERR_OAUTH_SERVER_ERROR'],
  ['temporarily_unavailable', 503, 'ERR_OAUTH_SERVER_ERROR'],
];

for (const [error, status, code] of CASES) {
  test(`OAuth error ${error} → ${code} with the server's description`, async () => {
    await assert.rejects(
      call(jsonResponse(status, { error, error_description: `why\n${error}` })),
      (e: unknown) => {
        assert.ok(isPasserelleError(e, code));
        assert.equal(e.details['error'], error);
        assert.equal(e.details['errorDescription'], `why ${error}`);
        assert.equal(e.details['status'], status);
        return true;
      },
    );
  });
}

test('malformed answers → ERR_OAUTH_RESPONSE_INVALID; a bare 5xx → ERR_OAUTH_SERVER_ERROR', async () => {
  const bad = [
    jsonResponse(200, 'not json'),
    jsonResponse(200, []),
    jsonResponse(200, { token_type: 'Bearer', expires_in: 60 }),
    jsonResponse(200, { access_token: 'x', token_type: 'DPoP', expires_in: 60 }),
    jsonResponse(200, { access_token: 'x', token_type: 'Bearer', expires_in: -5 }),
    jsonResponse(200, { access_token: 'x', token_type: 'Bearer', expires_in: 60, scope: 7 }),
    jsonResponse(404, '<html>not here</html>'),
  ];
  for (const response of bad) {
    await assert.rejects(call(response), (e) => isPasserelleError(e, 'ERR_OAUTH_RESPONSE_INVALID'));
  }
  await assert.rejects(call(jsonResponse(502, '<html>bad gateway</html>')), (e) =>
    isPasserelleError(e, 'ERR_OAUTH_SERVER_ERROR'),
  );
});

test('no error carries the assertion or a token', async () => {
  const { rsa } = await testPki();
  let assertion = '';
  const http = fakeHttp((_u, o) => {
    assertion = new URLSearchParams(String(o.body)).get('client_assertion') ?? '';
    return jsonResponse(401, { error: 'invalid_client', error_description: 'client authentication failed' });
  });
  const error = await requestToken({
    http,
    tokenEndpoint: TOKEN_URL,
    clientId: CLIENT,
    credential: rsa,
    clock,
  }).catch((e: unknown) => e);
  assert.ok(isPasserelleError(error, 'ERR_OAUTH_INVALID_CLIENT'));
  assert.ok(assertion.length > 100);
  assert.doesNotMatch(JSON.stringify(error.toJSON()) + error.message, new RegExp(assertion.slice(-20)));
});
