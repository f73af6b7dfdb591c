import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createContext } from '../../src/cli/context.ts';
import { wssSignText } from '../../src/cli/wss-sign-impl.ts';
import { FrozenClock } from '../../src/clock.ts';
import type { ResolvedEnvironment } from '../../src/config/environment.ts';
import type { EndpointTable } from '../../src/config/registry.ts';
import { type ErrorCode, isPasserelleError } from '../../src/errors.ts';
import { createClientAssertion } from '../../src/oauth/create-client-assertion.ts';
import type { Credential } from '../../src/pki/credential.ts';
import { writeCredentialFiles } from '../../src/pki/write-credential-files.ts';
import { createServiceClients } from '../../src/services/create-service-clients.ts';
import { mtomUpload } from '../../src/services/mtom/upload.ts';
import { createRestService } from '../../src/services/rest/create-rest-service.ts';
import { createServiceContext } from '../../src/services/service-context.ts';
import { createStsSession } from '../../src/sts/create-sts-session.ts';
import { signEnvelope } from '../../src/wss/sign.ts';
import { throwsCode } from '../_support/assert-code.ts';
import { outOfDateCredentials, TEST_NOW, testPki } from '../_support/credentials.ts';
import { captureIo, tempDir } from '../_support/tmp.ts';
import { startTlsServer } from '../transport/_tls-server.ts';
import { requestEnvelope } from '../wss/_helpers.ts';

// Issue 17 item 5: an expired or not-yet-valid signing or TLS credential is refused BEFORE
// anything is sent. A real HTTPS server (client certificates from the test CA) stands for every
// platform endpoint and counts the TCP connections it accepted: it must see none.
const pki = await testPki();
const clock = new FrozenClock(TEST_NOW);
const { expired, early } = await outOfDateCredentials(pki);

async function setup(t: Parameters<typeof startTlsServer>[0] & Parameters<typeof tempDir>[0]) {
  const server = await startTlsServer(t, { cert: pki.server, clientCa: pki.ca });
  const dir = tempDir(t, 'passerelle-expired-');
  writeFileSync(join(dir, 'pw'), 'pw\n', { mode: 0o600 });
  writeFileSync(join(dir, 'ca.pem'), pki.ca.certificate.toString());
  writeFileSync(join(dir, 'signer.pem'), pki.server.certificate.toString());
  const ref = async (name: string, credential: Credential) => {
    const files = await writeCredentialFiles(dir, name, credential, { password: 'pw' });
    return { p12: files.p12Path, password: { file: join(dir, 'pw') } };
  };
  const [valid, old, future] = await Promise.all([
    ref('valid', pki.rsa),
    ref('expired', expired),
    ref('early', early),
  ]);
  const url = server.url.replace(/\/$/, '');
  const endpoints = Object.fromEntries(
    ['cbss.soap', 'cbss.mtom', 'ehealth.soa', 'ehealth.sts', 'oauth.token', 'cbss.rest'].map((n) => [
      n,
      { url: n === 'cbss.rest' ? `${url}/{api}` : url, source: 'config' },
    ]),
  ) as unknown as EndpointTable;
  const env = (credentials: ResolvedEnvironment['credentials']): ResolvedEnvironment => ({
    name: 'lab',
    channel: 'extranet',
    custom: true,
    endpoints,
    credentials,
    trust: { ca: 'ca.pem', platformSigning: [{ pin: 'signer.pem' }], sts: [{ pin: 'signer.pem' }] },
    oauth: { clientId: 'client' },
    institution: {},
    baseDir: dir,
  });
  return { server, dir, valid, old, future, env };
}

const refused = (code: ErrorCode, file: string, date: string) => (e: unknown) =>
  isPasserelleError(e, code) &&
  e.message.includes(file) &&
  // "expired on DATE" / "not valid before DATE", DATE in ISO 8601
  e.message.includes(`${code.endsWith('_EXPIRED') ? 'expired on' : 'not valid before'} ${date}`) &&
  !/BEGIN|PRIVATE/.test(e.message) &&
  e.details['file'] === file;

test('SOAP: an expired TLS credential is refused when the context opens, with the file and the date; no connection', async (t) => {
  const { server, old, valid, env } = await setup(t);
  await assert.rejects(
    createServiceContext(env({ tls: old, signing: valid }), { clock, processEnv: {} }),
    refused('ERR_PKI_CREDENTIAL_EXPIRED', old.p12, '2026-06-01T00:00:00.000Z'),
  );
  assert.equal(server.connections(), 0);
});

