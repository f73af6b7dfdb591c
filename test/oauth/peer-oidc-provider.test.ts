/**
 * Independent peer: an oidc-provider 9 authorization server configured here, in the test (not
 * through the sandbox), served over HTTPS with the test PKI. Our OAuth client must obtain
 * tokens from it with RS256, PS256 and ES256 assertions, through discovery, with the audience
 * set to the token endpoint or to the issuer. oidc-provider works on real time, so does this test.
 */
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { type ErrorCode, isPasserelleError } from '../../src/errors.ts';
import { createHttpClient } from '../../src/oauth/create-http-client.ts';
import { createOAuthClient } from '../../src/oauth/create-oauth-client.ts';
import type { HttpClient } from '../../src/oauth/types.ts';
import { testPki } from '../_support/credentials.ts';

const RSA_CLIENT = 'other:consult:client:confidential';
const EC_CLIENT = 'other:daas:client:confidential';
let issuer = '';
let http: HttpClient;
let closeServer: () => Promise<void>;
let issued = 0;

before(async () => {
  const pki = await testPki();
  const { Provider } = await import('oidc-provider');
  const server = createServer({ key: pki.server.keyPem, cert: pki.server.certPem, minVersion: 'TLSv1.2' });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  issuer = `https://localhost:${(server.address() as AddressInfo).port}`;
  const signing = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const client = (id: string, jwk: object) => ({
    client_id: id,
    token_endpoint_auth_method: 'private_key_jwt',
    jwks: { keys: [jwk] },
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    scope: 'scope:peer:read scope:peer:write',
  });
  const provider = new Provider(issuer, {
    clients: [
      client(RSA_CLIENT, pki.rsa.certificate.publicKey.export({ format: 'jwk' })),
      // Registered with a kid: the certificate's SHA-256 thumbprint, what `kid: true` sends.
      client(EC_CLIENT, {
        ...pki.ec.certificate.publicKey.export({ format: 'jwk' }),
        kid: createHash('sha256').update(pki.ec.certificate.raw).digest('base64url'),
      }),
    ],
    clientAuthMethods: ['private_key_jwt'],
    enabledJWA: { clientAuthSigningAlgValues: ['RS256', 'PS256', 'ES256'] },
    scopes: ['scope:peer:read', 'scope:peer:write'],
    jwks: { keys: [{ ...signing, use: 'sig', kid: 'peer' }] },
    cookies: { keys: ['peer-test-cookie-key-0123456789'] },
    features: { devInteractions: { enabled: false }, clientCredentials: { enabled: true } },
    ttl: { ClientCredentials: 120 },
  });
  provider.on('grant.success', () => void issued++);
  server.on('request', provider.callback());
  closeServer = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  http = createHttpClient({ ca: pki.ca.certPem });
});

after(async () => {
  await http?.close();
  await closeServer?.();
});

test('RS256 assertion with the token endpoint as audience (the platform default)', async () => {
  const { rsa } = await testPki();
  const client = createOAuthClient({
    clientId: RSA_CLIENT,
    credential: rsa,
    tokenEndpoint: `${issuer}/token`,
    http,
  });
  const before = issued;
  const token = await client.getToken({ scope: 'scope:peer:read' });
  assert.equal(token.tokenType, 'Bearer');
  assert.equal(token.scope, 'scope:peer:read');
  assert.equal(token.expiresIn, 120);
  assert.ok(token.value.length > 20);
  assert.equal(
    (await client.getToken({ scope: 'scope:peer:read' })).value,
    token.value,
    'served from the cache',
  );
  assert.equal(issued - before, 1);
});

test('PS256 and ES256 assertions, kid and x5t#S256 headers, audience = issuer through RFC 8414 discovery', async () => {
  const { rsa, ec } = await testPki();
  const metadataUrl = `${issuer}/.well-known/oauth-authorization-server`;
  const ps = createOAuthClient({
    clientId: RSA_CLIENT,
    credential: rsa,
    metadataUrl,
    http,
    alg: 'PS256',
    audience: 'issuer',
  });
  const meta = await ps.metadata();
  assert.equal(meta?.issuer, issuer);
  assert.equal(meta?.tokenEndpoint, `${issuer}/token`);
  assert.ok((await ps.getToken({ scope: 'scope:peer:write' })).value);
  const es = createOAuthClient({
    clientId: EC_CLIENT,
    credential: ec,
    metadataUrl,
    http,
    kid: true,
    x5tS256: true,
  });
  const token = await es.getToken({ scope: 'scope:peer:read scope:peer:write' });
  assert.equal(token.scope, 'scope:peer:read scope:peer:write');
});

test('the peer refusals map to stable codes: wrong key, unknown client, scope not granted', async () => {
  const { rsa, rogue, ec } = await testPki();
  const tokenEndpoint = `${issuer}/token`;
  const cases: [Parameters<typeof createOAuthClient>[0], string, ErrorCode][] = [
    [
      { clientId: RSA_CLIENT, credential: rogue, tokenEndpoint, http },
      'scope:peer:read',
      'ERR_OAUTH_INVALID_CLIENT',
    ],
    [
      { clientId: RSA_CLIENT, credential: ec, tokenEndpoint, http },
      'scope:peer:read',
      'ERR_OAUTH_INVALID_CLIENT',
    ],
    [
      { clientId: 'unknown:client:confidential', credential: rsa, tokenEndpoint, http },
      'scope:peer:read',
      'ERR_OAUTH_INVALID_CLIENT',
    ],
    [
      { clientId: RSA_CLIENT, credential: rsa, tokenEndpoint: `${issuer}/elsewhere`, http },
      'scope:peer:read',
      'ERR_OAUTH_RESPONSE_INVALID',
    ],
  ];
  for (const [options, scope, code] of cases) {
    await assert.rejects(createOAuthClient(options).getToken({ scope }), (e: unknown) => {
      assert.ok(isPasserelleError(e, code), `${String((e as Error).message)} should be ${code}`);
      return true;
    });
  }
});
