import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FrozenClock } from '../../src/clock.ts';
import { resolveEnvironment } from '../../src/config/environment.ts';
import { loadConfig } from '../../src/config/load.ts';
import { ConfigSchema } from '../../src/config/schema.ts';
import { isPasserelleError } from '../../src/errors.ts';
import { verifyChain } from '../../src/pki/chain.ts';
import { checkCertificate } from '../../src/pki/check-certificate.ts';
import { loadCredential } from '../../src/pki/load-credential.ts';
import { consoleModule } from '../../src/sandbox/console/module.ts';
import { type RunningSandbox, startSandbox } from '../../src/sandbox/host.ts';
import { TEST_NOW } from '../_support/credentials.ts';
import { requirePeer, runPeer } from '../_support/peers.ts';
import { tempDir } from '../_support/tmp.ts';
import { httpsGet } from './_https.ts';

const clock = new FrozenClock(TEST_NOW);
const dir = tempDir({ after }, 'passerelle-host-');
let sandbox: RunningSandbox;

before(async () => {
  sandbox = await startSandbox({ stateDir: join(dir, 'state'), clock, modules: [consoleModule()] });
});
after(() => sandbox.close());

const portOf = (url: string) => Number(new URL(url).port);

test('starts the console on an ephemeral port and publishes it', () => {
  const url = sandbox.endpoints['console'] ?? '';
  assert.ok(url?.startsWith('https://127.0.0.1:'));
  assert.ok(portOf(url) > 0);
  assert.deepEqual(Object.keys(sandbox.modules), ['console']);
  assert.equal(sandbox.startedAt, new Date(TEST_NOW).toISOString());
});

test('sandbox.json lists endpoints, trust files and partner files, and only paths', () => {
  const json = JSON.parse(readFileSync(sandbox.sandboxJsonPath, 'utf8'));
  assert.equal(json.version, 1);
  assert.equal(json.startedAt, new Date(TEST_NOW).toISOString());
  assert.equal(json.host, '127.0.0.1');
  assert.deepEqual(json.endpoints, sandbox.endpoints);
  assert.equal(json.caFile, sandbox.pki.caFile);
  assert.equal(json.partner.cbe, '0123456749');
  assert.equal(json.partner.institution, 'Sandbox Partner');
  assert.match(json.partner.application, /^urn:be:fgov:/);
  for (const file of [
    json.caFile,
    json.platformSigningFile,
    json.stsFile,
    ...Object.values<string>(json.partner.files),
  ]) {
    assert.ok(statSync(file).isFile(), `${file} exists`);
  }
  assert.equal(statSync(json.partner.files.passwordFile).mode & 0o777, 0o600);
  assert.equal(statSync(json.partner.files.tlsP12).mode & 0o777, 0o600);
  const text = readFileSync(sandbox.sandboxJsonPath, 'utf8');
  const password = readFileSync(json.partner.files.passwordFile, 'utf8').trim();
  assert.ok(!text.includes(password), 'no password in sandbox.json');
  assert.doesNotMatch(text, /PRIVATE KEY|BEGIN CERTIFICATE/);
  assert.deepEqual(json.clientConfig, sandbox.clientConfig);
});

test('the client config is ConfigSchema-valid and resolves env sandbox with working credentials', async () => {
  const parsed = ConfigSchema.safeParse(sandbox.clientConfig);
  assert.ok(parsed.success, parsed.success ? '' : parsed.error.message);
  const onDisk = JSON.parse(readFileSync(sandbox.configPath, 'utf8'));
  assert.deepEqual(onDisk, sandbox.clientConfig);
  const loaded = await loadConfig({ path: sandbox.configPath, env: {} });
  const env = resolveEnvironment(loaded, undefined, {});
  assert.equal(env.name, 'sandbox');
  assert.equal(env.custom, false);
  assert.equal(env.trust.ca, sandbox.pki.caFile);
  assert.deepEqual(env.trust.platformSigning, [{ pin: sandbox.pki.platformSigningFile }]);
  assert.deepEqual(env.trust.sts, [{ pin: sandbox.pki.stsFile }]);
  // The pinned files hold the leaf alone: the dev CA also issues the partner's certificates.
  for (const [file, cred] of [
    [sandbox.pki.platformSigningFile, sandbox.pki.platformSigning],
    [sandbox.pki.stsFile, sandbox.pki.sts],
  ] as const) {
    assert.equal(readFileSync(file, 'utf8'), cred.certificate.toString());
  }
  assert.equal(env.oauth.clientId, sandbox.pki.partner.oauthClientId);
  assert.equal(env.institution.cbe, '0123456749');
  const tls = await loadCredential(env.credentials.tls!, { baseDir: env.baseDir, env: {} });
  assert.equal(tls.certificate.fingerprint256, sandbox.pki.partner.tls.certificate.fingerprint256);
  verifyChain(tls.certificate, { anchors: [sandbox.pki.ca.certificate], at: TEST_NOW });
});

test('the dev PKI: server SAN localhost + 127.0.0.1, partner subject with the CBE, all from the CA', () => {
  const { pki } = sandbox;
  assert.match(pki.server.certificate.subjectAltName ?? '', /DNS:localhost/);
  assert.match(pki.server.certificate.subjectAltName ?? '', /IP Address:127\.0\.0\.1/);
  assert.match(
    pki.partner.tls.certificate.subject,
    /OU=urn:be:fgov:kbo-bce:organization:cbe-number:0123456749/,
  );
  assert.match(pki.partner.tls.certificate.subject, /CN=urn:be:fgov:ehealth:sandbox:partner/);
  for (const c of [
    pki.server,
    pki.platformSigning,
    pki.sts,
    pki.partner.tls,
    pki.partner.signing,
    pki.partner.oauth,
  ]) {
    verifyChain(c.certificate, { anchors: [pki.ca.certificate], at: TEST_NOW });
  }
});