test('SOAP and MTOM: an expired or not-yet-valid signing credential is refused before sending', async (t) => {
  const { server, old, future, valid, env, dir } = await setup(t);
  // The control: with a valid signing credential the call does reach the server.
  const control = await createServiceClients(env({ tls: valid, signing: valid }), { clock, processEnv: {} });
  try {
    // The test server answers 200 text/plain: it was reached, and its reply is no SOAP.
    await assert.rejects(control.cbss.testConnection('x'), (e) =>
      isPasserelleError(e, 'ERR_SOAP_UNEXPECTED_RESPONSE'),
    );
  } finally {
    await control.close();
  }
  assert.ok(server.connections() > 0, 'the control call reached the server');
  const before = server.connections();
  for (const [signing, code, date] of [
    [old, 'ERR_PKI_CREDENTIAL_EXPIRED', '2026-06-01T00:00:00.000Z'],
    [future, 'ERR_PKI_CREDENTIAL_NOT_YET_VALID', '2026-07-01T00:00:00.000Z'],
  ] as const) {
    const clients = await createServiceClients(env({ tls: valid, signing }), { clock, processEnv: {} });
    try {
      await assert.rejects(clients.cbss.testConnection('x'), refused(code, signing.p12, date));
      await assert.rejects(clients.ehealth.checkAccessControl('x'), refused(code, signing.p12, date));
      writeFileSync(join(dir, 'doc.bin'), 'content');
      await assert.rejects(
        mtomUpload(clients.context, { files: [{ path: join(dir, 'doc.bin') }] }),
        refused(code, signing.p12, date),
      );
    } finally {
      await clients.close();
    }
  }
  assert.equal(server.connections(), before, 'nothing was sent with the refused credentials');
});

test('STS: an expired holder-of-key or TLS credential is refused before the RST is sent', async (t) => {
  const { server, old, valid, env } = await setup(t);
  const session = await createStsSession(env({ tls: valid, hok: old }), { clock, processEnv: {} });
  try {
    await assert.rejects(session.token(), refused('ERR_PKI_CREDENTIAL_EXPIRED', old.p12, '2026-06-01'));
  } finally {
    await session.close();
  }
  await assert.rejects(
    createStsSession(env({ tls: old, hok: valid }), { clock, processEnv: {} }),
    refused('ERR_PKI_CREDENTIAL_EXPIRED', old.p12, '2026-06-01'),
  );
  assert.equal(server.connections(), 0);
});

test('OAuth and REST: an expired assertion key or TLS credential is refused before the token request', async (t) => {
  const { server, old, valid, env } = await setup(t);
  const service = await createRestService(env({ tls: valid, oauth: old }), { clock, processEnv: {} });
  try {
    await assert.rejects(
      service.oauth.getToken(),
      refused('ERR_PKI_CREDENTIAL_EXPIRED', old.p12, '2026-06-01'),
    );
    await assert.rejects(service.get('/health', { api: 'demo' }), (e) =>
      isPasserelleError(e, 'ERR_PKI_CREDENTIAL_EXPIRED'),
    );
  } finally {
    await service.close();
  }
  await assert.rejects(
    createRestService(env({ tls: old, oauth: valid }), { clock, processEnv: {} }),
    refused('ERR_PKI_CREDENTIAL_EXPIRED', old.p12, '2026-06-01'),
  );
  assert.equal(server.connections(), 0);
  // The library signer itself refuses, with a frozen clock.
  await assert.rejects(
    createClientAssertion({ credential: expired, clientId: 'c', audience: server.url, clock }),
    (e) => isPasserelleError(e, 'ERR_PKI_CREDENTIAL_EXPIRED'),
  );
});

test('wss sign: an expired certificate is refused with ERR_PKI_CREDENTIAL_EXPIRED naming the file and the date', async (t) => {
  const { old, dir } = await setup(t);
  const cap = captureIo();
  const ctx = createContext(cap.io, { json: true }, { clock, cwd: dir, processEnv: {} });
  await assert.rejects(
    wssSignText(
      ctx,
      { p12: old.p12, passwordFile: join(dir, 'pw'), alg: 'auto', inclusiveNamespaces: true },
      requestEnvelope(),
    ),
    refused('ERR_PKI_CREDENTIAL_EXPIRED', old.p12, '2026-06-01T00:00:00.000Z'),
  );
  assert.equal(cap.stdout, '', 'no signed envelope was printed');
  // The library signer refuses too (the check every entry point shares).
  throwsCode(
    () => signEnvelope(requestEnvelope(), { credential: expired, clock }),
    'ERR_PKI_CREDENTIAL_EXPIRED',
  );
  throwsCode(
    () => signEnvelope(requestEnvelope(), { credential: early, clock }),
    'ERR_PKI_CREDENTIAL_NOT_YET_VALID',
  );
});
