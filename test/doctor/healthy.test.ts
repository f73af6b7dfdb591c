import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { FrozenClock } from '../../src/clock.ts';
import { runDoctor } from '../../src/doctor/index.ts';
import { PasserelleError } from '../../src/errors.ts';
import { createHttpClient } from '../../src/oauth/create-http-client.ts';
import { type DoctorSandbox, startDoctorSandbox } from './_sandbox.ts';

const s: DoctorSandbox = await startDoctorSandbox({ after });

test('a healthy sandbox: every check ok, in onboarding order, the secrets never in the report', async (t) => {
  const seen: string[] = [];
  const report = await s.doctor({ restApis: ['demo'], onCheck: (c) => seen.push(c.id) });
  t.diagnostic(
    `healthy doctor run against the in-process sandbox: ${report.durationMs} ms (goal: under 5 s)`,
  );
  assert.equal(report.status, 'ok', JSON.stringify(report.failed));
  assert.equal(report.env, 'sandbox');
  assert.equal(report.failed, undefined);
  assert.deepEqual(
    seen,
    report.checks.map((c) => c.id),
    'onCheck is told of each check as it ends',
  );
  for (const c of report.checks) assert.equal(c.status, 'ok', `${c.id}: ${c.detail ?? ''}`);
  const ids = report.checks.map((c) => c.id);
  const kinds = ids.map((id) => id.split(':')[0]);
  assert.deepEqual(
    [...new Set(kinds)],
    [
      'config',
      'credential.tls',
      'credential.signing',
      'credential.oauth',
      'credential.tls.profile',
      'dns',
      'tcp',
      'tls',
      'mtls',
      'call',
      'oauth',
      'rest',
      'sftp',
    ],
  );
  assert.ok(ids.includes(`tcp:${s.soap.hostPort}`) && ids.includes(`mtls:${s.soap.hostPort}`));
  // cbss.soap, cbss.mtom, cbss.rest, oauth.token and sftp each on its own port; the three KSZ
  // entry points require the client certificate.
  assert.equal(kinds.filter((k) => k === 'tcp').length, 5);
  assert.equal(kinds.filter((k) => k === 'tls').length, 4);
  assert.equal(kinds.filter((k) => k === 'mtls').length, 3);
  const profile = report.checks.find((c) => c.id === 'credential.tls.profile');
  assert.match(profile?.detail ?? '', /ebox profile/);
  const text = JSON.stringify(report);
  const password = (await import('node:fs'))
    .readFileSync(s.sandbox.pki.partner.files.passwordFile, 'utf8')
    .trim();
  assert.ok(!text.includes(password), 'no keystore password');
  assert.ok(!text.includes('PRIVATE KEY'), 'no key');
  assert.match(report.checks.find((c) => c.id === 'oauth:token')?.detail ?? '', /fingerprint sha256:/);
  assert.ok(!/eyJ[\w-]+\.[\w-]+\./.test(text), 'no token');
});

test('the configuration check: an unknown environment is step 0 with the configuration code', async () => {
  const report = await runDoctor(
    async () => {
      throw new PasserelleError('ERR_CONFIG_UNKNOWN_ENV', 'Unknown environment "nope" (from --env)');
    },
    { clock: s.clock, processEnv: {} },
  );
  assert.equal(report.status, 'failed');
  assert.equal(report.checks.length, 1);
  assert.equal(report.failed?.id, 'config');
  assert.equal(report.failed?.code, 'ERR_CONFIG_UNKNOWN_ENV');
  assert.equal(report.failed?.step, 0);
});

test('no TLS credential configured: ERR_DOCTOR_CONFIG_INCOMPLETE naming the setting', async () => {
  const { tls: _tls, ...credentials } = s.environment.credentials;
  const report = await runDoctor({ ...s.environment, credentials }, { clock: s.clock, processEnv: {} });
  assert.equal(report.failed?.id, 'config');
  assert.equal(report.failed?.code, 'ERR_DOCTOR_CONFIG_INCOMPLETE');
  assert.match(report.failed?.remedy ?? '', /environments\.sandbox\.credentials\.tls/);
});

test('a TLS certificate expired at the (frozen) time of the run: step 3, nothing sent', async () => {
  const validTo = Date.parse(s.sandbox.pki.partner.tls.certificate.validTo);
  const later = new FrozenClock(validTo + 86_400_000);
  const report = await runDoctor(s.environment, { clock: later, processEnv: {} });
  assert.equal(report.failed?.id, 'credential.tls');
  assert.equal(report.failed?.code, 'ERR_PKI_CREDENTIAL_EXPIRED');
  assert.equal(report.failed?.step, 3);
  assert.equal(
    report.checks.some((c) => c.id.startsWith('tcp:')),
    false,
    'stops at the first broken step',
  );
});

test('a subject that does not fit the profile asked: ERR_DOCTOR_SUBJECT_PROFILE with the csr command', async () => {
  const report = await s.doctor({ profile: 'ehealth' });
  assert.equal(report.failed?.id, 'credential.tls.profile');
  assert.equal(report.failed?.code, 'ERR_DOCTOR_SUBJECT_PROFILE');
  assert.equal(report.failed?.step, 3);
  assert.match(report.failed?.remedy ?? '', /passerelle cert csr --profile ehealth/);
});

test('a password that is not there: the credential check fails with the secret code, step 3', async () => {
  const tls = s.environment.credentials.tls;
  assert.ok(tls && 'p12' in tls);
  const credentials = {
    ...s.environment.credentials,
    tls: { p12: tls.p12, password: { env: 'DOCTOR_NO_SUCH_VAR' } },
  };
  const report = await runDoctor({ ...s.environment, credentials }, { clock: s.clock, processEnv: {} });
  assert.equal(report.failed?.id, 'credential.tls');
  assert.equal(report.failed?.code, 'ERR_CONFIG_SECRET_MISSING');
  assert.equal(report.failed?.step, 3);
});

test('REST /{api}/health after the token: UP is ok; DOWN is ERR_REST_UNHEALTHY, step 5', async () => {
  const up = await s.doctor({ restApis: ['demo'] });
  assert.equal(up.checks.find((c) => c.id === 'rest:health:demo')?.detail, 'demo: UP');
  const control = createHttpClient({ ca: s.sandbox.pki.ca.certPem, credential: s.sandbox.pki.partner.tls });
  const setHealth = (status: string) =>
    control.request(s.sandbox.endpoints['rest.control'] ?? '', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status }),
    });
  try {
    await setHealth('DOWN');
    const down = await s.doctor({ restApis: ['demo'] });
    assert.equal(down.failed?.id, 'rest:health:demo');
    assert.equal(down.failed?.code, 'ERR_REST_UNHEALTHY');
    assert.equal(down.failed?.step, 5);
    assert.equal(down.checks.find((c) => c.id === 'oauth:token')?.status, 'ok');
  } finally {
    await setHealth('UP');
    await control.close();
  }
});
