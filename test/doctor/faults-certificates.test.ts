import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startDoctorSandbox } from './_sandbox.ts';

const DAY = 86_400_000;

test('server-cert-expired: expired 30 days before the frozen now: ERR_DOCTOR_SERVER_CERT_EXPIRED, step 3', async () => {
  const s = await startDoctorSandbox({ after }, ['server-cert-expired']);
  const report = await s.doctor();
  const first = report.checks.find((c) => c.id.startsWith('tls:'));
  assert.equal(report.failed, first, 'the first TLS endpoint fails');
  assert.equal(report.failed?.code, 'ERR_DOCTOR_SERVER_CERT_EXPIRED');
  assert.equal(report.failed?.step, 3);
  assert.equal(report.failed?.stepName, 'certificates');
  assert.ok(
    report.failed?.message?.includes(
      `expired on ${new Date(s.clock.now() - 30 * DAY).toISOString().slice(0, 16)}`,
    ),
    report.failed?.message,
  );
  assert.match(report.failed?.remedy ?? '', /renew the certificate of 127\.0\.0\.1:\d+/);
});

test('server-cert-untrusted: issued by a CA outside trust.ca: ERR_DOCTOR_SERVER_CERT_UNTRUSTED naming the setting', async () => {
  const s = await startDoctorSandbox({ after }, ['server-cert-untrusted']);
  const report = await s.doctor();
  assert.match(report.failed?.id ?? '', /^tls:127\.0\.0\.1:\d+$/);
  assert.equal(report.failed?.code, 'ERR_DOCTOR_SERVER_CERT_UNTRUSTED');
  assert.equal(report.failed?.step, 3);
  assert.match(report.failed?.message ?? '', /Stranger CA/);
  assert.match(report.failed?.remedy ?? '', /environments\.sandbox\.trust\.ca/);
});

test('client-cert-unknown: the gateway drops the connection after the client certificate: mtls check, step 3', async () => {
  const s = await startDoctorSandbox({ after }, ['client-cert-unknown']);
  const report = await s.doctor();
  assert.equal(
    report.checks.filter((c) => c.id.startsWith('tls:')).every((c) => c.status === 'ok'),
    true,
    'the server side of TLS is fine',
  );
  assert.equal(report.failed?.id, `mtls:${s.soap.hostPort}`);
  assert.equal(report.failed?.code, 'ERR_DOCTOR_CLIENT_CERT_REFUSED');
  assert.equal(report.failed?.step, 3);
  assert.ok(
    report.failed?.message?.includes(`${s.soap.hostPort} refused the client certificate`),
    report.failed?.message,
  );
  assert.match(report.failed?.remedy ?? '', /Send the \.crt of environments\.sandbox\.credentials\.tls/);
});

test('oauth-client-unknown: the token endpoint answers invalid_client: access management, step 4', async () => {
  const s = await startDoctorSandbox({ after }, ['oauth-client-unknown']);
  const report = await s.doctor();
  assert.equal(report.checks.find((c) => c.id === 'call:cbss:test-connection')?.status, 'ok');
  assert.equal(report.failed?.id, 'oauth:token');
  assert.equal(report.failed?.code, 'ERR_OAUTH_INVALID_CLIENT');
  assert.equal(report.failed?.step, 4);
  assert.equal(report.failed?.stepName, 'access management');
  assert.ok(
    report.failed?.remedy?.includes(`client "${s.environment.oauth.clientId}"`),
    report.failed?.remedy,
  );
});
