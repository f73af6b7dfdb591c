/**
 * Independent peer: openid-client 6 (panva), a certified relying-party library, obtains tokens
 * from the sandbox authorization server with client_credentials and PrivateKeyJwt, after RFC 8414
 * discovery. Its assertions use the issuer as audience (the older form): the sandbox here is
 * started with `acceptIssuerAudience`, and by default refuses them. Only the dev CA is trusted;
 * verification stays on.
 */
import assert from 'node:assert/strict';
import { type KeyObject, webcrypto } from 'node:crypto';
import { after, before, test } from 'node:test';
import { decodeJwt } from 'jose';
import * as oidc from 'openid-client';
import { Agent, fetch as undiciFetch } from 'undici';
import { SANDBOX_OAUTH_CLIENT_ID, SANDBOX_REST_AUDIENCE } from '../../../src/sandbox/oauth/constants.ts';
import { oauthModule } from '../../../src/sandbox/oauth/module.ts';
import { testPki } from '../../_support/credentials.ts';
import { startTestSandbox, type TestSandbox } from './_start.ts';

const EC_CLIENT = 'other:daas:client:confidential';
const PS256_CLIENT = 'partenaire:sandbox:ps256:client:confidential';
let sandbox: TestSandbox;
let agent: Agent;
let customFetch: oidc.CustomFetch;

before(async () => {
  const { ec, rsa } = await testPki();
  sandbox = await startTestSandbox([
    oauthModule({
      acceptIssuerAudience: true,
      clients: [
        { clientId: EC_CLIENT, certificate: ec.certificate, scope: 'scope:demo:health' },
        // A client is pinned to one algorithm: this RSA client is registered for PS256.
        { clientId: PS256_CLIENT, certificate: rsa.certificate, alg: 'PS256' },
      ],
    }),
  ]);
  agent = new Agent({
    connect: { ca: sandbox.pki.ca.certPem, minVersion: 'TLSv1.2', rejectUnauthorized: true },
  });
  customFetch = ((url: string, options: Parameters<oidc.CustomFetch>[1]) =>
    undiciFetch(url, { ...(options as object), dispatcher: agent })) as unknown as oidc.CustomFetch;
});
after(async () => {
  await agent?.close();
  await sandbox?.dispose();
});

async function cryptoKey(
  algorithm: 'RSASSA-PKCS1-v1_5' | 'RSA-PSS' | 'ECDSA',
  key: KeyObject = sandbox.pki.partner.oauth.privateKey,
): Promise<webcrypto.CryptoKey> {
  const der = key.export({ type: 'pkcs8', format: 'der' });
  const params =
    algorithm === 'ECDSA' ? { name: algorithm, namedCurve: 'P-256' } : { name: algorithm, hash: 'SHA-256' };
  return webcrypto.subtle.importKey('pkcs8', der, params, false, ['sign']) as Promise<webcrypto.CryptoKey>;
}

async function grant(
  algorithm: 'RSASSA-PKCS1-v1_5' | 'RSA-PSS' | 'ECDSA',
  scope?: string,
  client: { id: string; key?: KeyObject } = { id: SANDBOX_OAUTH_CLIENT_ID },
) {
  const issuer = new URL(sandbox.info['oauth']?.['issuer'] as string);
  const config = await oidc.discovery(
    issuer,
    client.id,
    undefined,
    oidc.PrivateKeyJwt(await cryptoKey(algorithm, client.key)),
    {
      algorithm: 'oauth2',
      [oidc.customFetch]: customFetch,
    },
  );
  return { config, tokens: await oidc.clientCredentialsGrant(config, scope === undefined ? {} : { scope }) };
}

test('openid-client gets a token (RS256 private_key_jwt) after RFC 8414 discovery', async () => {
  // The sandbox's partner OAuth key is RSA; were it not, these cases must fail, not skip.
  assert.equal(sandbox.pki.partner.oauth.keyKind, 'rsa');
  const before = sandbox.modules['oauth']?.stats?.()['tokensIssued'] ?? 0;
  const { config, tokens } = await grant('RSASSA-PKCS1-v1_5', 'scope:demo:consult');
  assert.equal(config.serverMetadata().token_endpoint, sandbox.endpoints['oauth.token']);
  assert.equal(tokens.token_type.toLowerCase(), 'bearer');
  assert.equal(tokens.scope, 'scope:demo:consult');
  assert.ok((tokens.expiresIn() ?? 0) > 0);
  const claims = decodeJwt(tokens.access_token);
  assert.equal(claims['client_id'], SANDBOX_OAUTH_CLIENT_ID);
  assert.equal(claims.aud, SANDBOX_REST_AUDIENCE);
  assert.equal(sandbox.modules['oauth']?.stats?.()['tokensIssued'], before + 1);
});

test('openid-client with PS256 (a client registered for PS256), scope omitted → the client default scopes', async () => {
  const { rsa } = await testPki();
  const { tokens } = await grant('RSA-PSS', undefined, { id: PS256_CLIENT, key: rsa.privateKey });
  assert.equal(tokens.scope, 'scope:demo:consult scope:demo:health');
});

test('openid-client with PS256 for the partner client, registered for RS256: invalid_client', async () => {
  await assert.rejects(grant('RSA-PSS'), (e: unknown) => {
    assert.equal((e as { error?: string }).error, 'invalid_client');
    return true;
  });
  assert.match(String(sandbox.recentLog(1)[0]?.fields['reason']), /alg mismatch/);
});

test('openid-client with ES256 (a second, EC client registered in the sandbox)', async () => {
  const { ec } = await testPki();
  const { tokens } = await grant('ECDSA', undefined, { id: EC_CLIENT, key: ec.privateKey });
  assert.equal(tokens.scope, 'scope:demo:health');
  assert.equal(decodeJwt(tokens.access_token)['client_id'], EC_CLIENT);
  await assert.rejects(
    grant('ECDSA', 'scope:demo:consult', { id: EC_CLIENT, key: ec.privateKey }),
    (e: unknown) => {
      assert.equal((e as { error?: string }).error, 'invalid_scope');
      return true;
    },
  );
});