test('the partner certificates pass the certificate check for their profiles', () => {
  const { pki } = sandbox;
  for (const [cred, profile] of [
    [pki.partner.tls, 'ebox'],
    [pki.partner.signing, 'ebox'],
    [pki.partner.oauth, 'oauth'],
  ] as const) {
    const errors = checkCertificate(cred.certificate, {
      profile,
      caBundle: [pki.ca.certificate],
      now: TEST_NOW,
    }).filter((f) => f.severity === 'error');
    assert.deepEqual(errors, [], profile);
  }
});

test('openssl verifies the dev PKI and opens the partner .p12 with the password file', (t) => {
  if (!requirePeer(t, 'openssl')) return;
  const { pki } = sandbox;
  const files = [
    pki.platformSigningFile,
    pki.stsFile,
    join(pki.dir, 'server.crt'),
    join(pki.dir, 'partner-tls.crt'),
  ];
  const verify = runPeer('openssl', [
    'verify',
    '-attime',
    String(TEST_NOW / 1000),
    '-CAfile',
    pki.caFile,
    ...files,
  ]);
  assert.equal(verify.status, 0, verify.stderr);
  const p12 = runPeer('openssl', [
    'pkcs12',
    '-in',
    pki.partner.files.tlsP12,
    '-passin',
    `file:${pki.partner.files.passwordFile}`,
    '-nokeys',
  ]);
  assert.equal(p12.status, 0, p12.stderr);
  assert.match(p12.stdout, /cbe-number:0123456749/);
});

test('the sandbox log is written as JSON lines', () => {
  const lines = readFileSync(join(sandbox.stateDir, 'sandbox.log'), 'utf8').trim().split('\n');
  const entries = lines.map((l) => JSON.parse(l));
  assert.ok(entries.some((e) => e.msg === 'sandbox ready' && e.module === 'host'));
  assert.ok(sandbox.recentLog(10).some((e) => e.msg === 'console listening'));
});

test('a second sandbox on a running state dir is refused (ERR_SANDBOX_START)', async () => {
  await assert.rejects(startSandbox({ stateDir: sandbox.stateDir, clock, modules: [] }), (e) =>
    isPasserelleError(e, 'ERR_SANDBOX_START'),
  );
});

test('console API over HTTPS with the dev CA as the only trust', async () => {
  const ca = readFileSync(sandbox.pki.caFile, 'utf8');
  const res = await httpsGet(`${sandbox.endpoints['console']}api/v1/status`, ca);
  assert.equal(res.status, 200);
  const status = JSON.parse(res.body);
  assert.equal(status.version, 1);
  assert.deepEqual(status.endpoints, sandbox.endpoints);
  assert.equal(status.modules[0].name, 'console');
  assert.equal(typeof status.modules[0].stats.requests, 'number');
});

test('reload: same CA and partner keystores; close frees the ports and is idempotent', async () => {
  const stateDir = join(dir, 'reload');
  const first = await startSandbox({ stateDir, clock, modules: [consoleModule()] });
  const fp = first.pki.ca.certificate.fingerprint256;
  const partnerFp = first.pki.partner.tls.certificate.fingerprint256;
  const port = portOf(first.endpoints['console']!);
  await first.close();
  await first.close();
  await new Promise<void>((resolve, reject) => {
    const probe = createServer().once('error', reject);
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });

  const second = await startSandbox({ stateDir, clock, modules: [consoleModule()] });
  try {
    assert.equal(second.pki.ca.certificate.fingerprint256, fp);
    assert.equal(second.pki.partner.tls.certificate.fingerprint256, partnerFp);
  } finally {
    await second.close();
  }

  // Far in the future the leaves have expired: they are reissued by the same CA.
  const later = new FrozenClock(TEST_NOW + 900 * 86_400_000);
  const third = await startSandbox({ stateDir, clock: later, modules: [] });
  try {
    assert.equal(third.pki.ca.certificate.fingerprint256, fp);
    assert.notEqual(third.pki.partner.tls.certificate.fingerprint256, partnerFp);
    verifyChain(third.pki.partner.tls.certificate, { anchors: [third.pki.ca.certificate], at: later.now() });
  } finally {
    await third.close();
  }
});

test('corrupt sandbox state gives ERR_SANDBOX_STATE', async () => {
  const stateDir = join(dir, 'corrupt');
  const s = await startSandbox({ stateDir, clock, modules: [] });
  await s.close();
  writeFileSync(join(stateDir, 'pki', 'partner-tls.p12'), 'not a keystore');
  await assert.rejects(startSandbox({ stateDir, clock, modules: [] }), (e) => {
    assert.ok(isPasserelleError(e, 'ERR_SANDBOX_STATE'));
    assert.match(e.hint ?? '', /delete/);
    return true;
  });
  writeFileSync(
    join(stateDir, 'pki', 'ca', 'ca.crt'),
    '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n',
  );
  await assert.rejects(startSandbox({ stateDir, clock, modules: [] }), (e) =>
    isPasserelleError(e, 'ERR_SANDBOX_STATE'),
  );
  const file = join(dir, 'a-file');
  writeFileSync(file, '');
  await assert.rejects(startSandbox({ stateDir: file, clock, modules: [] }), (e) =>
    isPasserelleError(e, 'ERR_SANDBOX_STATE'),
  );
});
