import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { isPasserelleError } from '../../src/errors.ts';
import { createServiceClients } from '../../src/services/create-service-clients.ts';
import { startSoaSandbox } from './_sandbox.ts';

const { sandbox, clock, environment } = await startSoaSandbox({ after });
const clients = await createServiceClients(environment, { clock, processEnv: {} });
after(() => clients.close());
const partner = sandbox.pki.partner;

test('cbss.testConnection: echo, the TLS DN the platform saw, KSZ ticket; the reply signer is the platform key', async () => {
  const r = await clients.cbss.testConnection('hello cbss');
  assert.equal(r.echo, 'hello cbss');
  assert.match(r.sslCertificate ?? '', /^CN=urn:be:fgov:ehealth:sandbox:partner,OU=SIM,/);
  assert.ok(r.sslCertificate?.includes(`cbe-number:${partner.cbe}`));
  assert.match(r.informationCBSS?.ticketCBSS ?? '', /^[0-9a-f-]{36}$/);
  assert.equal(r.informationCBSS?.timestampReceive, new Date(clock.now()).toISOString());
  assert.equal(r.replySigner?.fingerprint256, sandbox.pki.platformSigning.certificate.fingerprint256);
});

test('ehealth.checkConnection: TLS only, echo, no authenticated consumer, unsigned reply', async () => {
  const r = await clients.ehealth.checkConnection('Hello World');
  assert.equal(r.message, 'Hello World');
  assert.equal(r.timestamp, new Date(clock.now()).toISOString());
  assert.equal(r.authenticatedConsumer, undefined);
  assert.equal(r.replySigner, undefined);
});

test('ehealth.checkAccessControl: the signature authenticates the consumer; the signed reply verifies', async () => {
  const r = await clients.ehealth.checkAccessControl('Hello World <&>');
  assert.equal(r.message, 'Hello World <&>');
  assert.match(r.authenticatedConsumer ?? '', /CN=urn:be:fgov:ehealth:sandbox:partner/);
  assert.equal(r.replySigner?.fingerprint256, sandbox.pki.platformSigning.certificate.fingerprint256);
  const stats = sandbox.modules['soa']?.stats?.() ?? {};
  assert.ok((stats['calls.checkAccessControl'] ?? 0) >= 1);
});

test('wrong use is a TypeError; a missing endpoint is ERR_CONFIG_ENDPOINT_MISSING', async () => {
  await assert.rejects(clients.cbss.testConnection(''), TypeError);
  const bare = await createServiceClients({ ...environment, endpoints: {} }, { clock, processEnv: {} });
  try {
    await assert.rejects(bare.ehealth.checkConnection('x'), (e) =>
      isPasserelleError(e, 'ERR_CONFIG_ENDPOINT_MISSING'),
    );
  } finally {
    await bare.close();
  }
});
