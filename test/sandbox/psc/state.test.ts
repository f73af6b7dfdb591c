/**
 * The stub's state directory: the signing key and the default introspection secret are kept
 * 0600 and reused on restart (a token issued before the restart is still active); a state file
 * that cannot be read is ERR_SANDBOX_STATE, never replaced. TLS below 1.2 is refused;
 * userinfo needs an active bearer token; option bounds.
 */
import assert from 'node:assert/strict';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { silentLogger } from '../../../src/log.ts';
import { DEFAULT_PSC_PROFESSIONALS } from '../../../src/sandbox/psc/professionals.ts';
import { startPscStub } from '../../../src/sandbox/psc/start-psc.ts';
import { rejectsCode } from '../../_support/assert-code.ts';
import { testPki } from '../../_support/credentials.ts';
import { tlsHandshake } from '../../_support/tls-handshake.ts';
import { tempDir } from '../../_support/tmp.ts';
import { introspect, startStub } from './_stub.ts';

const camille = DEFAULT_PSC_PROFESSIONALS[0]!;

test('the key and the introspection secret survive a restart; the state file is 0600', async (t) => {
  const stateDir = join(tempDir(t, 'passerelle-psc-state-'), 'state');
  const first = await startStub(t, {}, stateDir);
  const secret = first.stub.introspectionClient.clientSecret;
  await first.stub.close();
  assert.equal(statSync(join(stateDir, 'psc-stub.json')).mode & 0o777, 0o600);

  const second = await startStub(t, {}, stateDir);
  assert.equal(second.stub.introspectionClient.clientSecret, secret);
  const again = await introspect(second, await second.stub.mintAccessToken({ rpps: camille.rpps }));
  assert.equal(again.body['active'], true);
});

test('same port after a restart: the earlier token is still active', async (t) => {
  const stateDir = join(tempDir(t, 'passerelle-psc-port-'), 'state');
  const first = await startStub(t, {}, stateDir);
  const port = Number(new URL(first.stub.issuer).port);
  const token = await first.stub.mintAccessToken({ rpps: camille.rpps });
  await first.stub.close();
  const second = await startStub(t, { port }, stateDir);
  assert.equal(second.stub.issuer, first.stub.issuer);
  assert.equal((await introspect(second, token)).body['active'], true);
});

test('an unreadable state file is ERR_SANDBOX_STATE (and kept)', async (t) => {
  const stateDir = tempDir(t, 'passerelle-psc-bad-');
  writeFileSync(join(stateDir, 'psc-stub.json'), '{"signingJwk": 1}');
  const pki = await testPki();
  const e = await rejectsCode(
    startPscStub({
      host: '127.0.0.1',
      port: 0,
      tls: { key: pki.server.keyPem, cert: pki.server.certPem },
      log: silentLogger,
      stateDir,
    }),
    'ERR_SANDBOX_STATE',
  );
  assert.equal(e.details['path'], join(stateDir, 'psc-stub.json'));
});

test('TLS 1.1 is refused; TLS 1.2 is accepted', async (t) => {
  const s = await startStub(t);
  const { port } = new URL(s.stub.issuer);
  const handshake = (version: 'TLSv1.1' | 'TLSv1.2') => tlsHandshake(Number(port), s.ca, version);
  assert.equal(await handshake('TLSv1.2'), 'TLSv1.2');
  assert.match(await handshake('TLSv1.1'), /^error /);
});

test('userinfo: no token 401 invalid_request, an inactive one 401 invalid_token', async (t) => {
  const s = await startStub(t);
  const noToken = await s.fetch(s.stub.endpoints.userinfo);
  assert.deepEqual(
    [noToken.status, ((await noToken.json()) as { error: string }).error],
    [401, 'invalid_request'],
  );
  const expired = await s.stub.mintAccessToken({ rpps: camille.rpps, issuedAt: Date.now() - 3_600_000 });
  const res = await s.fetch(s.stub.endpoints.userinfo, { headers: { authorization: `Bearer ${expired}` } });
  assert.deepEqual([res.status, ((await res.json()) as { error: string }).error], [401, 'invalid_token']);
  assert.match(res.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
});

test('option bounds: a non-positive lifetime is a TypeError', async (t) => {
  const pki = await testPki();
  await assert.rejects(
    startPscStub({
      host: '127.0.0.1',
      port: 0,
      tls: { key: pki.server.keyPem, cert: pki.server.certPem },
      log: silentLogger,
      stateDir: tempDir(t),
      accessTokenSeconds: 0,
    }),
    { name: 'TypeError', message: /accessTokenSeconds/ },
  );
});
