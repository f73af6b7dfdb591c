import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { ResolvedEnvironment } from '../../src/config/environment.ts';
import { isPasserelleError } from '../../src/errors.ts';
import { writeCredentialFiles } from '../../src/pki/write-credential-files.ts';
import { createServiceClients } from '../../src/services/create-service-clients.ts';
import { createTransport } from '../../src/transport/create-transport.ts';
import { testPki } from '../_support/credentials.ts';
import { tempDir } from '../_support/tmp.ts';
import { startSoaSandbox } from './_sandbox.ts';

const { sandbox, clock, environment, log } = await startSoaSandbox({ after });
const pki = await testPki();
const dir = tempDir({ after }, 'passerelle-svc-');
const caPem = readFileSync(sandbox.pki.caFile, 'utf8');

async function withClients(
  env: ResolvedEnvironment,
  fn: (c: Awaited<ReturnType<typeof createServiceClients>>) => Promise<void>,
) {
  const clients = await createServiceClients(env, { clock, processEnv: {} });
  try {
    await fn(clients);
  } finally {
    await clients.close();
  }
}

async function rogueSigning(): Promise<ResolvedEnvironment> {
  writeFileSync(join(dir, 'rogue.password'), 'rogue-pass\n', { mode: 0o600 });
  const files = await writeCredentialFiles(dir, 'rogue', pki.rogue, { password: 'rogue-pass' });
  return {
    ...environment,
    credentials: {
      ...environment.credentials,
      signing: { p12: files.p12Path, password: { file: join(dir, 'rogue.password') } },
    },
  };
}

test('a client without a TLS certificate is refused at the TLS handshake: ERR_TRANSPORT_TLS', async () => {
  const transport = createTransport({ ca: caPem });
  const clients = await createServiceClients(environment, { clock, processEnv: {}, transport });
  try {
    await assert.rejects(clients.ehealth.checkConnection('x'), (e) =>
      isPasserelleError(e, 'ERR_TRANSPORT_TLS'),
    );
  } finally {
    await transport.close();
  }
  assert.ok((sandbox.modules['soa']?.stats?.()['rejected.tls'] ?? 0) >= 1);
});

test('a client certificate from another CA is refused at the TLS handshake: ERR_TRANSPORT_TLS', async () => {
  const transport = createTransport({ ca: caPem, credential: pki.rogue });
  const clients = await createServiceClients(environment, { clock, processEnv: {}, transport });
  try {
    await assert.rejects(clients.cbss.testConnection('x'), (e) => isPasserelleError(e, 'ERR_TRANSPORT_TLS'));
  } finally {
    await transport.close();
  }
});

test('a signature by an untrusted signer: ERR_SOAP_FAULT SOA-01001, the precise reason only in the sandbox log', async () => {
  await withClients(await rogueSigning(), async (clients) => {
    await assert.rejects(clients.ehealth.checkAccessControl('x'), (e) => {
      assert.ok(isPasserelleError(e, 'ERR_SOAP_FAULT'));
      assert.equal(e.details['soaCode'], 'SOA-01001');
      assert.equal(e.details['environment'], 'Sandbox');
      assert.doesNotMatch(e.message, /ERR_WSS/);
      const entry = log.entries.find((l) => l.fields['faultId'] === e.details['soaId']);
      assert.equal(entry?.fields['reason'], 'ERR_WSS_UNTRUSTED_SIGNER');
      return true;
    });
  });
});

test('a reply signed by a key the client does not trust: ERR_WSS_UNTRUSTED_SIGNER', async () => {
  // The sandbox STS certificate alone, pinned: a real certificate of the sandbox, but not the reply signer.
  const pinned = join(dir, 'sts-only.pem');
  writeFileSync(pinned, sandbox.pki.sts.certificate.toString());
  const env = { ...environment, trust: { ...environment.trust, platformSigning: [pinned] } };
  await withClients(env, async (clients) => {
    await assert.rejects(clients.ehealth.checkAccessControl('x'), (e) =>
      isPasserelleError(e, 'ERR_WSS_UNTRUSTED_SIGNER'),
    );
  });
});

test('reply trust: a leaf saved with its CA under a pin is refused (ERR_CONFIG_TRUST_PIN_MULTIPLE); the CA as { ca } accepts the reply', async () => {
  // platform-signing.crt is what writeCredentialFiles writes: the leaf, then the dev CA.
  const leafAndCa = join(sandbox.pki.dir, 'platform-signing.crt');
  assert.equal(readFileSync(leafAndCa, 'utf8').match(/BEGIN CERTIFICATE/g)?.length, 2);
  for (const entry of [leafAndCa, { pin: leafAndCa }]) {
    const env = { ...environment, trust: { ...environment.trust, platformSigning: [entry] } };
    await assert.rejects(createServiceClients(env, { clock, processEnv: {} }), (e) =>
      isPasserelleError(e, 'ERR_CONFIG_TRUST_PIN_MULTIPLE'),
    );
  }
  const env = {
    ...environment,
    trust: { ...environment.trust, platformSigning: [{ ca: sandbox.pki.caFile }] },
  };
  await withClients(env, async (clients) => {
    const r = await clients.ehealth.checkAccessControl('x');
    assert.equal(r.replySigner?.fingerprint256, sandbox.pki.platformSigning.certificate.fingerprint256);
  });
});

test('no reply trust configured for a signed call: ERR_CONFIG_TRUST_MISSING naming the setting (fail closed)', async () => {
  const env = { ...environment, trust: { ca: environment.trust.ca } };
  await withClients(env, async (clients) => {
    await assert.rejects(
      clients.cbss.testConnection('x'),
      (e) =>
        isPasserelleError(e, 'ERR_CONFIG_TRUST_MISSING') &&
        e.details['setting'] === 'environments.sandbox.trust.platformSigning',
    );
  });
});

test('no signing credential for a signed call: ERR_CONFIG_INVALID before anything is sent', async () => {
  const { signing: _unused, ...credentials } = environment.credentials;
  await withClients({ ...environment, credentials }, async (clients) => {
    await assert.rejects(clients.ehealth.checkAccessControl('x'), (e) =>
      isPasserelleError(e, 'ERR_CONFIG_INVALID'),
    );
    assert.equal((await clients.ehealth.checkConnection('still fine')).message, 'still fine');
  });
});

test('a wrong service path: ERR_TRANSPORT_HTTP_STATUS 404 with a path hint', async () => {
  await withClients(environment, async (clients) => {
    await assert.rejects(clients.ehealth.checkConnection('x', { path: '/Nope/v1' }), (e) => {
      assert.ok(isPasserelleError(e, 'ERR_TRANSPORT_HTTP_STATUS'));
      assert.equal(e.details['status'], 404);
      return true;
    });
  });
});
